// The uint8blk datatype (DVID's imageblk code for 8-bit grayscale, dvid-api.md 3): raw voxels
// at any alignment, PNG slices, block spans, and the stored blocks themselves.
#pragma once

#include "dvid/data_instance.hpp"

namespace dvidxfer::server {

class Uint8blkType final : public DataType {
 public:
  std::string_view name() const override { return "uint8blk"; }
  std::string_view url() const override {
    return "github.com/janelia-flyem/dvid/datatype/imageblk/uint8.go";
  }
  std::string_view version() const override { return "0.2"; }
  std::unique_ptr<DataInstance> create(InstanceIdentity identity,
                                       const DvidConfig& config) const override;
};

}  // namespace dvidxfer::server
