// labelmap block streams over loopback: POST /blocks of DVID's fixture payloads and of Blocks
// made by the project's codec, read back through /blocks in every compression, /specificblocks
// and /raw; every refused record stops the write exactly there; /ingest-supervoxels.
#include <gtest/gtest.h>

#include "labelmap_test_support.hpp"

namespace dvidxfer::testing {
namespace {

constexpr std::size_t kBlockBytes = 64 * 64 * 64 * 8;

class LabelmapBlocks : public LabelmapTest {
 protected:
  void SetUp() override { create(); }
  std::string blocks_path() const { return "/api/node/" + uuid_ + "/labels/blocks"; }
  // The records GET /blocks returns for a box of blocks, in the given compression.
  std::vector<ParsedRecord> read_records(const VolumeBox& box, std::string_view compression) {
    const auto response =
        get(data("blocks/" + box.url() + "?compression=" + std::string(compression)));
    EXPECT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.header("content-type"), "application/octet-stream");
    return parse_records(response.body);
  }
};

TEST_F(LabelmapBlocks, FixtureStreamIsStoredVerbatimAndReadsInEveryCompression) {
  const std::string stream = read_fixture("stream_1block.dat");
  ASSERT_EQ(post_blocks(stream).status, 200);
  const std::string payload = stream.substr(16);
  const std::string voxels = codec_decoded(test_gunzip(payload, 152672), 64);
  const VolumeBox block{{0, 0, 0}, {64, 64, 64}};

  const auto stored = read_records(block, "blocks");
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].coord, (std::array<std::int32_t, 3>{0, 0, 0}));
  EXPECT_EQ(stored[0].payload, payload) << "compression=blocks hands out the posted bytes";

  EXPECT_EQ(read_records(block, "uncompressed")[0].payload, voxels);
  EXPECT_EQ(lz4_decompressed(read_records(block, "lz4")[0].payload, kBlockBytes), voxels);
  EXPECT_EQ(test_gunzip(read_records(block, "gzip")[0].payload, kBlockBytes), voxels);
  const auto fallback = get(data("blocks/64_64_64/0_0_0"));
  EXPECT_EQ(lz4_decompressed(parse_records(fallback.body)[0].payload, kBlockBytes), voxels)
      << "lz4 is the default";
  EXPECT_EQ(get_raw(block).body, voxels);
}

TEST_F(LabelmapBlocks, Fib19BlockReadsBackAsTheFixtureVolume) {
  ASSERT_EQ(post_blocks(block_record({0, 0, 0}, fib19_gzip_block())).status, 200);
  const VolumeBox block{{0, 0, 0}, {64, 64, 64}};
  EXPECT_EQ(get_raw(block).body, fib19_volume());
  EXPECT_EQ(lz4_decompressed(get_raw(block, "?compression=lz4").body, kBlockBytes), fib19_volume());
  EXPECT_EQ(test_gunzip(get_raw(block, "?compression=gzip").body, kBlockBytes), fib19_volume());
  EXPECT_EQ(get_raw(block, "?supervoxels=true").body, fib19_volume());
  EXPECT_EQ(get(data("isotropic/0_1_2/64_64_64/0_0_0")).body, fib19_volume());
  // A cropped, unaligned read.
  const VolumeBox part{{5, 17, 33}, {40, 30, 20}};
  EXPECT_EQ(get_raw(part).body, ReferenceVolume::slice_of(fib19_volume(), block, part));

  const auto specific = get(data("specificblocks?blocks=0,0,0,1,0,0"));
  ASSERT_EQ(specific.status, 200);
  const auto records = parse_records(specific.body);
  ASSERT_EQ(records.size(), 1u) << "absent blocks are left out";
  EXPECT_EQ(records[0].payload, fib19_gzip_block()) << "specificblocks defaults to blocks";
  const auto plain = parse_records(
      get(data("specificblocks?blocks=0,0,0&compression=uncompressed&supervoxels=true")).body);
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_EQ(plain[0].payload, fib19_volume());
}

TEST_F(LabelmapBlocks, CodecBlocksAnywhereReadBackInZyxOrder) {
  const std::vector<std::array<std::int32_t, 3>> coords{{1, -1, 0}, {-1, 0, 2}, {0, 0, 0}};
  std::string body;
  ReferenceVolume reference({{-64, -64, 0}, {192, 128, 192}}, 8);
  for (const auto& coord : coords) {
    const VolumeBox box{{coord[0] * 64, coord[1] * 64, coord[2] * 64}, {64, 64, 64}};
    const std::string labels = label_pattern(box, 7);
    reference.paste(box, labels);
    body += block_record(coord, codec_gzip_block(labels, 64));
  }
  ASSERT_EQ(post_blocks(body).status, 200);
  const VolumeBox all{{-64, -64, 0}, {192, 128, 192}};
  const auto records = read_records(all, "uncompressed");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].coord, (std::array<std::int32_t, 3>{1, -1, 0}));
  EXPECT_EQ(records[1].coord, (std::array<std::int32_t, 3>{0, 0, 0}));
  EXPECT_EQ(records[2].coord, (std::array<std::int32_t, 3>{-1, 0, 2}));
  EXPECT_EQ(get_raw(all).body, reference.extract(all));
  const VolumeBox straddling{{-10, -3, 60}, {90, 70, 80}};
  EXPECT_EQ(get_raw(straddling).body, reference.extract(straddling));
}

