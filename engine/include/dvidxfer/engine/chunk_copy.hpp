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

}  // namespace dvidxfer::engine
