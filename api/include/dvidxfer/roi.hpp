// ROI types of the API. Blocks and points are (z, y, x), as everywhere in the API.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace dvidxfer {

using BlockZYX = std::array<std::int64_t, 3>;  // block coordinates (z, y, x)
using PointZYX = std::array<std::int64_t, 3>;  // voxel coordinates (z, y, x)

// A cubic substack of a partition: its edge in voxels and its first voxel (z, y, x).
struct SubstackZYX {
  std::int64_t size = 0;
  std::int64_t z = 0;
  std::int64_t y = 0;
  std::int64_t x = 0;
  friend bool operator==(const SubstackZYX&, const SubstackZYX&) = default;
  friend auto operator<=>(const SubstackZYX& a, const SubstackZYX& b) {
    return std::array{a.z, a.y, a.x, a.size} <=> std::array{b.z, b.y, b.x, b.size};
  }
};

struct RoiPartition {
  std::vector<SubstackZYX> substacks;  // sorted by z, then y, then x
  double packing_factor = 0;           // ROI blocks / blocks of all substacks of the tiling
};

}  // namespace dvidxfer
