// The DVID instance types the volume commands move, and how they look as bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dvidxfer/node_service.hpp"

namespace dvidxfer::cli {

enum class VolumeType { uint8blk, labelblk };

// Bytes per voxel: 1 for uint8blk, 8 (uint64 little-endian) for labelblk.
std::size_t voxel_bytes(VolumeType type);

std::string_view type_name(VolumeType type);

// Bytes of a dense box of `shape_zyx` voxels of the type.
std::uint64_t volume_bytes(VolumeType type, Shape3 shape_zyx);

// "uint8blk" or "labelblk"; std::nullopt for any other name.
std::optional<VolumeType> volume_type_named(std::string_view name);

// The type of an existing instance, from its info (Base.TypeName). Throws dvidxfer::Error when the
// info has no type name or the type is not one the volume commands can move.
VolumeType instance_volume_type(NodeService& node, const std::string& instance);

}  // namespace dvidxfer::cli
