// labelmap voxel reads and writes over loopback: POST /raw (plain, lz4, gzip) and reads of any
// box, negative offsets included, compared with the written volume; DVID's refusals; missing
// blocks; ROI masks; /label and /labels.
#include <gtest/gtest.h>

#include "dvidxfer/codecs/dvid_lz4.hpp"
#include "labelmap_test_support.hpp"

namespace dvidxfer::testing {
namespace {

class LabelmapVoxels : public LabelmapTest {
 protected:
  void SetUp() override { create(); }
  std::string path(std::string_view rest) const {
    return "/api/node/" + uuid_ + "/labels/" + std::string(rest);
  }
};

std::string lz4_compressed(std::string_view data) {
  std::string out(codecs::lz4_block_bound(data.size()), '\0');
  auto written = codecs::compress_lz4_block(data, out);
  EXPECT_TRUE(written.ok());
  out.resize(written ? *written : 0);
  return out;
}

TEST_F(LabelmapVoxels, RawWritesReadBackAnywhereInEveryCompression) {
  const VolumeBox written{{-64, -128, 0}, {128, 128, 64}};
  const std::string labels = label_pattern(written, 11);
  ASSERT_EQ(post_raw(written, labels).status, 200);
  ReferenceVolume reference({{-128, -192, -64}, {320, 320, 192}}, 8);
  reference.paste(written, labels);

  for (const VolumeBox& box :
       {written, VolumeBox{{-70, -130, -3}, {100, 90, 70}}, VolumeBox{{-1, -1, 63}, {2, 2, 2}}}) {
    const std::string expected = reference.extract(box);
    EXPECT_EQ(get_raw(box).body, expected);
    EXPECT_EQ(get_raw(box).header("content-type"), "application/octet-stream");
    EXPECT_EQ(lz4_decompressed(get_raw(box, "?compression=lz4").body, expected.size()), expected);
    EXPECT_EQ(test_gunzip(get_raw(box, "?compression=gzip").body, expected.size()), expected);
  }
  // The stored blocks decode to the same voxels.
  const auto records =
      parse_records(get(data("blocks/" + written.url() + "?compression=uncompressed")).body);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].coord, (std::array<std::int32_t, 3>{-1, -2, 0}));
  EXPECT_EQ(records[0].payload, reference.extract({{-64, -128, 0}, {64, 64, 64}}));

  // Compressed bodies, over what was there.
  const VolumeBox block{{0, -64, 0}, {64, 64, 64}};
  const std::string by_lz4 = label_pattern(block, 500);
  ASSERT_EQ(post_raw(block, lz4_compressed(by_lz4), "?compression=lz4").status, 200);
  EXPECT_EQ(get_raw(block).body, by_lz4);
  const std::string by_gzip = label_pattern(block, 900);
  ASSERT_EQ(post_raw(block, test_gzip(by_gzip), "?compression=gzip").status, 200);
  EXPECT_EQ(get_raw(block).body, by_gzip);
  EXPECT_EQ(get(data("maxlabel")).body,
            fmt::format(R"({{"maxlabel": {}}})",
                        *std::max_element(reinterpret_cast<const std::uint64_t*>(by_gzip.data()),
                                          reinterpret_cast<const std::uint64_t*>(by_gzip.data()) +
                                              by_gzip.size() / 8)));
}

TEST_F(LabelmapVoxels, FixtureVolumeRoundTripsThroughTheCodec) {
  const VolumeBox block{{64, 0, -64}, {64, 64, 64}};
  ASSERT_EQ(post_raw(block, fib19_volume()).status, 200);
  EXPECT_EQ(get_raw(block).body, fib19_volume());
  EXPECT_EQ(get(data("maxlabel")).body, R"({"maxlabel": 52043487570})");
  EXPECT_NE(
      get(data("info")).body.find(R"("Extents":{"MinPoint":[64,0,-64],"MaxPoint":[127,63,-1]})"),
      std::string::npos);
  const auto records =
      parse_records(get(data("blocks/" + block.url() + "?compression=blocks")).body);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(codec_decoded(test_gunzip(records[0].payload, 64 * 64 * 64 * 16), 64), fib19_volume());
}