// A good block at (0,0,0), the bad record at (1,0,0), and a good block at (2,0,0).
class LabelmapBadRecords : public LabelmapBlocks {
 protected:
  void expect_refused(std::string_view bad, std::string_view message) {
    const std::string good = codec_gzip_block(label_pattern({{0, 0, 0}, {64, 64, 64}}, 3), 64);
    const std::string body =
        block_record({0, 0, 0}, good) + std::string(bad) + block_record({2, 0, 0}, good);
    const auto response = post_blocks(body);
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(response.body, dvid_error(message, blocks_path()));
    const auto stored = read_records({{0, 0, 0}, {192, 64, 64}}, "blocks");
    ASSERT_EQ(stored.size(), 1u) << "nothing from the bad record onward is stored";
    EXPECT_EQ(stored[0].coord, (std::array<std::int32_t, 3>{0, 0, 0}));
    EXPECT_EQ(stored[0].payload, good);
  }
};

TEST_F(LabelmapBadRecords, ZeroLengthPayload) {
  expect_refused(block_record({1, 0, 0}, ""),
                 "illegal zero length block at block (1, 0, 0) detected");
}

TEST_F(LabelmapBadRecords, InvalidGzip) {
  expect_refused(block_record({1, 0, 0}, "this is not gzip data"),
                 "can't initiate gzip reader on compressed data of length 21: gzip: invalid "
                 "header");
}

TEST_F(LabelmapBadRecords, GzipOfTooShortABlock) {
  expect_refused(block_record({1, 0, 0}, test_gzip("0123456789")),
                 "can't unmarshal block binary of length 10");
}

TEST_F(LabelmapBadRecords, GzipOfABlockWithNoLabels) {
  std::string block(24, '\0');
  block[0] = block[4] = block[8] = 8;
  expect_refused(block_record({1, 0, 0}, test_gzip(block)),
                 "block has 0 labels, which is not allowed");
}

TEST_F(LabelmapBadRecords, WrongBlockSize) {
  const std::string small = codec_gzip_block(label_pattern({{0, 0, 0}, {32, 32, 32}}, 1), 32);
  expect_refused(block_record({1, 0, 0}, small),
                 "label block at block (1, 0, 0) is 32x32x32 voxels, but data \"labels\" has "
                 "64x64x64 voxel blocks");
}

// These bad records end the body; each case gets an instance of its own.
TEST_F(LabelmapBlocks, TruncatedHeaderPayloadAndCorruptBlock) {
  struct Case {
    std::string tail;
    std::string message;  // the exact text, or "" to check `prefix` only
    std::string prefix;
  };
  const std::string good = codec_gzip_block(label_pattern({{0, 0, 0}, {64, 64, 64}}, 3), 64);
  std::string corrupt = test_gunzip(good, 64 * 64 * 64 * 16);
  corrupt.resize(corrupt.size() / 2);  // a valid header and label list, then cut short
  const std::vector<Case> cases{
      {"0123456789", "unexpected EOF", ""},
      {block_record({1, 0, 0}, std::string(100, 'x')).substr(0, 66),
       "error reading 100 bytes for block (1, 0, 0): 50 actually read (unexpected EOF)", ""},
      {block_record({1, 0, 0}, std::string(100, 'x')).substr(0, 16),
       "error reading 100 bytes for block (1, 0, 0): 0 actually read (EOF)", ""},
      {block_record({1, 0, 0}, test_gzip(corrupt)), "", "invalid label block at block (1, 0, 0): "},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string name = "case" + std::to_string(i);
    create("", "labelmap", name);
    const auto response = post(data("blocks", name), block_record({0, 0, 0}, good) + cases[i].tail);
    EXPECT_EQ(response.status, 400);
    if (!cases[i].message.empty()) {
      EXPECT_EQ(response.body,
                dvid_error(cases[i].message, "/api/node/" + uuid_ + "/" + name + "/blocks"));
    } else {
      EXPECT_EQ(response.body.rfind(cases[i].prefix, 0), 0u) << response.body;
    }
    const auto stored =
        parse_records(get(data("blocks/128_64_64/0_0_0?compression=blocks", name)).body);
    ASSERT_EQ(stored.size(), 1u) << cases[i].message;
    EXPECT_EQ(stored[0].payload, good);
  }
}

