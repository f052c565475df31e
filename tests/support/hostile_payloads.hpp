// Bodies a hostile DVID sends with honest framing: decompression bombs and pathological JSON.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace dvidxfer::testing {

// One raw LZ4 block (DVID's compression=lz4) that expands to exactly `expanded_bytes` zeros
// (at least 25) from about expanded_bytes / 255 bytes: one literal, then one long match.
std::string lz4_bomb(std::uint64_t expanded_bytes);

// `depth` nested empty arrays: "[[[...]]]".
std::string nested_json_arrays(std::size_t depth);

}  // namespace dvidxfer::testing
