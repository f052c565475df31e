// Deterministic test volumes for bench and demo: labels shaped like a segmentation (irregular
// cells tens of voxels across, so lz4 compresses them as it does real labels) and grayscale with
// texture and noise (nearly incompressible, as EM data is).
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "dvidxfer/volume.hpp"
#include "volume_type.hpp"

namespace dvidxfer::cli {

// Fills `bytes` (shape voxels of `type`, z-y-x; 8-byte aligned for labels) with the volume for a
// box at `offset_zyx`, so the same voxel gets the same value whichever box it is written in.
void fill_synthetic_volume(VolumeType type, Shape3 shape_zyx, Point3 offset_zyx,
                           std::span<char> bytes);

// Calls fill(z_begin, z_end) over `planes` z planes split across the machine's cores (at most
// 8 threads): gigabyte volumes are generated in a second or two.
void fill_planes_in_parallel(std::int64_t planes,
                             const std::function<void(std::int64_t, std::int64_t)>& fill);

}  // namespace dvidxfer::cli
