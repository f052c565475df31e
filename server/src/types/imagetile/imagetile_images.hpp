// Arbitrary 2-D images from level-0 tiles (imagetile's raw and isotropic endpoints,
// datatype/imagetile GetImage): tiles intersecting the image are pasted in, missing or
// undecodable ones stay black; isotropic images are then resampled by area averaging.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "types/imagetile/imagetile_keys.hpp"
#include "types/imagetile/tile_decoding.hpp"

namespace dvidxfer::server {

// The decoded tile at an address, or nullopt when it is missing or not an image.
using TileImageOf = std::function<std::optional<Gray8Image>(const TileAddress& address)>;

// The width x height image of `plane` whose top-left voxel is `offset`, stitched from scale-0
// tiles of tile_width x tile_height pixels.
std::string stitch_tiles(TilePlane plane, const Point3& offset, std::size_t width,
                         std::size_t height, std::size_t tile_width, std::size_t tile_height,
                         const TileImageOf& tile_image);

// Resamples an 8-bit image to another size: every output pixel is the truncated mean of the
// input area it covers, each input pixel weighted by its overlap (DVID's interpolate1x8
// semantics).
std::string resample_gray8(const std::string& pixels, std::size_t width, std::size_t height,
                           std::size_t new_width, std::size_t new_height);

}  // namespace dvidxfer::server
