#include "dvid/voxel_geometry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cstdlib>
#include <vector>

#include "dvid/dvid_errors.hpp"
#include "gocompat/ascii_case.hpp"
#include "gocompat/go_format.hpp"

namespace dvidxfer::server {
namespace {

std::vector<std::string_view> split(std::string_view text, std::string_view separator) {
  std::vector<std::string_view> parts;
  while (true) {
    const std::size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + separator.size());
  }
}

std::string_view trim_space(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

// More voxels than this in one box cannot be a real request, and counting bytes of 8-byte voxels
// still fits an int64.
constexpr std::int64_t kMaxBoxVoxels = std::int64_t{1} << 59;

// Refuses a box whose last point or voxel count does not fit the server's integers (DVID's would
// wrap around silently), before anything is sized or looped over by it.
void check_representable(const Box& box) {
  const std::int64_t offsets[] = {box.offset.x, box.offset.y, box.offset.z};
  const std::int64_t sizes[] = {box.size.x, box.size.y, box.size.z};
  for (int axis = 0; axis < 3; ++axis) {
    const std::int64_t last = offsets[axis] + sizes[axis] - 1;
    if (last > INT32_MAX || last < INT32_MIN)
      throw DvidError(describe_subvolume(box) + " ends outside the 32-bit coordinate range");
  }
  // |x| and |y| are at most 2^31, so their product fits; then divide rather than multiply.
  const std::int64_t plane = std::abs(sizes[0] * sizes[1]);
  if (plane != 0 && std::abs(sizes[2]) > kMaxBoxVoxels / plane)
    throw DvidError(
        fmt::format("{} has more than {} voxels", describe_subvolume(box), kMaxBoxVoxels));
}

Point3 parse_three(const std::vector<std::string_view>& parts) {
  return {static_cast<std::int32_t>(parse_go_int(parts[0], 32)),
          static_cast<std::int32_t>(parse_go_int(parts[1], 32)),
          static_cast<std::int32_t>(parse_go_int(parts[2], 32))};
}

}  // namespace

void check_payload_size(std::int64_t bytes) {
  if (bytes > kMaxDataRequest)
    throw DvidError(
        fmt::format("Requested payload ({} bytes) exceeds this DVID server's set limit ({})", bytes,
                    kMaxDataRequest));
}

std::string to_string(const Point3& point) {
  return fmt::format("({},{},{})", point.x, point.y, point.z);
}

DataShape parse_data_shape(std::string_view text) {
  const std::string shape = ascii_lower(text);
  if (shape == "xy" || shape == "0_1" || shape == "0,1") return DataShape::xy;
  if (shape == "xz" || shape == "0_2" || shape == "0,2") return DataShape::xz;
  if (shape == "yz" || shape == "1_2" || shape == "1,2") return DataShape::yz;
  if (shape == "vol" || shape == "0_1_2" || shape == "0,1,2") return DataShape::volume;
  throw DvidError(fmt::format("Unknown data shape specification ({})", text));
}

std::int64_t parse_go_int(std::string_view text, int bits) {
  const std::string_view trimmed = trim_space(text);
  std::string_view digits = trimmed;
  const bool negative = !digits.empty() && digits.front() == '-';
  if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) digits.remove_prefix(1);
  const bool valid = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
  if (!valid)
    throw DvidError("strconv.ParseInt: parsing " + go_json_string(trimmed) + ": invalid syntax");
  std::uint64_t magnitude = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
  const std::uint64_t limit = (std::uint64_t{1} << (bits - 1)) - (negative ? 0 : 1);
  if (error != std::errc() || end != digits.data() + digits.size() || magnitude > limit)
    throw DvidError("strconv.ParseInt: parsing " + go_json_string(trimmed) +
                    ": value out of range");
  return negative ? -static_cast<std::int64_t>(magnitude) : static_cast<std::int64_t>(magnitude);
}

std::uint64_t parse_go_uint64(std::string_view text) {
  const bool valid = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
  if (!valid)
    throw DvidError("strconv.ParseUint: parsing " + go_json_string(text) + ": invalid syntax");
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    throw DvidError("strconv.ParseUint: parsing " + go_json_string(text) + ": value out of range");
  return value;
}

