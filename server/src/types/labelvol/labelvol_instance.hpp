// The labelvol datatype (dvid-api.md 4.5-4.6): per label, the X runs of its voxels in each
// block, filled from a synced labelblk as it is written (synchronously here, so a read after a
// POST sees the POST), served as sparse volumes in DVID's RLE formats.
#pragma once

#include "dvid/data_instance.hpp"

namespace dvidxfer::server {

class LabelvolType final : public DataType {
 public:
  std::string_view name() const override { return "labelvol"; }
  std::string_view url() const override {
    return "github.com/janelia-flyem/dvid/datatype/labelvol";
  }
  std::string_view version() const override { return "0.1"; }
  std::unique_ptr<DataInstance> create(InstanceIdentity identity,
                                       const DvidConfig& config) const override;
};

}  // namespace dvidxfer::server
