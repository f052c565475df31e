#include "dvidxfer/codecs/block_records.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "codecs_fixture_files.hpp"
#include "dvidxfer/codecs/label_block.hpp"

namespace dvidxfer::codecs {
namespace {

using testing::gunzip;
using testing::read_fixture;

struct OwnedRecord {
  BlockCoord coord;
  std::string payload;
  friend bool operator==(const OwnedRecord&, const OwnedRecord&) = default;
};

// Feeds `stream` in pieces whose sizes come from next_piece_size and collects the records.
template <class NextPieceSize>
std::vector<OwnedRecord> parse_in_pieces(std::string_view stream, NextPieceSize&& next_piece_size,
                                         std::size_t max_payload = 1 << 20) {
  BlockRecordParser parser(max_payload);
  std::vector<OwnedRecord> records;
  const auto collect = [&](const BlockRecord& record) -> CodecResult<Unit> {
    records.push_back({record.coord, std::string(record.payload)});
    return Unit{};
  };
  while (!stream.empty()) {
    const std::size_t piece = std::min(next_piece_size(), stream.size());
    const auto fed = parser.feed(stream.substr(0, piece), collect);
    EXPECT_TRUE(fed.ok()) << fed.error().message;
    stream.remove_prefix(piece);
  }
  const auto finished = parser.finish();
  EXPECT_TRUE(finished.ok()) << finished.error().message;
  EXPECT_EQ(parser.records_parsed(), records.size());
  return records;
}

TEST(BlockRecords, EncodesLittleEndianHeaderThenPayload) {
  std::string out = "prefix";
  append_block_record(out, {1, -2, 70000}, "xy");
  EXPECT_EQ(out, std::string("prefix"
                             "\x01\x00\x00\x00"
                             "\xFE\xFF\xFF\xFF"
                             "\x70\x11\x01\x00"
                             "\x02\x00\x00\x00"
                             "xy",
                             6 + 16 + 2));
}

TEST(BlockRecords, DvidStreamFixtureParsesInAnySplitAndItsBlockDecodes) {
  const std::string stream = read_fixture("dvid/stream_1block.dat");
  ASSERT_EQ(stream.size(), 114184u);
  const std::vector<OwnedRecord> expected = {{{0, 0, 0}, stream.substr(16)}};

  EXPECT_EQ(parse_in_pieces(stream, [] { return std::size_t{1} << 30; }), expected);
  EXPECT_EQ(parse_in_pieces(stream, [] { return std::size_t{1}; }), expected);
  for (unsigned seed = 0; seed < 20; ++seed) {
    std::mt19937 random(seed);
    EXPECT_EQ(parse_in_pieces(stream, [&] { return std::size_t{1} + random() % 40000; }), expected)
        << "seed " << seed;
  }

  const std::string block = gunzip(expected[0].payload);
  std::vector<std::uint64_t> voxels(64 * 64 * 64);
  const auto decoded = decode_label_block(block, {64, 64, 64}, voxels);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  std::vector<std::uint64_t> distinct(voxels);
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  EXPECT_GE(distinct.size(), 2u);
  EXPECT_LE(distinct.size(), 10u);  // the block lists 10 labels
}

TEST(BlockRecords, ManyRecordsSurviveRandomSplits) {
  std::mt19937 random(11);
  std::vector<OwnedRecord> records;
  std::string stream;
  for (int i = 0; i < 60; ++i) {
    OwnedRecord record{{static_cast<std::int32_t>(random()), -i, i * 1000},
                       std::string(i % 7 == 0 ? 0 : random() % 3000, '\0')};
    for (auto& c : record.payload) c = static_cast<char>(random());
    append_block_record(stream, record.coord, record.payload);
    records.push_back(std::move(record));
  }
  EXPECT_EQ(parse_in_pieces(stream, [] { return std::size_t{1}; }), records);
  EXPECT_EQ(parse_in_pieces(stream, [] { return std::size_t{16}; }), records);
  EXPECT_EQ(parse_in_pieces(stream, [&] { return std::size_t{1} + random() % 5000; }), records);
}

TEST(BlockRecords, WholeRecordsInOnePieceAreNotCopied) {
  std::string stream;
  append_block_record(stream, {1, 2, 3}, "payload");
  BlockRecordParser parser(100);
  const char* seen = nullptr;
  const auto fed = parser.feed(stream, [&](const BlockRecord& record) -> CodecResult<Unit> {
    seen = record.payload.data();
    return Unit{};
  });
  ASSERT_TRUE(fed.ok());
  EXPECT_EQ(seen, stream.data() + 16);
}

TEST(BlockRecords, OversizedAndNegativeLengthsAreRejectedWithOffsetAndBlock) {
  std::string stream;
  append_block_record(stream, {0, 0, 0}, "ok");
  append_block_record(stream, {4, 5, -6}, std::string(101, 'x'));
  BlockRecordParser parser(100);
  int delivered = 0;
  const auto count = [&](const BlockRecord&) -> CodecResult<Unit> {
    ++delivered;
    return Unit{};
  };
  const auto fed = parser.feed(stream, count);
  ASSERT_FALSE(fed.ok());
  EXPECT_EQ(delivered, 1);
  EXPECT_EQ(fed.error().offset, 18u + 12);
  EXPECT_NE(fed.error().message.find("block (4, 5, -6)"), std::string::npos) << fed.error().message;
  EXPECT_NE(fed.error().message.find("101"), std::string::npos);
  // The error sticks: later input is not parsed as a fresh record.
  EXPECT_FALSE(parser.feed("more", count).ok());
  EXPECT_FALSE(parser.finish().ok());

  BlockRecordParser negative(1 << 20);
  const std::string header("\x07\0\0\0\x08\0\0\0\x09\0\0\0\xFF\xFF\xFF\xFF", 16);
  const auto rejected = negative.feed(header, count);
  ASSERT_FALSE(rejected.ok());
  EXPECT_NE(rejected.error().message.find("negative as int32: -1"), std::string::npos)
      << rejected.error().message;
  EXPECT_NE(rejected.error().message.find("block (7, 8, 9)"), std::string::npos);
}

TEST(BlockRecords, TruncatedStreamsFailAtFinish) {
  std::string stream;
  append_block_record(stream, {1, 2, 3}, "abcdef");
  const auto ignore = [](const BlockRecord&) -> CodecResult<Unit> { return Unit{}; };
  for (std::size_t cut = 1; cut < stream.size(); ++cut) {
    BlockRecordParser parser(100);
    ASSERT_TRUE(parser.feed(std::string_view(stream).substr(0, cut), ignore).ok());
    const auto finished = parser.finish();
    ASSERT_FALSE(finished.ok()) << cut;
    EXPECT_EQ(finished.error().offset, cut);
    if (cut >= 16) {
      EXPECT_NE(finished.error().message.find("block (1, 2, 3)"), std::string::npos);
    }
  }
  BlockRecordParser empty(100);
  EXPECT_TRUE(empty.finish().ok());
}

TEST(BlockRecords, CallbackErrorStopsTheParse) {
  std::string stream;
  for (int i = 0; i < 5; ++i) append_block_record(stream, {i, 0, 0}, "p");
  BlockRecordParser parser(100);
  const auto fed = parser.feed(stream, [](const BlockRecord& record) -> CodecResult<Unit> {
    if (record.coord.x == 2) return fail(CodecError{"bad block", 0});
    return Unit{};
  });
  ASSERT_FALSE(fed.ok());
  EXPECT_EQ(fed.error().message, "bad block");
  EXPECT_EQ(parser.records_parsed(), 3u);
}

}  // namespace
}  // namespace dvidxfer::codecs
