// Moving one chunk's voxels between its own dense z-y-x layout and its place in the caller's
// volume buffer (row by row; one memcpy when the chunk is contiguous there), and one block's
// between its window there and dense bytes. Pure.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "dvidxfer/engine/volume_planner.hpp"

namespace dvidxfer::engine {

// Where one block's voxels lie in the caller's buffer: the block-local part [begin, end) (z, y,
// x) inside the transfer's box, starting at `origin`, rows and planes `row_stride` and
// `plane_stride` bytes apart. A PUT's windows hold whole blocks and are only read.
struct BlockWindow {
  char* origin = nullptr;
  std::size_t row_stride = 0;
  std::size_t plane_stride = 0;
  std::array<std::int64_t, 3> begin{};
  std::array<std::int64_t, 3> end{};
};

// Copies `chunk_bytes` (the chunk's voxels, dense, z-y-x) into `volume` at the chunk's place.
void scatter_chunk(const VolumeGeometry& geometry, const Chunk& chunk,
                   std::span<const char> chunk_bytes, std::span<char> volume);

// Copies the chunk's voxels out of `volume` into `chunk_bytes` (dense, z-y-x).
void gather_chunk(const VolumeGeometry& geometry, const Chunk& chunk, std::span<const char> volume,
                  std::span<char> chunk_bytes);

// Writes zeros over the chunk's place in `volume`.
void zero_chunk(const VolumeGeometry& geometry, const Chunk& chunk, std::span<char> volume);

// The window of `volume` (the geometry's box) that receives the part of block `block_box` lying
// inside both `clip` and the box; nullopt when nothing overlaps.
std::optional<BlockWindow> block_window(const VolumeGeometry& geometry, const Box& clip,
                                        const Box& block_box, std::span<char> volume);

// Writes zeros over the window.
void zero_window(const BlockWindow& window, std::size_t voxel_bytes);

// Copies the window's part of one whole block, its voxels dense (z-y-x) in `block_bytes` of
// `block_shape`, into the window.
void copy_into_window(const BlockWindow& window, std::span<const char> block_bytes,
                      const std::array<std::int64_t, 3>& block_shape, std::size_t voxel_bytes);

}  // namespace dvidxfer::engine
