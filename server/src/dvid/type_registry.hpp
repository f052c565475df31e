// The datatypes this server can instantiate, by name. It drives instance creation and
// /api/server/compiled-types, so a new type becomes visible by being added here.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "dvid/data_instance.hpp"

namespace dvidxfer::server {

class TypeRegistry {
 public:
  // Every type the embedded server implements.
  static TypeRegistry compiled();

  void add(std::unique_ptr<DataType> type);
  const DataType* find(std::string_view name) const;
  const std::vector<std::unique_ptr<DataType>>& types() const { return types_; }

 private:
  std::vector<std::unique_ptr<DataType>> types_;
};

}  // namespace dvidxfer::server
