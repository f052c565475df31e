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

std::optional<BlockWindow> block_window(const VolumeGeometry& geometry, const Box& clip,
                                        const Box& block_box, std::span<char> volume) {
  BlockWindow window;
  std::array<std::int64_t, 3> first{};  // the window's first voxel, in volume coordinates
  for (int a = 0; a < 3; ++a) {
    first[a] = std::max({clip.offset[a], block_box.offset[a], geometry.box.offset[a]});
    const auto end =
        std::min({clip.offset[a] + clip.shape[a], block_box.offset[a] + block_box.shape[a],
                  geometry.box.offset[a] + geometry.box.shape[a]});
    if (first[a] >= end) return std::nullopt;
    window.begin[a] = first[a] - block_box.offset[a];
    window.end[a] = end - block_box.offset[a];
  }
  const auto& whole = geometry.box;
  window.row_stride = static_cast<std::size_t>(whole.shape[2]) * geometry.voxel_bytes;
  window.plane_stride = window.row_stride * static_cast<std::size_t>(whole.shape[1]);
  window.origin = volume.data() +
                  static_cast<std::size_t>(first[0] - whole.offset[0]) * window.plane_stride +
                  static_cast<std::size_t>(first[1] - whole.offset[1]) * window.row_stride +
                  static_cast<std::size_t>(first[2] - whole.offset[2]) * geometry.voxel_bytes;
  return window;
}

void zero_window(const BlockWindow& window, std::size_t voxel_bytes) {
  const auto run = static_cast<std::size_t>(window.end[2] - window.begin[2]) * voxel_bytes;
  for (std::int64_t z = 0; z < window.end[0] - window.begin[0]; ++z)
    for (std::int64_t y = 0; y < window.end[1] - window.begin[1]; ++y)
      std::memset(window.origin + static_cast<std::size_t>(z) * window.plane_stride +
                      static_cast<std::size_t>(y) * window.row_stride,
                  0, run);
}

void copy_into_window(const BlockWindow& window, std::span<const char> block_bytes,
                      const std::array<std::int64_t, 3>& block_shape, std::size_t voxel_bytes) {
  const auto run = static_cast<std::size_t>(window.end[2] - window.begin[2]) * voxel_bytes;
  for (std::int64_t z = window.begin[0]; z < window.end[0]; ++z)
    for (std::int64_t y = window.begin[1]; y < window.end[1]; ++y) {
      const auto from =
          ((static_cast<std::size_t>(z) * block_shape[1] + y) * block_shape[2] + window.begin[2]) *
          voxel_bytes;
      std::memcpy(window.origin +
                      static_cast<std::size_t>(z - window.begin[0]) * window.plane_stride +
                      static_cast<std::size_t>(y - window.begin[1]) * window.row_stride,
                  block_bytes.data() + from, run);
    }
}

}  // namespace dvidxfer::engine
