// The keyvalue datatype (datatype/keyvalue): opaque values under string keys.
#pragma once

#include "dvid/data_instance.hpp"

namespace dvidxfer::server {

class KeyValueType final : public DataType {
 public:
  std::string_view name() const override { return "keyvalue"; }
  std::string_view url() const override {
    return "github.com/janelia-flyem/dvid/datatype/keyvalue";
  }
  std::string_view version() const override { return "0.2"; }
  std::unique_ptr<DataInstance> create(InstanceIdentity identity,
                                       const DvidConfig& config) const override;
};

}  // namespace dvidxfer::server
