// Helpers for the imagetile tests: a repo for imagetile instances, a source volume, and decoders
// for the PNG and JPEG tiles the server sends (libpng and libjpeg directly, independent of the
// server's encoders).
#pragma once

// jpeglib.h needs FILE and size_t declared first.
#include <cstdio>

#include <jpeglib.h>
#include <png.h>

#include <fmt/format.h>

#include <cmath>
#include <csetjmp>
#include <cstdint>
#include <random>
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

// A uint8blk "grayscale" (VoxelSize 4,4,40) holding a test volume, to make tiles from.
// The source volume: x in [32, 128), y in [0, 64), z in [0, 32); tiles are 32 voxels, two scales,
// so the tiled region is x [0, 128), y [0, 64), z [0, 64).
inline constexpr int kX0 = 32, kNx = 96, kNy = 64, kNz = 32;
inline constexpr int kTile = 32;

class ImagetileVolumeTest : public DvidImagetileTest {
 protected:
  ImagetileVolumeTest() {
    new_instance(uuid_, "grayscale", "uint8blk", R"(,"VoxelSize":"4,4,40")");
    volume_.resize(std::size_t{kNx} * kNy * kNz);
  }

  void post_volume() {
    const auto response =
        post(node(fmt::format("grayscale/raw/0_1_2/{}_{}_{}/{}_0_0", kNx, kNy, kNz, kX0)), volume_);
    ASSERT_EQ(response.status, 200) << response.body;
  }
  void fill_random() {
    std::mt19937 random(7);
    for (char& voxel : volume_) voxel = static_cast<char>(random() & 0xff);
  }
  // Smooth enough for JPEG to keep close to it.
  void fill_smooth() {
    for (int z = 0; z < kNz; ++z)
      for (int y = 0; y < kNy; ++y)
        for (int x = 0; x < kNx; ++x)
          volume_[index(x + kX0, y, z)] = static_cast<char>(
              128 + std::lround(60 * std::sin((x + z) / 11.0) + 50 * std::cos(y / 13.0)));
  }

  static std::size_t index(int x, int y, int z) {
    return (std::size_t(z) * kNy + std::size_t(y)) * kNx + std::size_t(x - kX0);
  }
  // The voxel at full resolution; zero outside the volume.
  unsigned voxel(int x, int y, int z) const {
    if (x < kX0 || x >= kX0 + kNx || y < 0 || y >= kNy || z < 0 || z >= kNz) return 0;
    return static_cast<unsigned char>(volume_[index(x, y, z)]);
  }

  // The expected pixels of a tile: scale 0 reads voxels, scale 1 halves 2x2 blocks of scale 0.
  std::string expected_tile(std::string_view plane, int scale, int tx, int ty, int tz) const {
    std::string pixels(kTile * kTile, '\0');
    for (int row = 0; row < kTile; ++row)
      for (int column = 0; column < kTile; ++column) {
        auto full = [&](int a, int d) {
          if (plane == "xy") return voxel(a, d, tz);
          if (plane == "xz") return voxel(a, ty, d);
          return voxel(tx, a, d);
        };
        const int across = (plane == "yz" ? ty : tx) * kTile + column;
        const int down = (plane == "xy" ? ty : tz) * kTile + row;
        unsigned value = 0;
        if (scale == 0) {
          value = full(across, down);
        } else {
          value = (full(2 * across, 2 * down) + full(2 * across + 1, 2 * down) +
                   full(2 * across, 2 * down + 1) + full(2 * across + 1, 2 * down + 1)) /
                  4;
        }
        pixels[std::size_t(row) * kTile + std::size_t(column)] = static_cast<char>(value);
      }
    return pixels;
  }

  GrayImage tile(std::string_view instance, std::string_view plane, int scale, int tx, int ty,
                 int tz, bool jpeg = false) {
    const auto response = get(node(
        fmt::format("{}/tile/{}/{}/{}_{}_{}?noblanks=true", instance, plane, scale, tx, ty, tz)));
    EXPECT_EQ(response.status, 200)
        << plane << " " << scale << " " << tx << "_" << ty << "_" << tz << ": " << response.body;
    EXPECT_EQ(response.header("content-type"), jpeg ? "image/jpeg" : "image/png");
    return jpeg ? decode_gray_jpeg_tile(response.body) : decode_gray_png_tile(response.body);
  }

  std::string volume_;
};

}  // namespace dvidxfer::testing
