#include "dvidxfer/codecs/image_decode.hpp"

#include <fmt/format.h>
#include <png.h>
// jpeglib.h needs size_t and FILE declared first.
#include <jpeglib.h>
#include <csetjmp>
#include <cstdio>

#include <cstring>
#include <functional>

namespace dvidxfer::codecs {

namespace {

constexpr std::size_t kMaxPixels = std::size_t(1) << 30;  // a 32768^2 tile is already absurd

// Where a decoder writes an image once its header has told the size: a buffer of width * height
// bytes, or an error when that size is not acceptable.
using PixelsFor =
    std::function<CodecResult<std::uint8_t*>(std::int64_t width, std::int64_t height)>;

CodecResult<Unit> decode_png(std::string_view bytes, const PixelsFor& pixels_for) {
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
  auto out = pixels_for(image.width, image.height);
  if (!out) {
    png_image_free(&image);
    return fail(std::move(out).error());
  }
  if (!png_image_finish_read(&image, nullptr, *out, 0, nullptr))
    return fail(CodecError{fmt::format("corrupt PNG: {}", image.message), 0});
  return Unit{};
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

// libjpeg prints warnings (a truncated stream, padded with gray) to stderr and goes on; keep the
// text instead, so the decoder can refuse an image it could not decode whole.
void keep_jpeg_warning(j_common_ptr info) {
  auto* manager = reinterpret_cast<JpegErrorManager*>(info->err);
  (*info->err->format_message)(info, manager->message);
}

CodecResult<Unit> decode_jpeg(std::string_view bytes, const PixelsFor& pixels_for) {
  jpeg_decompress_struct info{};
  JpegErrorManager errors{};
  info.err = jpeg_std_error(&errors.base);
  errors.base.error_exit = on_jpeg_error;
  errors.base.output_message = keep_jpeg_warning;
  // A libjpeg error jumps back here: no object with a destructor may live across a libjpeg call.
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
  if (std::size_t(info.output_width) * info.output_height > kMaxPixels ||
      info.output_components != 1) {
    jpeg_destroy_decompress(&info);
    return fail(CodecError{"JPEG too large or not convertible to grayscale", 0});
  }
  std::uint8_t* rows = nullptr;
  {  // the result is destroyed before libjpeg may jump past it
    auto out = pixels_for(info.output_width, info.output_height);
    if (!out) {
      jpeg_destroy_decompress(&info);
      return fail(std::move(out).error());
    }
    rows = *out;
  }
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = rows + std::size_t(info.output_scanline) * info.output_width;
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  const bool warned = info.err->num_warnings != 0;
  jpeg_destroy_decompress(&info);
  if (warned) return fail(CodecError{fmt::format("corrupt JPEG: {}", errors.message), 0});
  return Unit{};
}

CodecResult<Unit> decode_either(std::string_view bytes, const PixelsFor& pixels_for) {
  static constexpr unsigned char kPngSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (bytes.size() >= 8 && std::memcmp(bytes.data(), kPngSignature, 8) == 0)
    return decode_png(bytes, pixels_for);
  if (is_jpeg(bytes)) return decode_jpeg(bytes, pixels_for);
  return fail(CodecError{"neither a PNG nor a JPEG image (unknown magic bytes)", 0});
}

}  // namespace

bool is_jpeg(std::string_view bytes) {
  return bytes.size() >= 3 && static_cast<unsigned char>(bytes[0]) == 0xFF &&
         static_cast<unsigned char>(bytes[1]) == 0xD8 &&
         static_cast<unsigned char>(bytes[2]) == 0xFF;
}

CodecResult<GrayPixels> decode_gray_image(std::string_view bytes) {
  GrayPixels out;
  auto decoded = decode_either(bytes, [&](std::int64_t width, std::int64_t height) {
    out.width = width;
    out.height = height;
    out.pixels.resize(static_cast<std::size_t>(width * height));
    return CodecResult<std::uint8_t*>(out.pixels.data());
  });
  if (!decoded) return fail(std::move(decoded).error());
  return out;
}

CodecResult<Unit> decode_gray_image_into(std::string_view bytes, std::int64_t width,
                                         std::int64_t height, std::span<std::uint8_t> pixels) {
  return decode_either(
      bytes, [&](std::int64_t got_width, std::int64_t got_height) -> CodecResult<std::uint8_t*> {
        if (got_width != width || got_height != height)
          return fail(CodecError{fmt::format("image is {}x{} pixels where {}x{} were expected",
                                             got_width, got_height, width, height),
                                 0});
        if (pixels.size() != static_cast<std::size_t>(width * height))
          return fail(CodecError{
              fmt::format("{} bytes of room for a {}x{} image", pixels.size(), width, height), 0});
        return pixels.data();
      });
}

}  // namespace dvidxfer::codecs
