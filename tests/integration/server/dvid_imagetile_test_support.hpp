// Helpers for the imagetile tests: a repo with an imagetile instance, and decoders for the PNG and
// JPEG tiles the server sends (libpng and libjpeg directly, independent of the server's encoders).
#pragma once

// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>
#include <png.h>
#include <cstdio>

#include <csetjmp>
#include <cstdint>
#include <string>
#include <string_view>

#include "dvid_test_server.hpp"

namespace dvidxfer::testing {

// An 8-bit grayscale image.
struct GrayImage {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::string pixels;  // rows top to bottom
};

// Decodes a PNG that must be 8-bit grayscale (fails the test otherwise).
inline GrayImage decode_gray_png_tile(std::string_view png) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  GrayImage out;
  if (!png_image_begin_read_from_memory(&image, png.data(), png.size())) {
    ADD_FAILURE() << "not a PNG: " << image.message;
    return out;
  }
  EXPECT_EQ(image.format, PNG_FORMAT_GRAY) << "PNG is not 8-bit grayscale";
  image.format = PNG_FORMAT_GRAY;
  out.width = image.width;
  out.height = image.height;
  out.pixels.assign(PNG_IMAGE_SIZE(image), '\0');
  if (!png_image_finish_read(&image, nullptr, out.pixels.data(), 0, nullptr))
    ADD_FAILURE() << "PNG decoding failed: " << image.message;
  return out;
}

struct JpegDecodeTrap {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
};

// libjpeg reports errors by longjmp, so this frame holds nothing with a destructor; `out` lives in
// the caller's frame.
inline bool run_jpeg_decode(jpeg_decompress_struct& info, JpegDecodeTrap& trap,
                            std::string_view jpeg, GrayImage* out) {
  if (setjmp(trap.jump)) return false;
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(jpeg.data()),
               static_cast<unsigned long>(jpeg.size()));
  jpeg_read_header(&info, TRUE);
  info.out_color_space = JCS_GRAYSCALE;
  jpeg_start_decompress(&info);
  out->width = info.output_width;
  out->height = info.output_height;
  out->pixels.assign(std::size_t{out->width} * out->height, '\0');
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = reinterpret_cast<JSAMPROW>(out->pixels.data() +
                                              std::size_t{info.output_scanline} * out->width);
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  return true;
}

// Decodes a JPEG into grayscale pixels (fails the test if it is not one).
inline GrayImage decode_gray_jpeg_tile(std::string_view jpeg) {
  jpeg_decompress_struct info{};
  JpegDecodeTrap trap{};
  info.err = jpeg_std_error(&trap.manager);
  trap.manager.error_exit = [](j_common_ptr common) {
    std::longjmp(reinterpret_cast<JpegDecodeTrap*>(common->err)->jump, 1);
  };
  GrayImage out;
  const bool decoded = run_jpeg_decode(info, trap, jpeg, &out);
  jpeg_destroy_decompress(&info);
  if (!decoded) {
    ADD_FAILURE() << "JPEG decoding failed";
    return GrayImage{};
  }
  return out;
}

// A repo whose root holds an imagetile instance named "tiles".
class DvidImagetileTest : public DvidServerTest {
 protected:
  DvidImagetileTest() : uuid_(new_repo()) {}

  std::string node(std::string_view rest) const {
    return "/api/node/" + uuid_ + "/" + std::string(rest);
  }

  std::string uuid_;
};

}  // namespace dvidxfer::testing
