// What the JSON harnesses share: the fuzzer's bytes parsed as a DVID answer, and the decoder run
// under the rule that bad JSON gives a DecodeError naming the URL, nothing else (any other
// exception escapes and libFuzzer reports it).
#pragma once

#include <optional>
#include <string>

#include "dvidxfer/errors.hpp"
#include "dvidxfer/json_document.hpp"
#include "fuzz_check.hpp"

namespace dvidxfer::fuzz {

inline const std::string kAnswerUrl = "http://dvid.test:8000/api/node/abc/fuzzed";

// Runs `decode` (which may throw DecodeError) and returns its value, or nullopt after a clean
// DecodeError.
template <class Decode>
auto decode_or_error(Decode&& decode) -> std::optional<decltype(decode())> {
  try {
    return decode();
  } catch (const DecodeError& error) {
    FUZZ_CHECK(error.url() == kAnswerUrl);
    FUZZ_CHECK(std::string_view(error.what()).size() > 0);
    return std::nullopt;
  }
}

// The bytes as a parsed JSON document, or nullopt when they are not JSON.
inline std::optional<JsonDocument> parse_answer(const std::uint8_t* data, std::size_t size) {
  return decode_or_error([&] {
    return JsonDocument::parse(std::string(reinterpret_cast<const char*>(data), size), kAnswerUrl);
  });
}

}  // namespace dvidxfer::fuzz
