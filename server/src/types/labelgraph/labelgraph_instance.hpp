// The labelgraph datatype as DVID served it before removing it in 2023 (dvid-api.md 8,
// datatype/labelgraph at 99ba21db^): a weighted graph of label vertices and edges with byte
// properties and optimistic property transactions.
#pragma once

#include "dvid/data_instance.hpp"

namespace dvidxfer::server {

class LabelgraphType final : public DataType {
 public:
  std::string_view name() const override { return "labelgraph"; }
  std::string_view url() const override {
    return "github.com/janelia-flyem/dvid/datatype/labelgraph";
  }
  std::string_view version() const override { return "0.1"; }
  std::unique_ptr<DataInstance> create(InstanceIdentity identity,
                                       const DvidConfig& config) const override;
};

}  // namespace dvidxfer::server
