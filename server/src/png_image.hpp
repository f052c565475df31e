// PNG encoding of 2-D voxel slices (DVID's default image format for 2-D raw GETs).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dvidxfer::server {

// An 8-bit grayscale PNG of `pixels` (width x height bytes, rows top to bottom).
std::string encode_gray8_png(std::string_view pixels, std::size_t width, std::size_t height);

}  // namespace dvidxfer::server
