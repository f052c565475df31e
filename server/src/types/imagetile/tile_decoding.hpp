// Stored tiles as images, so imagetile can stitch them into arbitrary images: PNG or JPEG tiles
// decoded to 8-bit gray by the codecs' image decoder (told apart by their magic bytes).
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

// nullopt when the bytes are not a decodable PNG or JPEG.
std::optional<Gray8Image> decode_tile_image(std::string_view bytes);

}  // namespace dvidxfer::server
