#include "images/png_image.hpp"

#include <png.h>

#include <csetjmp>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace dvidxfer::server {
namespace {

void append_to_string(png_structp png, png_bytep data, png_size_t length) {
  static_cast<std::string*>(png_get_io_ptr(png))
      ->append(reinterpret_cast<const char*>(data), length);
}

void ignore_png_warning(png_structp, png_const_charp) {}

// libpng reports errors by longjmp, so this frame holds nothing with a destructor.
bool write_rows(png_structp png, png_infop info, png_bytepp rows, png_uint_32 width,
                png_uint_32 height, int bit_depth, int color_type) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_IHDR(png, info, width, height, bit_depth, color_type, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_rows(png, info, rows);
  png_write_png(png, info, PNG_TRANSFORM_IDENTITY, nullptr);
  return true;
}

// `pixels` holds height rows of `row_bytes` each.
std::string encode(std::string_view pixels, std::size_t row_bytes, std::size_t width,
                   std::size_t height, int bit_depth, int color_type) {
  std::string out;
  std::vector<png_bytep> rows(height);
  for (std::size_t y = 0; y < height; ++y)
    rows[y] = reinterpret_cast<png_bytep>(const_cast<char*>(pixels.data() + y * row_bytes));
  png_structp png =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, ignore_png_warning);
  if (!png) throw std::runtime_error("PNG encoder could not be created");
  png_infop info = png_create_info_struct(png);
  bool written = false;
  if (info) {
    png_set_write_fn(png, &out, append_to_string, nullptr);
    written = write_rows(png, info, rows.data(), static_cast<png_uint_32>(width),
                         static_cast<png_uint_32>(height), bit_depth, color_type);
  }
  png_destroy_write_struct(&png, &info);
  if (!written) throw std::runtime_error("PNG encoding failed");
  return out;
}

}  // namespace

std::string encode_gray8_png(std::string_view pixels, std::size_t width, std::size_t height) {
  return encode(pixels, width, width, height, 8, PNG_COLOR_TYPE_GRAY);
}

std::string encode_rgba16_png(std::string_view pixels, std::size_t width, std::size_t height,
                              bool drop_alpha) {
  if (!drop_alpha) return encode(pixels, width * 8, width, height, 16, PNG_COLOR_TYPE_RGBA);
  std::string rgb(width * height * 6, '\0');
  for (std::size_t i = 0; i < width * height; ++i)
    std::memcpy(rgb.data() + i * 6, pixels.data() + i * 8, 6);
  return encode(rgb, width * 6, width, height, 16, PNG_COLOR_TYPE_RGB);
}

}  // namespace dvidxfer::server
