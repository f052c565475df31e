#include "types/imagetile/imagetile_metadata.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>

#include "dvid/dvid_errors.hpp"
#include "gocompat/ascii_case.hpp"
#include "gocompat/go_json_errors.hpp"

namespace dvidxfer::server {
namespace {

// encoding/json's float32: shortest digits that round-trip a float32, exponent form outside
// [1e-6, 1e21).
std::string go_json_float32(float value) {
  char buffer[64];
  const float magnitude = std::fabs(value);
  const bool exponent = magnitude != 0 && (magnitude < 1e-6f || magnitude >= 1e21f);
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value,
                              exponent ? std::chars_format::scientific : std::chars_format::fixed);
  std::string text(buffer, result.ptr);
  // Go writes e-07 as e-07 -> "e-7" style exponents without a leading zero.
  if (const std::size_t e = text.find('e');
      e != std::string::npos && e + 2 < text.size() && text[e + 2] == '0')
    text.erase(e + 2, 1);
  return text;
}

std::string point_json(const Point3& point) {
  return fmt::format("[{},{},{}]", point.x, point.y, point.z);
}

std::string field_error(simdjson::dom::element value, std::string_view field,
                        std::string_view type) {
  return go_unmarshal_error(value, fmt::format("Go struct field {} of type {}", field, type));
}

// A JSON array decoded into a Go [3]int32: missing elements stay 0, extra ones are dropped.
Point3 decode_point(simdjson::dom::element value, std::string_view field) {
  std::array<std::int32_t, 3> xyz{};
  if (value.is_null()) return {};
  simdjson::dom::array list;
  if (value.get_array().get(list)) throw DvidError(field_error(value, field, "dvid.Point3d"));
  std::size_t index = 0;
  for (simdjson::dom::element item : list) {
    std::int64_t number = 0;
    if (item.get_int64().get(number) || number < INT32_MIN || number > INT32_MAX)
      throw DvidError(field_error(item, field, "int32"));
    if (index < 3) xyz[index] = static_cast<std::int32_t>(number);
    ++index;
  }
  return {xyz[0], xyz[1], xyz[2]};
}

TileLevel decode_level(simdjson::dom::element value) {
  TileLevel level;
  if (value.is_null()) return level;
  simdjson::dom::object object;
  if (value.get_object().get(object))
    throw DvidError(go_unmarshal_error(value, "Go value of type imagetile.LevelSpec"));
  for (auto member : object) {
    const std::string name = ascii_lower(member.key);
    if (name == "resolution") {
      if (member.value.is_null()) continue;
      simdjson::dom::array list;
      if (member.value.get_array().get(list))
        throw DvidError(field_error(member.value, "LevelSpec.Resolution", "dvid.NdFloat32"));
      for (simdjson::dom::element item : list) {
        double number = 0;
        if (item.get_double().get(number))
          throw DvidError(field_error(item, "LevelSpec.Resolution", "float32"));
        level.resolution.push_back(static_cast<float>(number));
      }
    } else if (name == "tilesize") {
      level.tile_size = decode_point(member.value, "LevelSpec.TileSize");
    }
  }
  return level;
}

// DVID's parseTileSpec: the levels by number, and their magnifications checked.
std::vector<TileLevel> check_levels(const std::map<std::string, TileLevel>& config) {
  const std::size_t count = config.size();
  std::vector<std::optional<TileLevel>> specs(count);
  for (const auto& [key, level] : config) {
    long long scale = 0;
    auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), scale);
    if (key.empty() || error != std::errc() || end != key.data() + key.size())
      throw DvidError("Scaling '" + key + "' needs to be a number for the scale level.");
    if (scale < 0 || static_cast<std::size_t>(scale) >= count)
      throw DvidError(fmt::format(
          "Tile levels must be consecutive integers from [0,Max]: Got scale level {} > # levels "
          "({})\n",
          scale, count));
    specs[static_cast<std::size_t>(scale)] = level;
  }
  std::vector<TileLevel> levels;
  for (std::size_t scale = 0; scale < count; ++scale) {
    if (!specs[scale]) throw DvidError(fmt::format("Could not find tile spec for level {}", scale));
    levels.push_back(*specs[scale]);
  }
  for (std::size_t scale = 0; scale + 1 < count; ++scale) {
    const std::vector<float>& hires = levels[scale].resolution;
    const std::vector<float>& lores = levels[scale + 1].resolution;
    for (std::size_t i = 0; i < hires.size(); ++i) {
      // DVID indexes the next level's resolution without a bounds check: a Go panic.
      if (i >= lores.size())
        throw std::runtime_error(
            fmt::format("runtime error: index out of range [{}] with length {}", i, lores.size()));
      // math.Remainder rounds the quotient to the nearest integer, so only a positive remainder
      // above 0.001 is refused, as in DVID.
      if (std::remainder(double{lores[i]}, double{hires[i]}) > 0.001)
        throw DvidError(
            fmt::format("Resolutions between scale {} and {} aren't integral magnifications!",
                        scale, scale + 1));
      if (double{lores[i]} / double{hires[i]} < 0.99)
        throw DvidError(fmt::format("A resolution between scale {} and {} actually increases!",
                                    scale, scale + 1));
    }
  }
  return levels;
}

}  // namespace

