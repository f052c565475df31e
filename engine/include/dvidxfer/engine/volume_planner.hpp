// VolumePlanner: turns one big volume transfer into chunk requests that run in parallel.
// Chunks follow block boundaries (so the server touches each block once), prefer full x-y slabs
// (contiguous in the caller's z-y-x buffer, decoded in place), and fall back to y and then x
// splits (scattered row by row) when a one-block-thick slab would exceed the chunk budget.
// Pure: no I/O, 64-bit sizes throughout.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace dvidxfer::engine {

// A box of voxels in (z, y, x) order.
struct Box {
  std::array<std::int64_t, 3> offset{};  // first voxel, may be negative
  std::array<std::int64_t, 3> shape{};   // voxels along z, y, x; all > 0
  std::uint64_t voxels() const noexcept {
    return static_cast<std::uint64_t>(shape[0]) * static_cast<std::uint64_t>(shape[1]) *
           static_cast<std::uint64_t>(shape[2]);
  }
  friend bool operator==(const Box&, const Box&) = default;
};

struct VolumeGeometry {
  Box box;                                        // the whole transfer
  std::array<std::int64_t, 3> block{32, 32, 32};  // the instance's block size (z, y, x)
  std::size_t voxel_bytes = 1;                    // 1 for uint8, 8 for uint64 labels
};

struct ChunkLimits {
  std::uint64_t target_bytes = 16ull << 20;  // preferred uncompressed bytes per chunk
  std::uint64_t max_bytes = 256ull << 20;    // never more than this per chunk (if a block allows)
  std::size_t min_chunks = 1;                // split at least this much (to fill the pool)
  // Splitting for min_chunks stops at chunks this small (0: no floor); target_bytes still wins
  // when it is smaller.
  std::uint64_t min_split_bytes = 0;
  // Inner chunk boundaries fall on multiples of this (z, y, x voxels; each a multiple of the
  // block); 0: the block. A labelmap write with downres uses block x 2^levels, so no lower-scale
  // block is recomputed by two requests that each see only half of its children.
  std::array<std::int64_t, 3> grid{};
};

struct Chunk {
  std::size_t index = 0;            // position in the plan
  Box box;                          // voxels this chunk covers (inside the geometry's box)
  std::uint64_t buffer_offset = 0;  // byte offset of the chunk's first voxel in the caller buffer
  std::uint64_t bytes = 0;          // uncompressed bytes
  bool contiguous = false;          // its bytes form one run in the caller's buffer
};

// The chunks that cover `geometry.box` exactly once, in z-y-x order.
std::vector<Chunk> plan_chunks(const VolumeGeometry& geometry, const ChunkLimits& limits);

// Whether every face of `box` lies on a block boundary (DVID's test for writes).
bool block_aligned(const Box& box, const std::array<std::int64_t, 3>& block);

}  // namespace dvidxfer::engine