TEST_F(LabelmapVoxels, RefusedWrites) {
  const VolumeBox unaligned{{1, 0, 0}, {64, 64, 64}};
  EXPECT_EQ(post_raw(unaligned, std::string(64 * 64 * 64 * 8, '\0')).body,
            dvid_error(R"(cannot store labels for data "labels" in non-block aligned geometry )"
                       "(1,0,0) -> (64,63,63)",
                       path("raw/0_1_2/64_64_64/1_0_0")));
  EXPECT_EQ(
      post_raw({{0, 0, 0}, {64, 64, 64}}, "short").body,
      dvid_error(R"(expected 2097152 bytes for data "labels" label PUT but only received 5 bytes)",
                 path("raw/0_1_2/64_64_64/0_0_0")));
  EXPECT_EQ(post(data("isotropic/0_1_2/64_64_64/0_0_0"), fib19_volume()).body,
            dvid_error("can only POST 'raw' not 'isotropic' images",
                       path("isotropic/0_1_2/64_64_64/0_0_0")));
  EXPECT_EQ(post(data("raw/xy/64_64/0_0_0"), "").body,
            dvid_error("DVID does not permit 2d mutations, only 3d block-aligned stores",
                       path("raw/xy/64_64/0_0_0")));
  EXPECT_EQ(post_raw({{0, 0, 0}, {64, 64, 64}}, "", "?compression=lz4").body,
            dvid_error("received 0 LZ4 compressed bytes", path("raw/0_1_2/64_64_64/0_0_0")));
  EXPECT_EQ(post_raw({{0, 0, 0}, {64, 64, 64}}, "", "?compression=zip").body,
            dvid_error(R"(unknown compression type "zip")", path("raw/0_1_2/64_64_64/0_0_0")));
  EXPECT_EQ(get_raw({{0, 0, 0}, {64, 64, 64}}).body, std::string(64 * 64 * 64 * 8, '\0'))
      << "nothing was stored";
}

TEST_F(LabelmapVoxels, RefusedReads) {
  EXPECT_EQ(get(data("raw/0_1_2/0_4_4/0_0_0")).body,
            dvid_error("illegal geometry requested: 3d volume (0,4,4) at offset (0,0,0)",
                       path("raw/0_1_2/0_4_4/0_0_0")));
  EXPECT_EQ(get(data("raw/0_1_2/1024_1024_512/0_0_0")).body,
            dvid_error("requested payload (4294967296 bytes) exceeds this DVID server's set limit "
                       "(3221225472)",
                       path("raw/0_1_2/1024_1024_512/0_0_0")));
  create("", "labelarray", "array");
  EXPECT_EQ(get(data("raw/0_1_2/0_4_4/0_0_0", "array")).body,
            dvid_error("Illegal geometry requested: 3d volume (0,4,4) at offset (0,0,0)",
                       "/api/node/" + uuid_ + "/array/raw/0_1_2/0_4_4/0_0_0"))
      << "labelarray keeps imageblk's capitalised texts";
  EXPECT_EQ(get(data("raw/0_1_2/4_4_4/0_0_0?compression=bzip")).status, 400);
  EXPECT_EQ(get(data("raw/0_1_2/4_4_4/0_0_0?scale=q")).body,
            dvid_error(R"(bad scale specified: strconv.Atoi: parsing "q": invalid syntax)",
                       path("raw/0_1_2/4_4_4/0_0_0")));
}

// DVID's one-block fast path answers a missing block with a 400 or a 500; here it reads as 0.
TEST_F(LabelmapVoxels, MissingBlocksReadAsZero) {
  const std::string zeros(64 * 64 * 64 * 8, '\0');
  EXPECT_EQ(get_raw({{0, 0, 0}, {64, 64, 64}}).body, zeros);
  EXPECT_EQ(
      lz4_decompressed(get_raw({{0, 0, 0}, {64, 64, 64}}, "?compression=lz4").body, zeros.size()),
      zeros);
  EXPECT_EQ(
      test_gunzip(get_raw({{-64, 0, 0}, {64, 64, 64}}, "?compression=gzip").body, zeros.size()),
      zeros);
  EXPECT_TRUE(get(data("blocks/64_64_64/0_0_0")).body.empty());
}

