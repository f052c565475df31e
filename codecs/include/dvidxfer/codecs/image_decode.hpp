// Decoding DVID's image tiles (PNG or JPEG, told apart by their magic bytes) to 8-bit grayscale,
// with libpng and libjpeg-turbo. Colour images are converted to gray by the libraries.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "dvidxfer/codecs/codec_error.hpp"

namespace dvidxfer::codecs {

struct GrayPixels {
  std::int64_t height = 0;
  std::int64_t width = 0;
  std::vector<std::uint8_t> pixels;  // row-major, height * width
};

// Whether `bytes` start as a JPEG file does (the SOI marker, then another marker).
bool is_jpeg(std::string_view bytes);

// Decodes a PNG or a JPEG image; anything else, or a corrupt image, gives a CodecError.
CodecResult<GrayPixels> decode_gray_image(std::string_view bytes);

// Decodes a PNG or a JPEG that must be exactly width x height pixels into `pixels` (width *
// height bytes, rows top to bottom), allocating nothing: a stored JPEG block of a uint8blk.
// Another size, or a corrupt image, gives a CodecError; `pixels` may then be partly written.
CodecResult<Unit> decode_gray_image_into(std::string_view bytes, std::int64_t width,
                                         std::int64_t height, std::span<std::uint8_t> pixels);

}  // namespace dvidxfer::codecs
