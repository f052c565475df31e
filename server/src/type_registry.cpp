#include "type_registry.hpp"

#include "keyvalue_handlers.hpp"

namespace dvidxfer::server {

TypeRegistry TypeRegistry::compiled() {
  TypeRegistry registry;
  registry.add(std::make_unique<KeyValueType>());
  return registry;
}

void TypeRegistry::add(std::unique_ptr<DataType> type) {
  types_.push_back(std::move(type));
}

const DataType* TypeRegistry::find(std::string_view name) const {
  for (const auto& type : types_)
    if (type->name() == name) return type.get();
  return nullptr;
}

}  // namespace dvidxfer::server
