// Encoders for 8-bit grayscale tiles: PNG (png_image) and JPEG (libjpeg-turbo), and the choice of
// encoder a tile request's optional format segment makes ("png", "jpg[:quality]").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dvidxfer::server {

// DVID's default JPEG quality (dvid.DefaultJPEGQuality), used when a request names none.
inline constexpr int kDefaultJpegQuality = 80;

// A baseline 8-bit grayscale JPEG of `pixels` (width x height bytes, rows top to bottom);
// `quality` 1-100.
std::string encode_gray8_jpeg(std::string_view pixels, std::size_t width, std::size_t height,
                              int quality);

struct EncodedImage {
  std::string content_type;
  std::string bytes;
};

// dvid.WriteImageHttp's formats: "" or "png", "jpg"/"jpeg" with an optional ":quality". Throws
// DvidError with DVID's text for a bad quality or a format this server does not write.
EncodedImage encode_gray8_image(std::string_view pixels, std::size_t width, std::size_t height,
                                std::string_view format);

}  // namespace dvidxfer::server