Point3 parse_point3(std::string_view text, std::string_view separator) {
  const auto parts = split(text, separator);
  if (parts.size() < 2) throw DvidError(fmt::format("cannot convert '{}' into a Point.", text));
  for (const auto part : parts) parse_go_int(part, 32);  // Go reports a bad number first
  if (parts.size() != 3) throw DvidError("must be a 3d coordinate");
  return parse_three(parts);
}

Point3 parse_chunk_point3(std::string_view text, std::string_view separator) {
  const auto parts = split(text, separator);
  if (parts.size() != 3)
    throw DvidError("cannot convert " + go_json_string(text) + " into a ChunkPoint3d");
  return parse_three(parts);
}

std::pair<std::int32_t, std::int32_t> parse_point2(std::string_view text) {
  const auto parts = split(text, "_");
  if (parts.size() != 2) throw DvidError("cannot parse into a 2d point");
  return {static_cast<std::int32_t>(parse_go_int(parts[0], 32)),
          static_cast<std::int32_t>(parse_go_int(parts[1], 32))};
}

Box parse_subvolume(std::string_view size_text, std::string_view offset_text) {
  auto dimensions = [](std::string_view text) {
    const auto parts = split(text, "_");
    if (parts.size() < 2) throw DvidError(fmt::format("cannot convert '{}' into a Point.", text));
    for (const auto part : parts) parse_go_int(part, 32);
    return parts;
  };
  const auto offset = dimensions(offset_text);
  if (offset.size() != 3)
    throw DvidError(
        fmt::format("Offset must be 3d coordinate, not {}-d coordinate", offset.size()));
  const auto size = dimensions(size_text);
  if (size.size() != 3)
    throw DvidError(fmt::format("Size must be 3 (not {}) dimensions", size.size()));
  const Box box{parse_three(offset), parse_three(size)};
  check_representable(box);
  return box;
}

std::string describe_subvolume(const Box& box) {
  return "3d volume " + to_string(box.size) + " at offset " + to_string(box.offset);
}

bool block_aligned(const Box& box, const Point3& block_size) {
  const Point3 end = box.end();
  auto aligned = [](std::int64_t start, std::int64_t last, std::int32_t size) {
    return start % size == 0 && (last + 1) % size == 0;
  };
  return aligned(box.offset.x, end.x, block_size.x) && aligned(box.offset.y, end.y, block_size.y) &&
         aligned(box.offset.z, end.z, block_size.z);
}

Box blocks_covering(const Box& voxels, const Point3& block_size) {
  const Point3 end = voxels.end();
  const Point3 first{floor_div(voxels.offset.x, block_size.x),
                     floor_div(voxels.offset.y, block_size.y),
                     floor_div(voxels.offset.z, block_size.z)};
  const Point3 last{floor_div(end.x, block_size.x), floor_div(end.y, block_size.y),
                    floor_div(end.z, block_size.z)};
  return {first, {last.x - first.x + 1, last.y - first.y + 1, last.z - first.z + 1}};
}

Box slice_box(DataShape shape, const Point3& offset, std::int32_t width, std::int32_t height) {
  Box box{offset, {}};
  switch (shape) {
    case DataShape::xy:
      box.size = {width, height, 1};
      break;
    case DataShape::xz:
      box.size = {width, 1, height};
      break;
    case DataShape::yz:
      box.size = {1, width, height};
      break;
    case DataShape::volume:
      throw DvidError("a 3d volume is not a slice");
  }
  check_representable(box);
  return box;
}

std::string describe_slice(DataShape shape, const Point3& offset, std::int32_t width,
                           std::int32_t height) {
  const std::string_view name = shape == DataShape::xy   ? "XY slice"
                                : shape == DataShape::xz ? "XZ slice"
                                                         : "YZ slice";
  return fmt::format("{} @ offset {}, size ({}, {})", name, to_string(offset), width, height);
}

Point3 parse_block_size_setting(std::string_view text) {
  const auto parts = split(text, ",");
  if (parts.size() != 3) throw DvidError(fmt::format("Illegal block size specified: {}", text));
  const Point3 size = parse_three(parts);
  if (size.x <= 0 || size.y <= 0 || size.z <= 0)
    throw DvidError(fmt::format("Illegal block size specified: {}", text));
  return size;
}

}  // namespace dvidxfer::server
