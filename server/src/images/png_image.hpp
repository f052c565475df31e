// PNG encoding of 2-D voxel slices (DVID's default image format for 2-D raw GETs).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dvidxfer::server {

// An 8-bit grayscale PNG of `pixels` (width x height bytes, rows top to bottom).
std::string encode_gray8_png(std::string_view pixels, std::size_t width, std::size_t height);

// A 16-bit RGBA PNG whose four samples hold each pixel's 8 bytes as they are (PNG samples are
// big-endian): how Go's encoder writes DVID's NRGBA64 label slices. With `drop_alpha` it is
// 16-bit RGB of the first 6 bytes, which Go writes when every alpha sample is 0xffff.
std::string encode_rgba16_png(std::string_view pixels, std::size_t width, std::size_t height,
                              bool drop_alpha);

}  // namespace dvidxfer::server
