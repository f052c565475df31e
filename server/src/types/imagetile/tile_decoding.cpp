#include "types/imagetile/tile_decoding.hpp"

// jpeglib.h needs FILE and size_t declared first.
#include <cstdio>

#include <jpeglib.h>
#include <png.h>

#include <csetjmp>

namespace dvidxfer::server {
namespace {

// libjpeg's default error handler calls exit(); this one jumps back to the decoder instead.
struct JpegErrorTrap {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
};

[[noreturn]] void jump_on_jpeg_error(j_common_ptr info) {
  std::longjmp(reinterpret_cast<JpegErrorTrap*>(info->err)->jump, 1);
}

// libjpeg reports errors by longjmp, so this frame holds nothing with a destructor; `out` lives
// in the caller's frame.
bool decompress_gray8(jpeg_decompress_struct& info, JpegErrorTrap& trap, std::string_view bytes,
                      Gray8Image* out) {
  if (setjmp(trap.jump)) return false;
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&info, TRUE);
  info.out_color_space = JCS_GRAYSCALE;
  jpeg_start_decompress(&info);
  out->width = info.output_width;
  out->height = info.output_height;
  out->pixels.assign(out->width * out->height, '\0');
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = reinterpret_cast<JSAMPROW>(out->pixels.data() +
                                              std::size_t{info.output_scanline} * out->width);
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  return true;
}

}  // namespace

std::optional<Gray8Image> decode_png_as_gray8(std::string_view bytes) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) return std::nullopt;
  image.format = PNG_FORMAT_GRAY;
  Gray8Image out{image.width, image.height, std::string(PNG_IMAGE_SIZE(image), '\0')};
  if (!png_image_finish_read(&image, nullptr, out.pixels.data(), 0, nullptr)) {
    png_image_free(&image);
    return std::nullopt;
  }
  return out;
}

std::optional<Gray8Image> decode_jpeg_as_gray8(std::string_view bytes) {
  jpeg_decompress_struct info{};
  JpegErrorTrap trap{};
  info.err = jpeg_std_error(&trap.manager);
  trap.manager.error_exit = jump_on_jpeg_error;
  Gray8Image out;
  const bool decoded = decompress_gray8(info, trap, bytes, &out);
  jpeg_destroy_decompress(&info);
  if (!decoded) return std::nullopt;
  return out;
}

}  // namespace dvidxfer::server
