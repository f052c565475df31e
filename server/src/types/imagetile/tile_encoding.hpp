// The choice of encoder (images/: PNG, JPEG) a tile request's optional format segment makes
// ("png", "jpg[:quality]").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dvidxfer::server {

struct EncodedImage {
  std::string content_type;
  std::string bytes;
};

// dvid.WriteImageHttp's formats: "" or "png", "jpg"/"jpeg" with an optional ":quality". Throws
// DvidError with DVID's text for a bad quality or a format this server does not write.
EncodedImage encode_gray8_image(std::string_view pixels, std::size_t width, std::size_t height,
                                std::string_view format);

}  // namespace dvidxfer::server
