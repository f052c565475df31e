// Deterministic test volumes for bench and demo: labels shaped like a segmentation (irregular
// cells tens of voxels across, so lz4 compresses them as it does real labels) and grayscale with
// texture and noise (nearly incompressible, as EM data is).
#pragma once

#include <span>

#include "dvidxfer/volume.hpp"
#include "volume_type.hpp"

namespace dvidxfer::cli {

// Fills `bytes` (shape voxels of `type`, z-y-x; 8-byte aligned for labels) with the volume for a
// box at `offset_zyx`, so the same voxel gets the same value whichever box it is written in.
void fill_synthetic_volume(VolumeType type, Shape3 shape_zyx, Point3 offset_zyx,
                           std::span<char> bytes);

}  // namespace dvidxfer::cli
