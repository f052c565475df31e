#include "dvid/type_registry.hpp"

#include "types/imagetile/imagetile_instance.hpp"
#include "types/keyvalue/keyvalue_handlers.hpp"
#include "types/labelgraph/labelgraph_instance.hpp"
#include "types/labelmap/labelmap_instance.hpp"
#include "types/labelvol/labelvol_instance.hpp"
#include "types/roi/roi_instance.hpp"
#include "types/voxels/labelblk_instance.hpp"
#include "types/voxels/uint8blk_instance.hpp"

namespace dvidxfer::server {

TypeRegistry TypeRegistry::compiled() {
  TypeRegistry registry;
  registry.add(std::make_unique<KeyValueType>());
  registry.add(std::make_unique<Uint8blkType>());
  registry.add(std::make_unique<LabelblkType>());
  registry.add(std::make_unique<LabelvolType>());
  registry.add(std::make_unique<RoiType>());
  registry.add(std::make_unique<ImagetileType>());
  registry.add(std::make_unique<LabelgraphType>());
  registry.add(std::make_unique<LabelmapType>(LabelFlavor::labelmap));
  registry.add(std::make_unique<LabelmapType>(LabelFlavor::labelarray));
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
