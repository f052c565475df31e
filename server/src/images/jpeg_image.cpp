#include "images/jpeg_image.hpp"

// jpeglib.h needs FILE and size_t declared first.
#include <cstdio>

#include <jpeglib.h>

#include <csetjmp>
#include <cstdlib>
#include <stdexcept>

namespace dvidxfer::server {
namespace {

// libjpeg's default error handler calls exit(); this one jumps back to the encoder instead.
struct JpegErrorTrap {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
};

[[noreturn]] void jump_on_jpeg_error(j_common_ptr info) {
  std::longjmp(reinterpret_cast<JpegErrorTrap*>(info->err)->jump, 1);
}

// Runs the compression; libjpeg reports errors by longjmp, so this frame holds nothing with a
// destructor.
bool compress_gray8(jpeg_compress_struct& info, JpegErrorTrap& trap, const unsigned char* pixels,
                    std::size_t width, std::size_t height, int quality, unsigned char** out,
                    unsigned long* out_size) {
  if (setjmp(trap.jump)) return false;
  jpeg_create_compress(&info);
  jpeg_mem_dest(&info, out, out_size);
  info.image_width = static_cast<JDIMENSION>(width);
  info.image_height = static_cast<JDIMENSION>(height);
  info.input_components = 1;
  info.in_color_space = JCS_GRAYSCALE;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, quality, TRUE);
  jpeg_start_compress(&info, TRUE);
  while (info.next_scanline < info.image_height) {
    JSAMPROW row = const_cast<unsigned char*>(pixels + info.next_scanline * width);
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  return true;
}

}  // namespace

std::string encode_gray8_jpeg(std::string_view pixels, std::size_t width, std::size_t height,
                              int quality) {
  jpeg_compress_struct info{};
  JpegErrorTrap trap{};
  info.err = jpeg_std_error(&trap.manager);
  trap.manager.error_exit = jump_on_jpeg_error;
  unsigned char* out = nullptr;
  unsigned long out_size = 0;
  const bool compressed =
      compress_gray8(info, trap, reinterpret_cast<const unsigned char*>(pixels.data()), width,
                     height, quality, &out, &out_size);
  std::string bytes;
  if (compressed) bytes.assign(reinterpret_cast<const char*>(out), out_size);
  jpeg_destroy_compress(&info);
  std::free(out);
  if (!compressed) throw std::runtime_error("JPEG encoding failed");
  return bytes;
}

}  // namespace dvidxfer::server
