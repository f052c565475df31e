// Decoders for stored tiles, so imagetile can stitch them into arbitrary images: PNG (any color
// type, converted to 8-bit gray by libpng) and JPEG (converted to gray by libjpeg).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dvidxfer::server {

struct Gray8Image {
  std::size_t width = 0;
  std::size_t height = 0;
  std::string pixels;  // rows top to bottom
};

// nullopt when the bytes are not a decodable image.
std::optional<Gray8Image> decode_png_as_gray8(std::string_view bytes);
std::optional<Gray8Image> decode_jpeg_as_gray8(std::string_view bytes);

}  // namespace dvidxfer::server
