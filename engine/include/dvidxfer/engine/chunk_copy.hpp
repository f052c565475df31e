// Moving one chunk's voxels between its own dense z-y-x layout and its place in the caller's
// volume buffer (row by row; one memcpy when the chunk is contiguous there). Pure.
#pragma once

#include <span>

#include "dvidxfer/engine/volume_planner.hpp"

namespace dvidxfer::engine {

// Copies `chunk_bytes` (the chunk's voxels, dense, z-y-x) into `volume` at the chunk's place.
void scatter_chunk(const VolumeGeometry& geometry, const Chunk& chunk,
                   std::span<const char> chunk_bytes, std::span<char> volume);

// Copies the chunk's voxels out of `volume` into `chunk_bytes` (dense, z-y-x).
void gather_chunk(const VolumeGeometry& geometry, const Chunk& chunk, std::span<const char> volume,
                  std::span<char> chunk_bytes);

// Writes zeros over the chunk's place in `volume`.
void zero_chunk(const VolumeGeometry& geometry, const Chunk& chunk, std::span<char> volume);

// Copies the part of one block (`block_box`, its voxels dense in `block_bytes`) that lies inside
// both `clip` and the geometry's box into `volume`. Returns false when nothing overlaps.
bool place_block(const VolumeGeometry& geometry, const Box& clip, const Box& block_box,
                 std::span<const char> block_bytes, std::span<char> volume);

}  // namespace dvidxfer::engine
