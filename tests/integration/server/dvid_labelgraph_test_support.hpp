// Helpers for the labelgraph tests: a repo with a labelgraph named "graph", and the uint64 LE
// fields of property-transaction bodies.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "dvid_test_server.hpp"

namespace dvidxfer::testing {

// uint64 little-endian fields, concatenated.
inline std::string le64(std::initializer_list<std::uint64_t> values) {
  std::string out;
  for (std::uint64_t value : values)
    for (int shift = 0; shift < 64; shift += 8) out += static_cast<char>((value >> shift) & 0xff);
  return out;
}

inline std::uint64_t le64_at(std::string_view bytes, std::size_t field) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i)
    value = (value << 8) | static_cast<unsigned char>(bytes.at(field * 8 + std::size_t(i)));
  return value;
}

class DvidLabelgraphTest : public DvidServerTest {
 protected:
  DvidLabelgraphTest() : uuid_(new_repo()) { new_instance(uuid_, "graph", "labelgraph"); }

  std::string node(std::string_view rest) const {
    return "/api/node/" + uuid_ + "/graph/" + std::string(rest);
  }

  std::string uuid_;
};

}  // namespace dvidxfer::testing