TEST_F(LabelmapVoxels, RoiMasksScaleZeroReadsOnly) {
  new_instance(uuid_, "region", "roi", R"(,"BlockSize":"64,64,64")");
  ASSERT_EQ(post(node("region/roi"), "[[0,0,1,1]]").status, 200);
  const VolumeBox two{{0, 0, 0}, {128, 64, 64}};
  const std::string labels = label_pattern(two, 1);
  ASSERT_EQ(post_raw(two, labels).status, 200);
  ReferenceVolume expected(two, 8);
  expected.paste({{64, 0, 0}, {64, 64, 64}}, label_pattern({{64, 0, 0}, {64, 64, 64}}, 1));
  EXPECT_EQ(get_raw(two, "?roi=region").body, expected.extract(two));
  EXPECT_EQ(get_raw(two, "?roi=region&scale=1").body,
            dvid_error("DVID does not currently support ROI masks on lower-scale GETs",
                       path("raw/0_1_2/128_64_64/0_0_0")));
  // A write through the ROI stores only the blocks inside it.
  const std::string other = label_pattern(two, 77);
  ASSERT_EQ(post_raw(two, other, "?roi=region").status, 200);
  ReferenceVolume after(two, 8);
  after.paste(two, labels);
  after.paste({{64, 0, 0}, {64, 64, 64}}, label_pattern({{64, 0, 0}, {64, 64, 64}}, 77));
  EXPECT_EQ(get_raw(two).body, after.extract(two));
}

TEST_F(LabelmapVoxels, PointQueries) {
  const VolumeBox box{{-64, 0, 0}, {128, 64, 64}};
  const std::string labels = label_pattern(box, 3);
  ASSERT_EQ(post_raw(box, labels).status, 200);
  auto expected_at = [&](int x, int y, int z) {
    return label_at(labels, static_cast<std::size_t>(((z * 64) + y) * 128 + (x + 64)));
  };
  EXPECT_EQ(get(data("label/-3_7_9")).body,
            fmt::format(R"({{"Label": {}}})", expected_at(-3, 7, 9)));
  EXPECT_EQ(get(data("label/5_63_1?supervoxels=true")).body,
            fmt::format(R"({{"Label": {}}})", expected_at(5, 63, 1)));
  EXPECT_EQ(get(data("label/500_0_0")).body, R"({"Label": 0})");
  EXPECT_EQ(get(data("label")).body,
            dvid_error("DVID requires coord to follow 'label' command", path("label")));

  const std::string points = "[[-3,7,9],[63,0,63],[-64,0,0],[1000,0,0]]";
  const auto batch = request("GET", data("labels"), points);
  EXPECT_EQ(batch.body, fmt::format("[{},{},{},0]", expected_at(-3, 7, 9), expected_at(63, 0, 63),
                                    expected_at(-64, 0, 0)));
  EXPECT_EQ(batch.header("content-type"), "application/json");
  // hash= is the hex MD5 of the body.
  const auto hashed = request("GET", data("labels?hash=00000000000000000000000000000000"), points);
  EXPECT_EQ(hashed.body.rfind(
                "content hash incorrect.  expected 00000000000000000000000000000000, got ", 0),
            0u)
      << hashed.body;
  const std::string actual = hashed.body.substr(hashed.body.find("got ") + 4, 32);
  EXPECT_EQ(request("GET", data("labels?hash=" + actual), points).body, batch.body);
  EXPECT_EQ(post(data("labels"), points).body,
            dvid_error("Batch labels query must be a GET request", path("labels")));
}

TEST_F(LabelmapVoxels, ThrottledRequestsRunWhenASlotIsFree) {
  const VolumeBox block{{0, 0, 0}, {64, 64, 64}};
  ASSERT_EQ(post_raw(block, fib19_volume(), "?throttle=true").status, 200);
  EXPECT_EQ(get_raw(block, "?throttle=on").body, fib19_volume());
  EXPECT_EQ(parse_records(get(data("blocks/64_64_64/0_0_0?throttle=true")).body).size(), 1u);
}

}  // namespace
}  // namespace dvidxfer::testing
