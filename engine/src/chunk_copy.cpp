#include "dvidxfer/engine/chunk_copy.hpp"

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
    std::uint64_t volume_offset = chunk.buffer_offset + static_cast<std::uint64_t>(z) * volume_plane;
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

}  // namespace dvidxfer::engine
