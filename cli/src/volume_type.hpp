// The DVID instance types the volume commands move, and how they look as bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dvidxfer/node_service.hpp"

namespace dvidxfer::cli {

// labelarray and labelmap store DVID's compressed label blocks (gzip'd) and have scale levels;
// labelmap adds the supervoxel -> body mapping.
enum class VolumeType { uint8blk, labelblk, labelarray, labelmap };

// uint64 labels (every type but uint8blk).
bool is_label_type(VolumeType type);

// labelarray or labelmap: compressed stored blocks, scales, supervoxels (dvid-api.md 5).
bool has_label_blocks(VolumeType type);

// Bytes per voxel: 1 for uint8blk, 8 (uint64 little-endian) for the label types.
std::size_t voxel_bytes(VolumeType type);

std::string_view type_name(VolumeType type);

// Bytes of a dense box of `shape_zyx` voxels of the type.
std::uint64_t volume_bytes(VolumeType type, Shape3 shape_zyx);

// "uint8blk", "labelblk", "labelarray" or "labelmap"; std::nullopt for any other name.
std::optional<VolumeType> volume_type_named(std::string_view name);

// The type of an existing instance, from its info (Base.TypeName). Throws dvidxfer::Error when the
// info has no type name or the type is not one the volume commands can move.
VolumeType instance_volume_type(NodeService& node, const std::string& instance);

}  // namespace dvidxfer::cli
