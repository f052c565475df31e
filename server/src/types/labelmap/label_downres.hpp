// DVID's label down-resolution: how a labelmap block of scale s+1 is made from the eight scale-s
// blocks it covers (dvid-api.md 5.10).
//
// The rule, as read in DVID's datatype/common/labels/compressed.go (Block.Downres, which calls
// setBlank and then DownresSlow -> downresArray; DownresLabels, which only DVID's tests call,
// applies the same vote to a whole array) and datatype/labelmap/downres.go (getHiresChanges,
// downresOctant, which loads the stored parent when fewer than eight children changed):
//
//  * Cell vote. Each output voxel covers a 2x2x2 cell of input voxels. Label 0 does not vote. The
//    non-zero label with the most voxels in the cell wins; among labels with equally many voxels
//    the numerically smallest wins (so the result never depends on scan order). The output is 0
//    only when all eight voxels are 0: a single non-zero voxel beats seven zeros.
//  * Gathering. Child block C (block coordinates) belongs to parent floor(C/2) on each axis, in
//    octant (C.z&1)*4 + (C.y&1)*2 + (C.x&1). Octant o fills the output half-block at voxel offset
//    ((o>>2)&1, (o>>1)&1, o&1) * side/2 in (z, y, x).
//  * Absent children. DVID passes only the children changed by a mutation. When fewer than eight
//    are present it starts from the parent block already stored at scale s+1 (all zeros when none
//    is stored) and leaves the octants of the absent children as they were there; when all eight
//    are present it starts from zeros.
//  * Solid shortcut (setBlank), checked first: if every present child is uniform with one label L,
//    and L is 0 whenever some child is absent (all absent counts too), the parent becomes uniform
//    L. This differs from the rules above in one case: changed children that are all empty next to
//    unchanged ones zero the whole parent, including octants an absent child would have kept.
//    "Uniform" here is every voxel equal; DVID asks whether the encoded block lists one label,
//    which is the same thing for blocks DVID encoded itself.
//
// DVID computes the octant with Go's %, which is negative for negative coordinates (an index panic
// or a wrong octant there); parent_block_coord/octant_of use the floor that its >> intends.
//
// Everything here is pure: no state, safe to call from any number of threads at once.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "dvid/voxel_geometry.hpp"

namespace dvidxfer::server {

// Voxels per side of a block, in z, y, x order. Every side must be even and positive (labelmap
// blocks are multiples of 8); functions below throw std::invalid_argument otherwise.
struct BlockShapeZYX {
  std::uint32_t z = 0;
  std::uint32_t y = 0;
  std::uint32_t x = 0;
  std::size_t voxels() const { return std::size_t{z} * y * x; }
};

// children[(dz * 2 + dy) * 2 + dx] is the scale-s block at 2P + (dx, dy, dz) for parent P, or
// nullptr when absent. Each non-null pointer addresses shape.voxels() labels, z-y-x order (x
// fastest), native uint64; they may alias one another but not the output.
using ChildBlocks = std::array<const std::uint64_t*, 8>;

// The label of one 2x2x2 cell under DVID's vote (cell order does not matter).
std::uint64_t downres_cell(const std::array<std::uint64_t, 8>& cell);

// The scale-s+1 block (shape.voxels() labels, z-y-x) covering `children`, all of `shape`.
// `previous_parent` is the parent block currently stored at scale s+1 (same shape), or nullptr
// when there is none; it supplies the octants of absent children as DVID does. A caller that
// always passes every existing child may leave it null: absent then means "no data" (zeros).
std::vector<std::uint64_t> downres_label_block(const ChildBlocks& children,
                                               const BlockShapeZYX& shape,
                                               const std::uint64_t* previous_parent = nullptr);

// As above into `out` (exactly shape.voxels() labels), for callers that reuse a buffer.
// `previous_parent` may equal out.data() (update in place); no child may overlap `out`.
void downres_label_block_into(const ChildBlocks& children, const BlockShapeZYX& shape,
                              const std::uint64_t* previous_parent, std::span<std::uint64_t> out);

// The parent block coordinate of child block `child`: floor(child / 2) on each axis.
Point3 parent_block_coord(const Point3& child);

// The index of `child` in its parent's ChildBlocks: (z&1)*4 + (y&1)*2 + (x&1), floor-based.
int octant_of(const Point3& child);

}  // namespace dvidxfer::server
