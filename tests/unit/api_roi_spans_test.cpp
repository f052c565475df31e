// ROI span JSON <-> blocks (api/src/roi_spans): runs, overlaps, and the memory bound.
#include <gtest/gtest.h>

#include "dvidxfer/errors.hpp"
#include "roi_spans.hpp"

namespace {

using dvidxfer::BlockZYX;
using dvidxfer::api::decode_roi_spans;
using dvidxfer::api::encode_roi_spans;

const std::string kUrl = "http://dvid.test/api/node/abc/roi/roi";
constexpr std::size_t kPlenty = std::size_t(1) << 30;

TEST(RoiSpans, OverlappingSpansExpandToEachBlockOnceAndEncodeBack) {
  const auto blocks = decode_roi_spans("[[1,0,-2,1],[0,5,3,3],[1,0,0,4]]", kUrl, kPlenty);
  const std::vector<BlockZYX> expected = {{0, 5, 3}, {1, 0, -2}, {1, 0, -1}, {1, 0, 0},
                                          {1, 0, 1}, {1, 0, 2},  {1, 0, 3},  {1, 0, 4}};
  EXPECT_EQ(blocks, expected);
  EXPECT_EQ(encode_roi_spans(blocks), "[[0,5,3,3],[1,0,-2,4]]");
}

// Found by fuzz/json_roi_spans: 19 bytes of JSON made the client expand 13 million blocks
// (320 MB) and more spans like it any amount; the expansion is now bounded by the memory the
// caller allows (ClientOptions::max_response_bytes in get_roi).
TEST(RoiSpans, SpansExpandingBeyondTheMemoryBoundAreRefused) {
  const std::string fuzzed = "[[0,0,0,13332167]]";
  try {
    decode_roi_spans(fuzzed, kUrl, std::size_t(64) << 20);
    FAIL() << "13332168 blocks decoded within 64 MiB";
  } catch (const dvidxfer::DecodeError& error) {
    EXPECT_EQ(error.url(), kUrl);
    EXPECT_NE(std::string(error.what()).find("max_response_bytes"), std::string::npos)
        << error.what();
  }
  // At the bound exactly the blocks fit.
  const auto fits = decode_roi_spans("[[0,0,0,3]]", kUrl, 4 * sizeof(BlockZYX));
  EXPECT_EQ(fits.size(), 4u);
  EXPECT_THROW(decode_roi_spans("[[0,0,0,3]]", kUrl, 4 * sizeof(BlockZYX) - 1),
               dvidxfer::DecodeError);
}

}  // namespace
