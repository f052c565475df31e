// The ROI span decoder ([[z, y, x0, x1], ...] into blocks): a clean DecodeError or blocks sorted
// by (z, y, x) without repeats, no more than the memory bound holds, which encoded back as spans
// decode to the same blocks.
#include <algorithm>

#include "json_input.hpp"
#include "roi_spans.hpp"

using namespace dvidxfer;

namespace {

// 65536 blocks: large enough for every shape of span list, small enough to keep the pace up.
constexpr std::size_t kMaxBytes = (std::size_t(1) << 16) * sizeof(BlockZYX);

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  const auto blocks = fuzz::decode_or_error(
      [&] { return api::decode_roi_spans(json, fuzz::kAnswerUrl, kMaxBytes); });
  if (!blocks) return 0;
  FUZZ_CHECK(blocks->size() * sizeof(BlockZYX) <= kMaxBytes);
  FUZZ_CHECK(std::adjacent_find(blocks->begin(), blocks->end(),
                                [](const BlockZYX& a, const BlockZYX& b) { return !(a < b); }) ==
             blocks->end());
  const std::string spans = api::encode_roi_spans(*blocks);
  FUZZ_CHECK(api::decode_roi_spans(spans, fuzz::kAnswerUrl, kMaxBytes) == *blocks);
  // Encoding is canonical: the encoded spans encode to themselves.
  FUZZ_CHECK(api::encode_roi_spans(api::decode_roi_spans(spans, fuzz::kAnswerUrl, kMaxBytes)) ==
             spans);
  return 0;
}
