#include "types/imagetile/tile_decoding.hpp"

#include "dvidxfer/codecs/image_decode.hpp"

namespace dvidxfer::server {

std::optional<Gray8Image> decode_tile_image(std::string_view bytes) {
  auto image = codecs::decode_gray_image(bytes);
  if (!image) return std::nullopt;
  return Gray8Image{static_cast<std::size_t>(image->width), static_cast<std::size_t>(image->height),
                    std::string(image->pixels.begin(), image->pixels.end())};
}

}  // namespace dvidxfer::server
