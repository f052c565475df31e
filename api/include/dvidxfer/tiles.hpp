// Image tiles of an imagetile instance.
#pragma once

#include <cstdint>
#include <vector>

namespace dvidxfer {

// Tile planes, as libdvid's Slice2D.
enum class Slice2D { XY, XZ, YZ };

// A decoded 8-bit grayscale image, row-major (height rows of width pixels).
struct GrayImage {
  std::int64_t height = 0;
  std::int64_t width = 0;
  std::vector<std::uint8_t> pixels;
};

}  // namespace dvidxfer
