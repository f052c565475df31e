#include "types/imagetile/imagetile_keys.hpp"

#include <fmt/format.h>

#include <charconv>

#include "dvid/dvid_errors.hpp"
#include "gocompat/go_format.hpp"
#include "store/block_key.hpp"

namespace dvidxfer::server {
namespace {

void append_big_endian32(std::string& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xff);
}

// strconv.ParseUint(text, 10, 8).
std::uint8_t parse_scale(std::string_view text) {
  const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits)
    throw DvidError("strconv.ParseUint: parsing " + go_json_string(text) + ": invalid syntax");
  unsigned value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value > 255)
    throw DvidError("strconv.ParseUint: parsing " + go_json_string(text) + ": value out of range");
  return static_cast<std::uint8_t>(value);
}

}  // namespace

PlaneAxes axes_of(TilePlane plane) {
  switch (plane) {
    case TilePlane::xy:
      return {0, 1, 2};
    case TilePlane::xz:
      return {0, 2, 1};
    case TilePlane::yz:
      break;
  }
  return {1, 2, 0};
}

std::string_view plane_name(TilePlane plane) {
  switch (plane) {
    case TilePlane::xy:
      return "xy";
    case TilePlane::xz:
      return "xz";
    case TilePlane::yz:
      break;
  }
  return "yz";
}

TilePlane parse_tile_plane(std::string_view text) {
  switch (parse_data_shape(text)) {
    case DataShape::xy:
      return TilePlane::xy;
    case DataShape::xz:
      return TilePlane::xz;
    case DataShape::yz:
      return TilePlane::yz;
    case DataShape::volume:
      break;
  }
  // DVID would key a 3-D "tile" and then fail on its 2-D size; a tile is 2-D here from the start.
  throw DvidError(fmt::format("Can't get 2D size from a non-2D shape: {}", text));
}

std::string TileAddress::tkey() const {
  const PlaneAxes axes = axes_of(plane);
  std::string key;
  key += '\x03';  // dims of the space
  key += '\x02';  // dims of the shape
  key += static_cast<char>(axes.across);
  key += static_cast<char>(axes.down);
  key.append(3, '\0');  // DataShapeBytes is 7
  key += static_cast<char>(scale);
  key += '\x03';
  append_ordered_int32(key, coord.z);
  append_ordered_int32(key, coord.y);
  append_ordered_int32(key, coord.x);
  return key;
}

std::string TileAddress::storage_key(InstanceId instance, VersionId version) const {
  std::string key(1, '\x01');  // dataKeyPrefix
  append_big_endian32(key, static_cast<std::uint32_t>(instance));
  key += tkey();
  append_big_endian32(key, version);
  append_big_endian32(key, 0);  // client id
  key += '\x03';                // MarkData
  return key;
}

TileAddress parse_tile_address(const std::vector<std::string>& parts) {
  if (parts.size() < 7)
    throw DvidError("'tile' request must be following by plane, scale level, and tile coordinate");
  TileAddress address;
  try {
    address.plane = parse_tile_plane(parts[4]);
  } catch (const DvidError& error) {
    throw DvidError(fmt::format("Illegal tile plane: {} ({})", parts[4], error.what()));
  }
  try {
    address.scale = parse_scale(parts[5]);
  } catch (const DvidError& error) {
    throw DvidError(fmt::format("Illegal tile scale: {} ({})", parts[5], error.what()));
  }
  try {
    address.coord = parse_chunk_point3(parts[6], "_");
  } catch (const DvidError& error) {
    throw DvidError(fmt::format("Illegal tile coordinate: {} ({})", parts[6], error.what()));
  }
  return address;
}

}  // namespace dvidxfer::server
