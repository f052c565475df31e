#include "types/imagetile/imagetile_images.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace dvidxfer::server {
namespace {

std::int64_t coordinate(const Point3& point, int axis) {
  return axis == 0 ? point.x : axis == 1 ? point.y : point.z;
}

void set_coordinate(Point3& point, int axis, std::int64_t value) {
  (axis == 0 ? point.x : axis == 1 ? point.y : point.z) = static_cast<std::int32_t>(value);
}

std::int64_t floor_div64(std::int64_t a, std::int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

// How much of each output cell every input cell covers, on an axis of input_size * output_size
// units where an input cell spans output_size units and an output cell input_size.
struct Overlap {
  std::size_t input;
  std::size_t output;
  std::uint64_t length;
};

std::vector<Overlap> overlaps(std::size_t input_size, std::size_t output_size) {
  std::vector<Overlap> out;
  for (std::size_t in = 0; in < input_size; ++in) {
    std::uint64_t from = in * output_size;
    const std::uint64_t to = from + output_size;
    while (from < to) {
      const std::size_t cell = static_cast<std::size_t>(from / input_size);
      const std::uint64_t cell_end = (cell + 1) * std::uint64_t{input_size};
      const std::uint64_t end = std::min(to, cell_end);
      out.push_back({in, cell, end - from});
      from = end;
    }
  }
  return out;
}

}  // namespace

std::string stitch_tiles(TilePlane plane, const Point3& offset, std::size_t width,
                         std::size_t height, std::size_t tile_width, std::size_t tile_height,
                         const TileImageOf& tile_image) {
  const PlaneAxes axes = axes_of(plane);
  std::string image(width * height, '\0');
  const std::int64_t left = coordinate(offset, axes.across);
  const std::int64_t top = coordinate(offset, axes.down);
  const auto tw = static_cast<std::int64_t>(tile_width);
  const auto th = static_cast<std::int64_t>(tile_height);
  for (std::int64_t ty = floor_div64(top, th); ty * th < top + std::int64_t(height); ++ty)
    for (std::int64_t tx = floor_div64(left, tw); tx * tw < left + std::int64_t(width); ++tx) {
      TileAddress address{plane, 0, {}};
      set_coordinate(address.coord, axes.across, tx);
      set_coordinate(address.coord, axes.down, ty);
      set_coordinate(address.coord, axes.normal, coordinate(offset, axes.normal));
      const std::optional<Gray8Image> tile = tile_image(address);
      if (!tile) continue;
      // The part of the tile inside the image, in image pixels; a tile smaller than the level's
      // tile size covers less.
      const std::int64_t x0 = std::max(left, tx * tw), y0 = std::max(top, ty * th);
      const std::int64_t x1 = std::min(
          {left + std::int64_t(width), (tx + 1) * tw, tx * tw + std::int64_t(tile->width)});
      const std::int64_t y1 = std::min(
          {top + std::int64_t(height), (ty + 1) * th, ty * th + std::int64_t(tile->height)});
      for (std::int64_t y = y0; y < y1; ++y)
        std::copy_n(
            tile->pixels.data() + (y - ty * th) * std::int64_t(tile->width) + (x0 - tx * tw),
            x1 - x0, image.data() + (y - top) * std::int64_t(width) + (x0 - left));
    }
  return image;
}

std::string resample_gray8(const std::string& pixels, std::size_t width, std::size_t height,
                           std::size_t new_width, std::size_t new_height) {
  if (width == new_width && height == new_height) return pixels;
  const std::vector<Overlap> columns = overlaps(width, new_width);
  const std::vector<Overlap> rows = overlaps(height, new_height);
  std::vector<std::uint64_t> sums(new_width * new_height, 0);
  for (const Overlap& row : rows)
    for (const Overlap& column : columns)
      sums[row.output * new_width + column.output] +=
          std::uint64_t{static_cast<unsigned char>(pixels[row.input * width + column.input])} *
          row.length * column.length;
  const std::uint64_t area = std::uint64_t{width} * height;
  std::string out(new_width * new_height, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<char>(sums[i] / area);
  return out;
}

}  // namespace dvidxfer::server
