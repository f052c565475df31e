// Byte ranges of keyvalue values: byte_start/byte_end (inclusive, both required) and a single
// HTTP Range header, with DVID's rules and texts (datatype/keyvalue/keyvalue.go).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "dvidxfer/common/result.hpp"
#include "transport/http_exchange.hpp"

namespace dvidxfer::server {

struct ByteRange {
  std::uint64_t start = 0;
  std::uint64_t end = 0;  // inclusive
};

// A range as DVID builds it from a request; fails when start > end.
Result<ByteRange, std::string> make_byte_range(std::string_view key, std::uint64_t start,
                                               std::uint64_t end);

// byte_start/byte_end of the query: nullopt when neither is given.
Result<std::optional<ByteRange>, std::string> byte_range_from_query(const HttpRequest& request,
                                                                    std::string_view key);

// The part of `value` in `range`, or DVID's error when the range runs outside the value.
Result<std::string_view, std::string> slice_value(std::string_view key, std::string_view value,
                                                  const ByteRange& range);

// What a Range header asks of a value of `length` bytes.
struct IgnoredRange {};      // absent, malformed or multi-range: send the whole value
struct UnsatisfiableRange {  // 416 with this text
  std::string message;
};
using RangeRequest = std::variant<IgnoredRange, ByteRange, UnsatisfiableRange>;
RangeRequest parse_range_header(std::string_view header, std::uint64_t length);

}  // namespace dvidxfer::server
