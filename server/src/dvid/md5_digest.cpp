#include "dvid/md5_digest.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace dvidxfer::server {
namespace {

constexpr std::array<std::uint32_t, 64> kShifts = {
    7,  12, 17, 22, 7,  12, 17, 22, 7,  12, 17, 22, 7,  12, 17, 22, 5,  9,  14, 20, 5,  9,
    14, 20, 5,  9,  14, 20, 5,  9,  14, 20, 4,  11, 16, 23, 4,  11, 16, 23, 4,  11, 16, 23,
    4,  11, 16, 23, 6,  10, 15, 21, 6,  10, 15, 21, 6,  10, 15, 21, 6,  10, 15, 21};

// floor(2^32 * |sin(i + 1)|), the RFC's table.
std::array<std::uint32_t, 64> sine_table() {
  std::array<std::uint32_t, 64> table{};
  for (std::size_t i = 0; i < 64; ++i)
    table[i] = static_cast<std::uint32_t>(
        std::floor(std::fabs(std::sin(static_cast<double>(i + 1))) * 4294967296.0));
  return table;
}

std::uint32_t rotate_left(std::uint32_t value, std::uint32_t count) {
  return (value << count) | (value >> (32 - count));
}

void process_chunk(std::array<std::uint32_t, 4>& state, const unsigned char* chunk,
                   const std::array<std::uint32_t, 64>& sines) {
  std::uint32_t words[16];
  for (int i = 0; i < 16; ++i)
    words[i] = static_cast<std::uint32_t>(chunk[i * 4]) |
               static_cast<std::uint32_t>(chunk[i * 4 + 1]) << 8 |
               static_cast<std::uint32_t>(chunk[i * 4 + 2]) << 16 |
               static_cast<std::uint32_t>(chunk[i * 4 + 3]) << 24;
  auto [a, b, c, d] = state;
  for (std::uint32_t i = 0; i < 64; ++i) {
    std::uint32_t f = 0;
    std::uint32_t g = 0;
    if (i < 16) {
      f = (b & c) | (~b & d);
      g = i;
    } else if (i < 32) {
      f = (d & b) | (~d & c);
      g = (5 * i + 1) % 16;
    } else if (i < 48) {
      f = b ^ c ^ d;
      g = (3 * i + 5) % 16;
    } else {
      f = c ^ (b | ~d);
      g = (7 * i) % 16;
    }
    const std::uint32_t next = d;
    d = c;
    c = b;
    b = b + rotate_left(a + f + sines[i] + words[g], kShifts[i]);
    a = next;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
}

}  // namespace

std::string md5_hex(std::string_view data) {
  static const std::array<std::uint32_t, 64> sines = sine_table();
  std::array<std::uint32_t, 4> state = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  const std::size_t whole = data.size() / 64 * 64;
  for (std::size_t at = 0; at < whole; at += 64)
    process_chunk(state, reinterpret_cast<const unsigned char*>(data.data() + at), sines);
  // The tail, a 1 bit, zeros, and the message length in bits (little-endian).
  unsigned char tail[128] = {};
  const std::size_t rest = data.size() - whole;
  std::memcpy(tail, data.data() + whole, rest);
  tail[rest] = 0x80;
  const std::size_t tail_size = rest < 56 ? 64 : 128;
  const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
  for (int i = 0; i < 8; ++i) tail[tail_size - 8 + i] = static_cast<unsigned char>(bits >> (8 * i));
  for (std::size_t at = 0; at < tail_size; at += 64) process_chunk(state, tail + at, sines);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (std::uint32_t word : state)
    for (int i = 0; i < 4; ++i) {
      const auto byte = static_cast<unsigned char>(word >> (8 * i));
      hex += kHex[byte >> 4];
      hex += kHex[byte & 15];
    }
  return hex;
}

}  // namespace dvidxfer::server
