#include "hostile_payloads.hpp"

#include <stdexcept>

namespace dvidxfer::testing {

std::string lz4_bomb(std::uint64_t expanded_bytes) {
  // Sequence 1: one literal zero, then a match at offset 1 repeating it. Its length is
  // 4 + 15 + the sum of the extension bytes (255 each while it goes on, a last one below 255).
  // Sequence 2: the five literals LZ4 requires at the end of a block.
  constexpr std::uint64_t kLiteralsAround = 1 + 5;
  constexpr std::uint64_t kShortestMatch = 4 + 15;
  if (expanded_bytes < kLiteralsAround + kShortestMatch)
    throw std::invalid_argument("lz4_bomb: expands to at least 25 bytes");
  const std::uint64_t extension = expanded_bytes - kLiteralsAround - kShortestMatch;
  std::string block = {
      '\x1f',  // token: 1 literal, match length nibble 15 (extended below)
      '\0',    // the literal
      '\x01',  // match offset 1, little-endian
      '\0',
  };
  block.append(static_cast<std::size_t>(extension / 255), '\xff');
  block += static_cast<char>(extension % 255);
  block += '\x50';  // token: 5 literals, no match
  block.append(5, '\0');
  return block;
}

std::string nested_json_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

}  // namespace dvidxfer::testing
