// The X runs of each label inside one block of uint64 labels, as DVID's legacy RLE writes them
// (int32 LE x, y, z of the first voxel, int32 LE length; dvid-api.md 4.6), and the sparse volume
// bodies built from them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "dvid/voxel_geometry.hpp"

namespace dvidxfer::server {

inline constexpr std::size_t kRunBytes = 16;

// Runs per non-zero label of a block (`labels` is block_size voxels, ZYX, uint64 LE), in voxel
// coordinates, in z, y, x order.
std::unordered_map<std::uint64_t, std::string> runs_by_label(std::string_view labels,
                                                             const Point3& block,
                                                             const Point3& block_size);

// Inclusive voxel bounds on each axis; absent sides are unbounded.
struct VoxelBounds {
  std::optional<std::int32_t> min[3];
  std::optional<std::int32_t> max[3];
  bool empty() const;
};

// The runs of `runs` clipped to `bounds` (runs outside in y or z dropped, x trimmed).
std::string clip_runs(std::string_view runs, const VoxelBounds& bounds);

// The 12-byte RLE header: descriptor 0, 3 dimensions, run along X, reserved, voxel count 0 (DVID
// never fills it), then the number of runs.
std::string rle_header(std::uint32_t runs);

void append_int32_le(std::string& out, std::int32_t value);
std::int32_t read_int32_le(std::string_view bytes);

}  // namespace dvidxfer::server
