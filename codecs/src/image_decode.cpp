#include "dvidxfer/codecs/image_decode.hpp"

#include <fmt/format.h>
#include <png.h>
// jpeglib.h needs size_t and FILE declared first.
#include <jpeglib.h>
#include <csetjmp>
#include <cstdio>

#include <cstring>

namespace dvidxfer::codecs {

namespace {

constexpr std::size_t kMaxPixels = std::size_t(1) << 30;  // a 32768^2 tile is already absurd

CodecResult<GrayPixels> decode_png(std::string_view bytes) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size()))
    return fail(CodecError{fmt::format("corrupt PNG: {}", image.message), 0});
  image.format = PNG_FORMAT_GRAY;
  const std::size_t pixels = std::size_t(image.width) * image.height;
  if (pixels > kMaxPixels) {
    png_image_free(&image);
    return fail(
        CodecError{fmt::format("PNG of {}x{} pixels is too large", image.width, image.height), 0});
  }
  GrayPixels out;
  out.width = image.width;
  out.height = image.height;
  out.pixels.resize(pixels);
  if (!png_image_finish_read(&image, nullptr, out.pixels.data(), 0, nullptr))
    return fail(CodecError{fmt::format("corrupt PNG: {}", image.message), 0});
  return out;
}

// libjpeg reports errors through a callback that must not return: jump back out of it.
struct JpegErrorManager {
  jpeg_error_mgr base;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void on_jpeg_error(j_common_ptr info) {
  auto* manager = reinterpret_cast<JpegErrorManager*>(info->err);
  (*info->err->format_message)(info, manager->message);
  std::longjmp(manager->jump, 1);
}

CodecResult<GrayPixels> decode_jpeg(std::string_view bytes) {
  jpeg_decompress_struct info{};
  JpegErrorManager errors{};
  info.err = jpeg_std_error(&errors.base);
  errors.base.error_exit = on_jpeg_error;
  // Everything that must survive a longjmp lives outside this frame's automatic C++ objects.
  GrayPixels out;
  if (setjmp(errors.jump)) {
    jpeg_destroy_decompress(&info);
    return fail(CodecError{fmt::format("corrupt JPEG: {}", errors.message), 0});
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&info, TRUE);
  info.out_color_space = JCS_GRAYSCALE;
  jpeg_start_decompress(&info);
  const std::size_t pixels = std::size_t(info.output_width) * info.output_height;
  if (pixels > kMaxPixels || info.output_components != 1) {
    jpeg_destroy_decompress(&info);
    return fail(CodecError{"JPEG too large or not convertible to grayscale", 0});
  }
  out.width = info.output_width;
  out.height = info.output_height;
  out.pixels.resize(pixels);
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = out.pixels.data() + std::size_t(info.output_scanline) * info.output_width;
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  return out;
}

}  // namespace

CodecResult<GrayPixels> decode_gray_image(std::string_view bytes) {
  static constexpr unsigned char kPngSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (bytes.size() >= 8 && std::memcmp(bytes.data(), kPngSignature, 8) == 0)
    return decode_png(bytes);
  if (bytes.size() >= 3 && static_cast<unsigned char>(bytes[0]) == 0xFF &&
      static_cast<unsigned char>(bytes[1]) == 0xD8 && static_cast<unsigned char>(bytes[2]) == 0xFF)
    return decode_jpeg(bytes);
  return fail(CodecError{"neither a PNG nor a JPEG image (unknown magic bytes)", 0});
}

}  // namespace dvidxfer::codecs
