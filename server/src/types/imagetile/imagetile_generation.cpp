#include "types/imagetile/imagetile_generation.hpp"

#include <simdjson.h>
#include <tbb/parallel_for.h>

#include <array>
#include <atomic>
#include <cstring>

#include "dvid/dvid_errors.hpp"
#include "gocompat/ascii_case.hpp"
#include "gocompat/go_json_errors.hpp"

namespace dvidxfer::server {
namespace {

std::int32_t coordinate(const Point3& point, int axis) {
  return axis == 0 ? point.x : axis == 1 ? point.y : point.z;
}

void set_coordinate(Point3& point, int axis, std::int32_t value) {
  (axis == 0 ? point.x : axis == 1 ? point.y : point.z) = value;
}

std::int64_t json_integer(simdjson::dom::element value, std::string_view member) {
  std::int64_t number = 0;
  if (value.get_int64().get(number))
    throw DvidError("generate: \"" + std::string(member) + "\" must be an integer, not " +
                    std::string(go_json_kind(value.type())));
  return number;
}

Point3 json_point(simdjson::dom::element value, std::string_view member) {
  simdjson::dom::array list;
  if (value.get_array().get(list) || list.size() != 3)
    throw DvidError("generate: \"" + std::string(member) + "\" must be an [x,y,z] array");
  std::array<std::int32_t, 3> xyz{};
  std::size_t index = 0;
  for (simdjson::dom::element item : list) {
    const std::int64_t number = json_integer(item, member);
    if (number < INT32_MIN || number > INT32_MAX)
      throw DvidError("generate: \"" + std::string(member) + "\" is out of int32 range");
    xyz[index++] = static_cast<std::int32_t>(number);
  }
  return {xyz[0], xyz[1], xyz[2]};
}

Box json_bounds(simdjson::dom::element value) {
  simdjson::dom::object object;
  if (value.get_object().get(object))
    throw DvidError("generate: \"bounds\" must be {\"MinPoint\":[x,y,z],\"MaxPoint\":[x,y,z]}");
  std::optional<Point3> min_point, max_point;
  for (auto member : object) {
    const std::string name = ascii_lower(member.key);
    if (name == "minpoint") min_point = json_point(member.value, "MinPoint");
    if (name == "maxpoint") max_point = json_point(member.value, "MaxPoint");
  }
  if (!min_point || !max_point || min_point->x > max_point->x || min_point->y > max_point->y ||
      min_point->z > max_point->z)
    throw DvidError("generate: \"bounds\" needs MinPoint <= MaxPoint in every axis");
  return {*min_point,
          {max_point->x - min_point->x + 1, max_point->y - min_point->y + 1,
           max_point->z - min_point->z + 1}};
}

// The slice at normal coordinate `at` of a box of voxels read for `band_box`, as an image spanning
// the plane's across and down axes.
std::string slice_of(const std::string& band, const Box& band_box, const PlaneAxes& axes,
                     std::int32_t at) {
  const std::array<std::int64_t, 3> stride{1, band_box.size.x,
                                           std::int64_t{band_box.size.x} * band_box.size.y};
  const std::int64_t width = coordinate(band_box.size, axes.across);
  const std::int64_t height = coordinate(band_box.size, axes.down);
  const std::int64_t base = (at - coordinate(band_box.offset, axes.normal)) * stride[axes.normal];
  std::string image(static_cast<std::size_t>(width * height), '\0');
  for (std::int64_t row = 0; row < height; ++row) {
    const char* from = band.data() + base + row * stride[axes.down];
    char* to = image.data() + row * width;
    if (axes.across == 0) {
      std::memcpy(to, from, static_cast<std::size_t>(width));
    } else {
      for (std::int64_t column = 0; column < width; ++column)
        to[column] = from[column * stride[axes.across]];
    }
  }
  return image;
}

}  // namespace

TileGenerationSettings parse_generation_settings(std::string_view body) {
  TileGenerationSettings settings;
  if (std::all_of(body.begin(), body.end(), [](unsigned char c) { return std::isspace(c); }))
    return settings;
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(body);
  simdjson::dom::element root;
  if (auto error = parser.parse(padded).get(root))
    throw DvidError("Malformed JSON request in body: " +
                    std::string(simdjson::error_message(error)));
  simdjson::dom::object object;
  if (root.get_object().get(object)) throw DvidError("generate: the body must be a JSON object");
  for (auto member : object) {
    const std::string name = ascii_lower(member.key);
    const simdjson::dom::element value = member.value;
    if (name == "planes") {
      simdjson::dom::array list;
      if (value.get_array().get(list) || list.size() == 0)
        throw DvidError("generate: \"planes\" must be a non-empty array of \"xy\", \"xz\", \"yz\"");
      settings.planes.clear();
      for (simdjson::dom::element item : list) {
        std::string_view text;
        if (item.get_string().get(text)) throw DvidError("generate: \"planes\" must hold strings");
        settings.planes.push_back(parse_tile_plane(text));
      }
    } else if (name == "scales") {
      const std::int64_t scales = json_integer(value, "scales");
      if (scales < 1 || scales > 256) throw DvidError("generate: \"scales\" must be 1..256");
      settings.scales = static_cast<std::size_t>(scales);
    } else if (name == "tilesize") {
      const std::int64_t size = json_integer(value, "tilesize");
      if (size < 1 || size > 65536) throw DvidError("generate: \"tilesize\" must be 1..65536");
      settings.tile_size = static_cast<std::int32_t>(size);
    } else if (name == "format") {
      std::string_view text;
      if (value.get_string().get(text)) throw DvidError("generate: \"format\" must be a string");
      settings.format = ascii_lower(text);
    } else if (name == "quality") {
      const std::int64_t quality = json_integer(value, "quality");
      if (quality < 1 || quality > 100) throw DvidError("generate: \"quality\" must be 1..100");
      settings.quality = static_cast<int>(quality);
    } else if (name == "bounds") {
      settings.bounds = json_bounds(value);
    } else {
      throw DvidError("generate: unknown member \"" + std::string(member.key) + "\"");
    }
  }
  return settings;
}

std::string halve_gray8(std::string_view pixels, std::size_t width, std::size_t height) {
  const std::size_t half_width = width / 2;
  const std::size_t half_height = height / 2;
  std::string out(half_width * half_height, '\0');
  const auto* in = reinterpret_cast<const unsigned char*>(pixels.data());
  for (std::size_t y = 0; y < half_height; ++y) {
    const unsigned char* top = in + 2 * y * width;
    const unsigned char* bottom = top + width;
    for (std::size_t x = 0; x < half_width; ++x) {
      const unsigned sum = top[2 * x] + top[2 * x + 1] + bottom[2 * x] + bottom[2 * x + 1];
      out[y * half_width + x] = static_cast<char>(sum / 4);
    }
  }
  return out;
}

Box tiled_region(const Box& volume, const std::vector<Point3>& tile_sizes) {
  Box region;
  for (int axis = 0; axis < 3; ++axis) {
    std::int64_t unit = 1;
    for (std::size_t scale = 0; scale < tile_sizes.size(); ++scale)
      unit =
          std::max<std::int64_t>(unit, std::int64_t{coordinate(tile_sizes[scale], axis)} << scale);
    const std::int64_t first = coordinate(volume.offset, axis);
    const std::int64_t last = first + coordinate(volume.size, axis) - 1;
    const std::int64_t start = (first >= 0 ? first / unit : -((-first + unit - 1) / unit)) * unit;
    const std::int64_t end = (last >= 0 ? last / unit + 1 : -((-last - 1) / unit)) * unit;
    if (end - start > INT32_MAX)
      throw DvidError("generate: the tiled region is too large for int32 coordinates");
    set_coordinate(region.offset, axis, static_cast<std::int32_t>(start));
    set_coordinate(region.size, axis, static_cast<std::int32_t>(end - start));
  }
  return region;
}

std::size_t generate_plane_tiles(TilePlane plane, const Box& volume, const Box& region,
                                 const std::vector<Point3>& tile_sizes, std::int32_t band,
                                 const ReadVoxels& read, const StoreTile& store) {
  const PlaneAxes axes = axes_of(plane);
  const std::int32_t first = coordinate(volume.offset, axes.normal);
  const std::int32_t last = first + coordinate(volume.size, axes.normal) - 1;
  std::atomic<std::size_t> stored{0};
  for (std::int32_t band_start = first; band_start <= last;) {
    // Bands follow the source's block grid so each block is decoded once.
    const std::int32_t band_end = std::min(last, (floor_div(band_start, band) + 1) * band - 1);
    Box band_box = region;
    set_coordinate(band_box.offset, axes.normal, band_start);
    set_coordinate(band_box.size, axes.normal, band_end - band_start + 1);
    const std::string voxels = read(band_box);
    tbb::parallel_for(band_start, band_end + 1, [&](std::int32_t at) {
      std::string image = slice_of(voxels, band_box, axes, at);
      std::size_t width = static_cast<std::size_t>(coordinate(region.size, axes.across));
      std::size_t height = static_cast<std::size_t>(coordinate(region.size, axes.down));
      for (std::size_t scale = 0; scale < tile_sizes.size(); ++scale) {
        if (scale > 0) {
          image = halve_gray8(image, width, height);
          width /= 2;
          height /= 2;
        }
        const auto tile_width =
            static_cast<std::size_t>(coordinate(tile_sizes[scale], axes.across));
        const auto tile_height = static_cast<std::size_t>(coordinate(tile_sizes[scale], axes.down));
        // The region starts on a tile boundary of every scale.
        const std::int32_t first_across =
            static_cast<std::int32_t>((coordinate(region.offset, axes.across) >> scale) /
                                      static_cast<std::int32_t>(tile_width));
        const std::int32_t first_down =
            static_cast<std::int32_t>((coordinate(region.offset, axes.down) >> scale) /
                                      static_cast<std::int32_t>(tile_height));
        std::string tile(tile_width * tile_height, '\0');
        for (std::size_t down = 0; down * tile_height < height; ++down)
          for (std::size_t across = 0; across * tile_width < width; ++across) {
            for (std::size_t row = 0; row < tile_height; ++row)
              std::memcpy(tile.data() + row * tile_width,
                          image.data() + (down * tile_height + row) * width + across * tile_width,
                          tile_width);
            TileAddress address{plane, static_cast<std::uint8_t>(scale), {}};
            set_coordinate(address.coord, axes.across,
                           first_across + static_cast<std::int32_t>(across));
            set_coordinate(address.coord, axes.down, first_down + static_cast<std::int32_t>(down));
            set_coordinate(address.coord, axes.normal, at);
            store(address, tile, tile_width, tile_height);
            stored.fetch_add(1, std::memory_order_relaxed);
          }
      }
    });
    band_start = band_end + 1;
  }
  return stored.load();
}

}  // namespace dvidxfer::server