std::string TileMetadata::levels_json() const {
  std::map<std::string, const TileLevel*> sorted;
  for (std::size_t scale = 0; scale < levels.size(); ++scale)
    sorted[std::to_string(scale)] = &levels[scale];
  std::string out = "{";
  for (const auto& [key, level] : sorted) {
    if (out.size() > 1) out += ',';
    out += "\"" + key + "\":{\"Resolution\":";
    if (level->resolution.empty()) {
      out += "null";
    } else {
      out += '[';
      for (std::size_t i = 0; i < level->resolution.size(); ++i) {
        if (i) out += ',';
        out += go_json_float32(level->resolution[i]);
      }
      out += ']';
    }
    out += ",\"TileSize\":" + point_json(level->tile_size) + "}";
  }
  return out + "}";
}

std::string TileMetadata::json() const {
  return "{\"MinTileCoord\":" + point_json(min_tile_coord) +
         ",\"MaxTileCoord\":" + point_json(max_tile_coord) + ",\"Levels\":" + levels_json() + "}";
}

TileMetadata parse_tile_metadata(std::string_view body) {
  if (std::all_of(body.begin(), body.end(), [](unsigned char c) { return std::isspace(c); }))
    throw DvidError("unexpected end of JSON input");
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(body);
  simdjson::dom::element root;
  if (auto error = parser.parse(padded).get(root))
    throw DvidError(std::string(simdjson::error_message(error)));
  TileMetadata metadata;
  if (root.is_null()) return metadata;
  simdjson::dom::object object;
  if (root.get_object().get(object))
    throw DvidError(go_unmarshal_error(root, "Go value of type imagetile.metadataJSON"));
  std::map<std::string, TileLevel> config;
  for (auto member : object) {
    const std::string name = ascii_lower(member.key);
    if (name == "mintilecoord") {
      metadata.min_tile_coord = decode_point(member.value, "metadataJSON.MinTileCoord");
    } else if (name == "maxtilecoord") {
      metadata.max_tile_coord = decode_point(member.value, "metadataJSON.MaxTileCoord");
    } else if (name == "levels" && !member.value.is_null()) {
      simdjson::dom::object levels;
      if (member.value.get_object().get(levels))
        throw DvidError(field_error(member.value, "metadataJSON.Levels", "imagetile.specJSON"));
      for (auto level : levels) config[std::string(level.key)] = decode_level(level.value);
    }
  }
  metadata.levels = check_levels(config);
  return metadata;
}

std::array<std::int32_t, 3> level_magnification(const TileMetadata& metadata, std::size_t scale) {
  std::array<std::int32_t, 3> magnification{1, 1, 1};
  const std::vector<float>& hires = metadata.levels[scale].resolution;
  const std::vector<float>& lores = metadata.levels[scale + 1].resolution;
  for (std::size_t i = 0; i < 3 && i < hires.size() && i < lores.size(); ++i)
    magnification[i] = static_cast<std::int32_t>(double{lores[i]} / double{hires[i]} + 0.5);
  return magnification;
}

}  // namespace dvidxfer::server
