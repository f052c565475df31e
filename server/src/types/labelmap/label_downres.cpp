#include "types/labelmap/label_downres.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace dvidxfer::server {
namespace {

void check_shape(const BlockShapeZYX& shape) {
  for (const std::uint32_t side : {shape.z, shape.y, shape.x}) {
    if (side == 0 || side % 2 != 0) {
      throw std::invalid_argument("label downres needs even, positive block sides, not " +
                                  std::to_string(shape.z) + "x" + std::to_string(shape.y) + "x" +
                                  std::to_string(shape.x) + " (z,y,x)");
    }
  }
}

// The vote over eight values that are not all equal. Counting by pairwise comparison avoids any
// table; repeated labels recount to the same answer, so no "seen" bookkeeping is needed.
inline std::uint64_t vote(const std::uint64_t (&v)[8]) {
  std::uint64_t winner = 0;
  int winner_votes = 0;
  for (int i = 0; i < 8; ++i) {
    const std::uint64_t label = v[i];
    if (label == 0) continue;  // background never votes
    int votes = 0;
    for (int j = 0; j < 8; ++j) votes += v[j] == label;
    if (votes > winner_votes || (votes == winner_votes && label < winner)) {
      winner = label;
      winner_votes = votes;
    }
  }
  return winner;
}

bool uniform(const std::uint64_t* block, std::size_t voxels, std::uint64_t& label) {
  label = block[0];
  const std::uint64_t first = label;
  return std::all_of(block + 1, block + voxels, [first](std::uint64_t v) { return v == first; });
}

// DVID's setBlank: true (with `label`) when the whole parent is to be one label.
bool solid_parent(const ChildBlocks& children, std::size_t voxels, std::uint64_t& label) {
  bool any_absent = false;
  bool any_present = false;
  std::uint64_t common = 0;
  for (const std::uint64_t* child : children) {
    if (child == nullptr) {
      any_absent = true;
      continue;
    }
    std::uint64_t child_label = 0;
    if (!uniform(child, voxels, child_label)) return false;
    if (any_present && child_label != common) return false;
    common = child_label;
    any_present = true;
  }
  if (any_absent && common != 0) return false;
  label = common;
  return true;
}

}  // namespace

std::uint64_t downres_cell(const std::array<std::uint64_t, 8>& cell) {
  std::uint64_t v[8];
  std::copy(cell.begin(), cell.end(), v);
  return vote(v);
}

void downres_label_block_into(const ChildBlocks& children, const BlockShapeZYX& shape,
                              const std::uint64_t* previous_parent, std::span<std::uint64_t> out) {
  check_shape(shape);
  const std::size_t voxels = shape.voxels();
  if (out.size() != voxels) {
    throw std::invalid_argument("label downres output holds " + std::to_string(out.size()) +
                                " labels, the block " + std::to_string(voxels));
  }

  const bool all_present =
      std::none_of(children.begin(), children.end(), [](auto* c) { return c == nullptr; });
  // The solid shortcut only changes the answer where an absent child's octant would have kept a
  // stored parent's labels; everywhere else the vote gives the same, so skip the extra scan.
  if (!all_present && previous_parent != nullptr) {
    std::uint64_t label = 0;
    if (solid_parent(children, voxels, label)) {
      std::fill(out.begin(), out.end(), label);
      return;
    }
  }

  const std::size_t nx = shape.x;
  const std::size_t nyx = std::size_t{shape.y} * nx;
  const std::size_t hz = shape.z / 2, hy = shape.y / 2, hx = shape.x / 2;
  std::uint64_t* const lores = out.data();

  for (int octant = 0; octant < 8; ++octant) {
    const std::size_t oz = (octant >> 2) & 1, oy = (octant >> 1) & 1, ox = octant & 1;
    std::uint64_t* const base = lores + oz * hz * nyx + oy * hy * nx + ox * hx;
    const std::uint64_t* const child = children[octant];

    if (child == nullptr) {
      // DVID keeps the stored parent's labels here (zeros when it has none).
      for (std::size_t z = 0; z < hz; ++z) {
        for (std::size_t y = 0; y < hy; ++y) {
          std::uint64_t* row = base + z * nyx + y * nx;
          if (previous_parent == nullptr) {
            std::fill(row, row + hx, std::uint64_t{0});
          } else if (previous_parent != lores) {
            const std::uint64_t* src = previous_parent + (row - lores);
            std::copy(src, src + hx, row);
          }
        }
      }
      continue;
    }

    for (std::size_t z = 0; z < hz; ++z) {
      for (std::size_t y = 0; y < hy; ++y) {
        const std::uint64_t* r00 = child + (2 * z) * nyx + (2 * y) * nx;
        const std::uint64_t* r01 = r00 + nx;
        const std::uint64_t* r10 = r00 + nyx;
        const std::uint64_t* r11 = r10 + nx;
        std::uint64_t* row = base + z * nyx + y * nx;
        for (std::size_t x = 0; x < hx; ++x) {
          const std::size_t i = 2 * x;
          const std::uint64_t v[8] = {r00[i], r00[i + 1], r01[i], r01[i + 1],
                                      r10[i], r10[i + 1], r11[i], r11[i + 1]};
          const std::uint64_t a = v[0];
          // Most cells of segmentation lie inside one body (or in background).
          if (((v[1] ^ a) | (v[2] ^ a) | (v[3] ^ a) | (v[4] ^ a) | (v[5] ^ a) | (v[6] ^ a) |
               (v[7] ^ a)) == 0) {
            row[x] = a;
          } else {
            row[x] = vote(v);
          }
        }
      }
    }
  }
}

std::vector<std::uint64_t> downres_label_block(const ChildBlocks& children,
                                               const BlockShapeZYX& shape,
                                               const std::uint64_t* previous_parent) {
  check_shape(shape);
  std::vector<std::uint64_t> out(shape.voxels());
  downres_label_block_into(children, shape, previous_parent, out);
  return out;
}

Point3 parent_block_coord(const Point3& child) {
  // Arithmetic shift is floor division by 2, also for negative coordinates.
  return {child.x >> 1, child.y >> 1, child.z >> 1};
}

int octant_of(const Point3& child) {
  return ((child.z & 1) << 2) | ((child.y & 1) << 1) | (child.x & 1);
}

}  // namespace dvidxfer::server
