#include "volume_type.hpp"

#include <fmt/format.h>

#include "dvidxfer/errors.hpp"

namespace dvidxfer::cli {

std::size_t voxel_bytes(VolumeType type) {
  return type == VolumeType::uint8blk ? 1 : 8;
}

std::string_view type_name(VolumeType type) {
  return type == VolumeType::uint8blk ? "uint8blk" : "labelblk";
}

std::uint64_t volume_bytes(VolumeType type, Shape3 shape_zyx) {
  return static_cast<std::uint64_t>(shape_zyx[0]) * static_cast<std::uint64_t>(shape_zyx[1]) *
         static_cast<std::uint64_t>(shape_zyx[2]) * voxel_bytes(type);
}

std::optional<VolumeType> volume_type_named(std::string_view name) {
  if (name == "uint8blk") return VolumeType::uint8blk;
  if (name == "labelblk") return VolumeType::labelblk;
  return std::nullopt;
}

VolumeType instance_volume_type(NodeService& node, const std::string& instance) {
  const auto info = node.get_typeinfo(instance);
  std::string_view name;
  if (info.root()["Base"]["TypeName"].get(name) != simdjson::SUCCESS)
    throw Error(fmt::format("the info of instance '{}' has no Base.TypeName: {}", instance,
                            info.text().substr(0, 200)));
  const auto type = volume_type_named(name);
  if (!type)
    throw Error(fmt::format("instance '{}' is a {}; volume transfers support uint8blk and labelblk",
                            instance, name));
  return *type;
}

}  // namespace dvidxfer::cli
