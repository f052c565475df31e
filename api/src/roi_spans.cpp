#include "roi_spans.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "dvidxfer/errors.hpp"
#include "dvidxfer/json_document.hpp"

namespace dvidxfer::api {

std::string encode_roi_spans(std::vector<BlockZYX> blocks) {
  std::sort(blocks.begin(), blocks.end());
  blocks.erase(std::unique(blocks.begin(), blocks.end()), blocks.end());
  std::string json = "[";
  for (std::size_t i = 0; i < blocks.size();) {
    std::size_t end = i + 1;
    while (end < blocks.size() && blocks[end][0] == blocks[i][0] &&
           blocks[end][1] == blocks[i][1] && blocks[end][2] == blocks[end - 1][2] + 1)
      ++end;
    if (json.size() > 1) json += ',';
    json +=
        fmt::format("[{},{},{},{}]", blocks[i][0], blocks[i][1], blocks[i][2], blocks[end - 1][2]);
    i = end;
  }
  json += ']';
  return json;
}

std::vector<BlockZYX> decode_roi_spans(std::string_view json, const std::string& url,
                                       std::size_t max_bytes) {
  const auto document = JsonDocument::parse(std::string(json), url);
  simdjson::dom::array spans;
  if (document.root().get_array().get(spans))
    throw DecodeError(fmt::format("expected a JSON array of [z, y, x0, x1] spans from {}", url),
                      url);
  std::vector<std::array<std::int64_t, 4>> parsed;
  parsed.reserve(spans.size());
  std::uint64_t total = 0;
  for (auto span : spans) {
    std::array<std::int64_t, 4> values{};
    std::size_t n = 0;
    simdjson::dom::array fields;
    if (span.get_array().get(fields) || fields.size() != 4)
      throw DecodeError(fmt::format("an ROI span from {} is not [z, y, x0, x1]", url), url);
    for (auto field : fields)
      if (field.get_int64().get(values[n++]))
        throw DecodeError(fmt::format("an ROI span from {} holds a non-integer", url), url);
    if (values[3] < values[2] || values[3] - values[2] > (1 << 24))
      throw DecodeError(
          fmt::format("an ROI span from {} runs from x {} to {}", url, values[2], values[3]), url);
    total += static_cast<std::uint64_t>(values[3] - values[2]) + 1;
    if (total > max_bytes / sizeof(BlockZYX))
      throw DecodeError(fmt::format("the ROI from {} expands to more than {} blocks, more than "
                                    "max_response_bytes ({} bytes) allows",
                                    url, max_bytes / sizeof(BlockZYX), max_bytes),
                        url);
    parsed.push_back(values);
  }
  std::vector<BlockZYX> blocks;
  blocks.reserve(total);
  for (const auto& [z, y, x0, x1] : parsed)
    for (auto x = x0; x <= x1; ++x) blocks.push_back({z, y, x});
  // DVID keeps overlapping spans as they were posted (by other clients), so blocks can repeat.
  std::sort(blocks.begin(), blocks.end());
  blocks.erase(std::unique(blocks.begin(), blocks.end()), blocks.end());
  return blocks;
}

}  // namespace dvidxfer::api
