// ROI blocks <-> DVID's span JSON [[z, y, x0, x1], ...] (block coordinates, x0..x1 inclusive).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dvidxfer/roi.hpp"

namespace dvidxfer::api {

// Sorts and de-duplicates `blocks` (z, then y, then x) and encodes runs along x as spans.
std::string encode_roi_spans(std::vector<BlockZYX> blocks);

// Expands spans into blocks sorted by z, y, x, each once even where spans overlap; throws
// DecodeError (naming `url`) on bad JSON.
std::vector<BlockZYX> decode_roi_spans(std::string_view json, const std::string& url);

}  // namespace dvidxfer::api
