#include "dvidxfer/engine/volume_planner.hpp"

#include <algorithm>

namespace dvidxfer::engine {

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// Cuts [begin, end) into pieces whose inner boundaries lie on multiples of `block` and which
// hold about `blocks_per_piece` blocks each.
std::vector<std::pair<std::int64_t, std::int64_t>> cut_axis(std::int64_t begin, std::int64_t end,
                                                            std::int64_t block,
                                                            std::int64_t blocks_per_piece) {
  std::vector<std::pair<std::int64_t, std::int64_t>> pieces;
  const std::int64_t step = block * std::max<std::int64_t>(1, blocks_per_piece);
  std::int64_t start = begin;
  while (start < end) {
    // The next boundary: the first multiple of `step` (relative to block 0) after `start`.
    const std::int64_t next = (floor_div(start, step) + 1) * step;
    const std::int64_t stop = std::min(end, next);
    pieces.emplace_back(start, stop);
    start = stop;
  }
  return pieces;
}

// Blocks along an axis that fit in `budget` given `bytes_per_block_layer` bytes each (at least 1).
std::int64_t layers_within(std::uint64_t budget, std::uint64_t bytes_per_layer) {
  if (bytes_per_layer == 0) return 1;
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(budget / bytes_per_layer));
}

}  // namespace

bool block_aligned(const Box& box, const std::array<std::int64_t, 3>& block) {
  for (int axis = 0; axis < 3; ++axis) {
    const auto begin = box.offset[axis];
    const auto end = box.offset[axis] + box.shape[axis];
    if (begin % block[axis] != 0 || end % block[axis] != 0) return false;
  }
  return true;
}

std::vector<Chunk> plan_chunks(const VolumeGeometry& geometry, const ChunkLimits& limits) {
  const auto& box = geometry.box;
  std::array<std::int64_t, 3> block = geometry.block;  // the unit chunks are cut in
  for (int axis = 0; axis < 3; ++axis)
    if (limits.grid[axis] > 0) block[axis] = limits.grid[axis];
  const std::uint64_t vs = geometry.voxel_bytes;
  const std::uint64_t total = box.voxels() * vs;
  const std::uint64_t row_bytes = static_cast<std::uint64_t>(box.shape[2]) * vs;
  const std::uint64_t plane_bytes = row_bytes * static_cast<std::uint64_t>(box.shape[1]);

  // Aim for chunks of target_bytes, but small enough that there are at least min_chunks, unless
  // that would make them smaller than min_split_bytes.
  std::uint64_t budget = std::min(limits.target_bytes, limits.max_bytes);
  if (limits.min_chunks > 1)
    budget = std::min(
        budget, std::max<std::uint64_t>({1, total / limits.min_chunks, limits.min_split_bytes}));

  const std::uint64_t slab_layer = plane_bytes * static_cast<std::uint64_t>(block[0]);
  std::int64_t z_blocks = layers_within(budget, slab_layer);
  std::int64_t y_blocks = -1;  // -1: whole rows (full slabs)
  std::int64_t x_blocks = -1;
  if (slab_layer > budget) {
    z_blocks = 1;
    // A one-block slab is too big for the budget: cut rows into y bands, then x if needed.
    const std::uint64_t band_layer = row_bytes * static_cast<std::uint64_t>(block[0] * block[1]);
    y_blocks = layers_within(budget, band_layer);
    if (band_layer > budget) {
      y_blocks = 1;
      const std::uint64_t column_layer =
          vs * static_cast<std::uint64_t>(block[0] * block[1] * block[2]);
      x_blocks = layers_within(budget, column_layer);
    }
  }

  const auto z_pieces = cut_axis(box.offset[0], box.offset[0] + box.shape[0], block[0], z_blocks);
  const auto y_pieces =
      y_blocks < 0
          ? std::vector<std::pair<std::int64_t, std::int64_t>>{{box.offset[1],
                                                                box.offset[1] + box.shape[1]}}
          : cut_axis(box.offset[1], box.offset[1] + box.shape[1], block[1], y_blocks);
  const auto x_pieces =
      x_blocks < 0
          ? std::vector<std::pair<std::int64_t, std::int64_t>>{{box.offset[2],
                                                                box.offset[2] + box.shape[2]}}
          : cut_axis(box.offset[2], box.offset[2] + box.shape[2], block[2], x_blocks);

  std::vector<Chunk> chunks;
  chunks.reserve(z_pieces.size() * y_pieces.size() * x_pieces.size());
  for (const auto& [z0, z1] : z_pieces)
    for (const auto& [y0, y1] : y_pieces)
      for (const auto& [x0, x1] : x_pieces) {
        Chunk chunk;
        chunk.index = chunks.size();
        chunk.box.offset = {z0, y0, x0};
        chunk.box.shape = {z1 - z0, y1 - y0, x1 - x0};
        chunk.bytes = chunk.box.voxels() * vs;
        const auto dz = static_cast<std::uint64_t>(z0 - box.offset[0]);
        const auto dy = static_cast<std::uint64_t>(y0 - box.offset[1]);
        const auto dx = static_cast<std::uint64_t>(x0 - box.offset[2]);
        chunk.buffer_offset = dz * plane_bytes + dy * row_bytes + dx * vs;
        // Whole rows are contiguous; whole planes too; a y band of whole rows within one plane set
        // is contiguous only if it spans one z layer or the full height.
        const bool full_rows = chunk.box.shape[2] == box.shape[2];
        const bool full_planes = full_rows && chunk.box.shape[1] == box.shape[1];
        chunk.contiguous = full_planes || (full_rows && chunk.box.shape[0] == 1);
        chunks.push_back(chunk);
      }
  return chunks;
}

}  // namespace dvidxfer::engine
