#include "volume_type.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "dvidxfer/errors.hpp"

namespace dvidxfer::cli {

namespace {

constexpr std::array<std::pair<VolumeType, std::string_view>, 4> kNames = {{
    {VolumeType::uint8blk, "uint8blk"},
    {VolumeType::labelblk, "labelblk"},
    {VolumeType::labelarray, "labelarray"},
    {VolumeType::labelmap, "labelmap"},
}};

}  // namespace

bool is_label_type(VolumeType type) {
  return type != VolumeType::uint8blk;
}

bool has_label_blocks(VolumeType type) {
  return type == VolumeType::labelarray || type == VolumeType::labelmap;
}

std::size_t voxel_bytes(VolumeType type) {
  return is_label_type(type) ? 8 : 1;
}

std::string_view type_name(VolumeType type) {
  for (const auto& [known, name] : kNames)
    if (known == type) return name;
  return "?";
}

std::uint64_t volume_bytes(VolumeType type, Shape3 shape_zyx) {
  return static_cast<std::uint64_t>(shape_zyx[0]) * static_cast<std::uint64_t>(shape_zyx[1]) *
         static_cast<std::uint64_t>(shape_zyx[2]) * voxel_bytes(type);
}

std::optional<VolumeType> volume_type_named(std::string_view name) {
  for (const auto& [type, known] : kNames)
    if (known == name) return type;
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
    throw Error(fmt::format(
        "instance '{}' is a {}; volume transfers support uint8blk, labelblk, labelarray and "
        "labelmap",
        instance, name));
  return *type;
}

}  // namespace dvidxfer::cli
