// The imagetile datatype (datatype/imagetile, dvid-api.md 7): pre-computed 2-D tiles at several
// scales, their metadata, and tile generation from a uint8blk source (a dvidxfer extension).
#pragma once

#include "dvid/data_instance.hpp"

namespace dvidxfer::server {

class ImagetileType final : public DataType {
 public:
  std::string_view name() const override { return "imagetile"; }
  std::string_view url() const override {
    return "github.com/janelia-flyem/dvid/datatype/imagetile";
  }
  std::string_view version() const override { return "0.1"; }
  std::unique_ptr<DataInstance> create(InstanceIdentity identity,
                                       const DvidConfig& config) const override;
};

}  // namespace dvidxfer::server
