#include "payloads.hpp"

#include <fmt/format.h>

#include <charconv>

#include "dvidxfer/common/splitmix64.hpp"

namespace dvidxfer::load {
namespace {

std::uint64_t mix(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  return splitmix64(splitmix64(splitmix64(a) ^ b) ^ c);
}

// One 64-bit word per voxel position, so that a voxel moved anywhere is noticed.
std::uint64_t position_word(const Point3& p) {
  return (static_cast<std::uint64_t>(p[0]) << 42) ^ (static_cast<std::uint64_t>(p[1]) << 21) ^
         static_cast<std::uint64_t>(p[2]);
}

constexpr std::string_view kSeqField = " seq=";

}  // namespace

std::string kv_key(int client, int index) {
  return fmt::format("c{:04}-k{:02}", client, index);
}

std::string kv_value(int client, int index, std::uint64_t seq) {
  const std::uint64_t seed =
      mix(static_cast<std::uint64_t>(client), static_cast<std::uint64_t>(index), seq);
  const std::size_t size = seed % 5 == 0 ? 1024 + seed % (48 * 1024) : seed % 512;
  std::string value = fmt::format("client={} key={}{}{}\n", client, index, kSeqField, seq);
  value.reserve(value.size() + size);
  std::uint64_t word = seed;
  for (std::size_t i = 0; i < size; ++i) {
    if (i % 8 == 0) word = splitmix64(word);
    value.push_back(static_cast<char>(word >> (8 * (i % 8))));
  }
  return value;
}

std::uint64_t kv_value_seq(const std::string& value) {
  const auto line_end = value.find('\n');
  const auto field = value.find(kSeqField);
  if (line_end == std::string::npos || field == std::string::npos || field > line_end) return 0;
  std::uint64_t seq = 0;
  const char* first = value.data() + field + kSeqField.size();
  std::from_chars(first, value.data() + line_end, seq);
  return seq;
}

std::uint8_t gray_voxel(int client, std::uint64_t seq, const Point3& point_zyx) {
  if (seq == 0) return 0;
  return static_cast<std::uint8_t>(
      mix(static_cast<std::uint64_t>(client), seq, position_word(point_zyx)));
}

std::uint64_t label_voxel(int client, std::uint64_t seq, const Point3& point_zyx) {
  if (seq == 0) return 0;
  const std::uint64_t low =
      mix(static_cast<std::uint64_t>(client), seq, position_word(point_zyx)) & 0xFF;
  return (static_cast<std::uint64_t>(client + 1) << 44) | (seq << 8) | low;
}

}  // namespace dvidxfer::load
