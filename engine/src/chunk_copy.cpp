#include "dvidxfer/engine/chunk_copy.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace dvidxfer::engine {

namespace {

// Calls copy_row(volume_offset, chunk_offset, row_bytes) for every x-run of the chunk.
template <class CopyRow>
void for_each_row(const VolumeGeometry& geometry, const Chunk& chunk, CopyRow copy_row) {
  const std::uint64_t vs = geometry.voxel_bytes;
  const auto& whole = geometry.box.shape;
  const std::uint64_t volume_row = static_cast<std::uint64_t>(whole[2]) * vs;
  const std::uint64_t volume_plane = volume_row * static_cast<std::uint64_t>(whole[1]);
  const std::uint64_t chunk_row = static_cast<std::uint64_t>(chunk.box.shape[2]) * vs;
  std::uint64_t chunk_offset = 0;
  for (std::int64_t z = 0; z < chunk.box.shape[0]; ++z) {
    std::uint64_t volume_offset =
        chunk.buffer_offset + static_cast<std::uint64_t>(z) * volume_plane;
    for (std::int64_t y = 0; y < chunk.box.shape[1]; ++y) {
      copy_row(volume_offset, chunk_offset, chunk_row);
      volume_offset += volume_row;
      chunk_offset += chunk_row;
    }
  }
}

}  // namespace

void scatter_chunk(const VolumeGeometry& geometry, const Chunk& chunk,
                   std::span<const char> chunk_bytes, std::span<char> volume) {
  assert(chunk_bytes.size() == chunk.bytes);
  if (chunk.contiguous) {
    std::memcpy(volume.data() + chunk.buffer_offset, chunk_bytes.data(), chunk.bytes);
    return;
  }
  for_each_row(geometry, chunk, [&](std::uint64_t at, std::uint64_t from, std::uint64_t n) {
    std::memcpy(volume.data() + at, chunk_bytes.data() + from, n);
  });
}

void gather_chunk(const VolumeGeometry& geometry, const Chunk& chunk, std::span<const char> volume,
                  std::span<char> chunk_bytes) {
  assert(chunk_bytes.size() == chunk.bytes);
  if (chunk.contiguous) {
    std::memcpy(chunk_bytes.data(), volume.data() + chunk.buffer_offset, chunk.bytes);
    return;
  }
  for_each_row(geometry, chunk, [&](std::uint64_t at, std::uint64_t to, std::uint64_t n) {
    std::memcpy(chunk_bytes.data() + to, volume.data() + at, n);
  });
}

void zero_chunk(const VolumeGeometry& geometry, const Chunk& chunk, std::span<char> volume) {
  if (chunk.contiguous) {
    std::memset(volume.data() + chunk.buffer_offset, 0, chunk.bytes);
    return;
  }
  for_each_row(geometry, chunk, [&](std::uint64_t at, std::uint64_t, std::uint64_t n) {
    std::memset(volume.data() + at, 0, n);
  });
}

bool place_block(const VolumeGeometry& geometry, const Box& clip, const Box& block_box,
                 std::span<const char> block_bytes, std::span<char> volume) {
  std::array<std::int64_t, 3> begin{}, end{};
  for (int a = 0; a < 3; ++a) {
    begin[a] = std::max({clip.offset[a], block_box.offset[a], geometry.box.offset[a]});
    end[a] = std::min({clip.offset[a] + clip.shape[a], block_box.offset[a] + block_box.shape[a],
                       geometry.box.offset[a] + geometry.box.shape[a]});
    if (begin[a] >= end[a]) return false;
  }
  const std::uint64_t vs = geometry.voxel_bytes;
  const auto& whole = geometry.box;
  const std::uint64_t run = static_cast<std::uint64_t>(end[2] - begin[2]) * vs;
  for (std::int64_t z = begin[0]; z < end[0]; ++z)
    for (std::int64_t y = begin[1]; y < end[1]; ++y) {
      const auto to = ((static_cast<std::uint64_t>(z - whole.offset[0]) * whole.shape[1] +
                        static_cast<std::uint64_t>(y - whole.offset[1])) *
                           whole.shape[2] +
                       static_cast<std::uint64_t>(begin[2] - whole.offset[2])) *
                      vs;
      const auto from = ((static_cast<std::uint64_t>(z - block_box.offset[0]) * block_box.shape[1] +
                          static_cast<std::uint64_t>(y - block_box.offset[1])) *
                             block_box.shape[2] +
                         static_cast<std::uint64_t>(begin[2] - block_box.offset[2])) *
                        vs;
      std::memcpy(volume.data() + to, block_bytes.data() + from, run);
    }
  return true;
}

}  // namespace dvidxfer::engine