TEST_F(LabelmapBlocks, RefusedQueryOptions) {
  const std::string body = block_record({0, 0, 0}, fib19_gzip_block());
  auto response = post_blocks(body, "?compression=lz4");
  EXPECT_EQ(response.body,
            dvid_error(R"(compression must be "blocks" (default) at this time)", blocks_path()));
  response = post_blocks(body, "?scale=1&downres=true");
  EXPECT_EQ(response.body, dvid_error("cannot downscale blocks of scale > 0", blocks_path()));
  response = post_blocks(body, "?scale=x");
  EXPECT_EQ(response.body,
            dvid_error("bad scale specified: strconv.Atoi: parsing \"x\": invalid syntax",
                       blocks_path()));
  EXPECT_EQ(post_blocks(body, "?compression=blocks&noindexing=true").status, 200);

  response = get(data("blocks/64_64_64/0_0_0?compression=jpeg"));
  EXPECT_EQ(response.body,
            dvid_error(R"(compression must be "lz4" (default), "gzip", "blocks" or "uncompressed")",
                       blocks_path() + "/64_64_64/0_0_0"));
  response = get(data("blocks/64_64_64/0_0_1"));
  EXPECT_EQ(response.body,
            dvid_error("cannot use labels via 'blocks' endpoint in non-block aligned geometry "
                       "(0,0,1) -> (63,63,64)",
                       blocks_path() + "/64_64_64/0_0_1"));
  const std::string specific = "/api/node/" + uuid_ + "/labels/specificblocks";
  response = get(data("specificblocks?blocks=0,0"));
  EXPECT_EQ(response.body,
            dvid_error("block query string should be three coordinates per block", specific));
  response = get(data("specificblocks?blocks="));
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.body.empty());
  response = post(data("specificblocks?blocks=0,0,0"));
  EXPECT_EQ(response.body,
            dvid_error("DVID does not accept the post action on the 'specificblocks' endpoint",
                       specific));
}

TEST_F(LabelmapBlocks, ScaledBlocksAreKeptApart) {
  const std::string level1 = codec_gzip_block(label_pattern({{0, 0, 0}, {64, 64, 64}}, 100), 64);
  ASSERT_EQ(post_blocks(block_record({0, 0, 0}, fib19_gzip_block())).status, 200);
  ASSERT_EQ(post_blocks(block_record({0, 0, 0}, level1), "?scale=1").status, 200);
  const VolumeBox block{{0, 0, 0}, {64, 64, 64}};
  EXPECT_EQ(get_raw(block).body, fib19_volume());
  EXPECT_EQ(get_raw(block, "?scale=1").body, label_pattern(block, 100));
  EXPECT_EQ(get_raw(block, "?scale=2").body, std::string(kBlockBytes, '\0'));
  const auto scaled = parse_records(get(data("specificblocks?blocks=0,0,0&scale=1")).body);
  ASSERT_EQ(scaled.size(), 1u);
  EXPECT_EQ(scaled[0].payload, level1);
  EXPECT_EQ(get(data("label/70_0_0?scale=1")).body, R"({"Label": 0})");
}

TEST_F(LabelmapBlocks, IngestSupervoxelsStoresWithoutBookkeeping) {
  const auto response =
      post(data("ingest-supervoxels"), block_record({0, 0, 0}, fib19_gzip_block()));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(get_raw({{0, 0, 0}, {64, 64, 64}}).body, fib19_volume());
  EXPECT_EQ(get(data("maxlabel")).status, 400) << "no max label from an ingest";
  EXPECT_NE(get(data("info")).body.find(R"("Extents":{"MinPoint":null,"MaxPoint":null})"),
            std::string::npos);
  // The same refusals as POST /blocks.
  const auto bad = post(data("ingest-supervoxels?scale=1"), block_record({0, 0, 0}, ""));
  EXPECT_EQ(bad.body, dvid_error("illegal zero length block at block (0, 0, 0) detected",
                                 "/api/node/" + uuid_ + "/labels/ingest-supervoxels"));
}

TEST_F(LabelmapBlocks, PostedBlocksRaiseMaxLabelAndExtents) {
  ASSERT_EQ(post_blocks(block_record({1, 0, -1}, fib19_gzip_block()), "?noindexing=true").status,
            200);
  EXPECT_EQ(get(data("maxlabel")).body, R"({"maxlabel": 52043487570})");
  EXPECT_NE(
      get(data("info")).body.find(R"("Extents":{"MinPoint":[64,0,-64],"MaxPoint":[127,63,-1]})"),
      std::string::npos)
      << get(data("info")).body;
}

}  // namespace
}  // namespace dvidxfer::testing
