// Store keys of voxel blocks: a tag byte, then the block's z, y, x as big-endian int32 with the
// sign bit flipped, so byte order is DVID's z,y,x block order (negative coordinates first).
// Multi-scale types (labelmap) put the scale byte after the tag, so a scan runs scale by scale
// and, within a scale, in z,y,x order, as DVID's keys do.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dvid/voxel_geometry.hpp"

namespace dvidxfer::server {

inline constexpr char kBlockKeyTag = '\x01';
inline constexpr std::size_t kBlockKeySize = 13;
inline constexpr std::size_t kScaledBlockKeySize = 14;

inline void append_ordered_int32(std::string& out, std::int32_t value) {
  const std::uint32_t bits = static_cast<std::uint32_t>(value) ^ 0x80000000u;
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((bits >> shift) & 0xff);
}

inline std::int32_t read_ordered_int32(std::string_view bytes) {
  std::uint32_t bits = 0;
  for (int i = 0; i < 4; ++i) bits = (bits << 8) | static_cast<unsigned char>(bytes[i]);
  return static_cast<std::int32_t>(bits ^ 0x80000000u);
}

inline std::string block_key(const Point3& block) {
  std::string key;
  key.reserve(kBlockKeySize);
  key += kBlockKeyTag;
  append_ordered_int32(key, block.z);
  append_ordered_int32(key, block.y);
  append_ordered_int32(key, block.x);
  return key;
}

inline std::string scaled_block_key(std::uint8_t scale, const Point3& block) {
  std::string key;
  key.reserve(kScaledBlockKeySize);
  key += kBlockKeyTag;
  key += static_cast<char>(scale);
  append_ordered_int32(key, block.z);
  append_ordered_int32(key, block.y);
  append_ordered_int32(key, block.x);
  return key;
}

// The block coordinate of a key made by block_key or scaled_block_key (the last 12 bytes of `key`).
inline Point3 block_of_key(std::string_view key) {
  key = key.substr(key.size() - 12);
  return {read_ordered_int32(key.substr(8)), read_ordered_int32(key.substr(4)),
          read_ordered_int32(key)};
}

}  // namespace dvidxfer::server
