#include "types/imagetile/tile_encoding.hpp"

#include <algorithm>

#include "dvid/dvid_errors.hpp"
#include "dvid/voxel_geometry.hpp"
#include "gocompat/go_format.hpp"
#include "images/jpeg_image.hpp"
#include "images/png_image.hpp"

namespace dvidxfer::server {

EncodedImage encode_gray8_image(std::string_view pixels, std::size_t width, std::size_t height,
                                std::string_view format) {
  const std::size_t colon = format.find(':');
  const std::string_view name = format.substr(0, colon);
  int quality = kDefaultJpegQuality;
  if (colon != std::string_view::npos) {
    std::string_view quality_text = format.substr(colon + 1);
    quality_text = quality_text.substr(0, quality_text.find(':'));
    quality = static_cast<int>(parse_go_int(quality_text, 64));
  }
  if (name.empty() || name == "png") return {"image/png", encode_gray8_png(pixels, width, height)};
  if (name == "jpg" || name == "jpeg")
    // Go's jpeg encoder clamps the quality into 1..100.
    return {"image/jpeg", encode_gray8_jpeg(pixels, width, height, std::clamp(quality, 1, 100))};
  if (name == "tif" || name == "tiff" || name == "bmp")
    throw DvidError("this server writes PNG and JPEG images, not " + std::string(name));
  throw DvidError("Illegal image format requested: " + std::string(name));
}

}  // namespace dvidxfer::server
