// ROI blocks <-> DVID's span JSON [[z, y, x0, x1], ...] (block coordinates, x0..x1 inclusive).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "dvidxfer/roi.hpp"

namespace dvidxfer::api {

// Sorts and de-duplicates `blocks` (z, then y, then x) and encodes runs along x as spans.
std::string encode_roi_spans(std::vector<BlockZYX> blocks);

// Expands spans into blocks sorted by z, y, x, each once even where spans overlap; throws
// DecodeError (naming `url`) on bad JSON, or when the spans expand to more blocks than
// `max_bytes` of memory hold (a few bytes of JSON can name millions of blocks).
std::vector<BlockZYX> decode_roi_spans(std::string_view json, const std::string& url,
                                       std::size_t max_bytes);

}  // namespace dvidxfer::api
