// JPEG encoding of 8-bit grayscale images with libjpeg-turbo: imagetile's JPEG tiles, uint8blk's
// JPEG-stored blocks and its 3-D raw GETs as JPEG.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dvidxfer::server {

// DVID's JPEG quality (dvid.DefaultJPEGQuality): for requests that name none, and always for
// the blocks of a uint8blk stored as JPEG.
inline constexpr int kDefaultJpegQuality = 80;

// A baseline 8-bit grayscale JPEG of `pixels` (width x height bytes, rows top to bottom);
// `quality` 1-100. Throws std::runtime_error when libjpeg fails.
std::string encode_gray8_jpeg(std::string_view pixels, std::size_t width, std::size_t height,
                              int quality);

}  // namespace dvidxfer::server
