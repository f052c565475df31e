// labelblk over loopback (dvid-api.md 4.1-4.4): uint64 round trips, lz4 and gzip bodies both
// ways, label queries, /blocks records, errors with DVID's texts.
#include <png.h>

#include <thread>
#include <vector>

#include "dvid_volume_test_support.hpp"
#include "dvidxfer/codecs/block_records.hpp"
#include "dvidxfer/codecs/dvid_lz4.hpp"

namespace dvidxfer::testing {
namespace {

std::string lz4(std::string_view data) {
  std::string out(codecs::lz4_block_bound(data.size()), '\0');
  auto written = codecs::compress_lz4_block(data, out);
  EXPECT_TRUE(written.ok());
  out.resize(*written);
  return out;
}

std::string unlz4(std::string_view block, std::size_t size) {
  std::string out(size, '\0');
  EXPECT_TRUE(codecs::decompress_lz4_block(block, out).ok());
  return out;
}

class LabelblkTest : public DvidVolumeTest {
 protected:
  LabelblkTest() { new_instance(uuid_, "labels", "labelblk"); }

  void post_labels(const VolumeBox& box, std::uint64_t salt, std::string_view query = "") {
    const std::string labels = label_pattern(box, salt);
    const auto response = post(node("labels/raw/0_1_2/" + box.url()) + std::string(query), labels);
    ASSERT_EQ(response.status, 200) << response.body;
    reference_.paste(box, labels);
  }

  void post_two_volumes() {
    post_labels(first_, 0);
    post_labels(second_, 100000);
  }

  const VolumeBox first_{{-64, -32, 0}, {96, 64, 32}};
  const VolumeBox second_{{32, 32, -32}, {32, 32, 64}};
  ReferenceVolume reference_{VolumeBox{{-96, -96, -64}, {192, 192, 128}}, 8};
};

TEST_F(LabelblkTest, ReadsBackLittleEndianLabelsAtAnyAlignment) {
  post_two_volumes();
  for (const VolumeBox& box : {first_, second_, VolumeBox{{-70, -40, -10}, {140, 90, 55}},
                               VolumeBox{{33, 35, -31}, {7, 3, 5}}}) {
    const auto response = get(node("labels/raw/0_1_2/" + box.url()));
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_TRUE(response.body == reference_.extract(box)) << box.url();
  }
}

TEST_F(LabelblkTest, Lz4AndGzipBodiesBothWays) {
  const VolumeBox box{{0, 0, 0}, {64, 32, 32}};
  const std::string labels = label_pattern(box, 7);
  ASSERT_EQ(post(node("labels/raw/0_1_2/" + box.url() + "?compression=lz4"), lz4(labels)).status,
            200);
  const VolumeBox unaligned{{3, 1, 2}, {50, 20, 17}};
  reference_.paste(box, labels);
  const std::string expected = reference_.extract(unaligned);
  auto response = get(node("labels/raw/0_1_2/" + unaligned.url() + "?compression=lz4"));
  ASSERT_EQ(response.status, 200);
  EXPECT_TRUE(unlz4(response.body, expected.size()) == expected);
  response = get(node("labels/raw/0_1_2/" + unaligned.url() + "?compression=gzip"));
  ASSERT_EQ(response.status, 200);
  EXPECT_TRUE(test_gunzip(response.body, expected.size()) == expected);

  const VolumeBox other{{64, 0, 0}, {32, 32, 32}};
  const std::string other_labels = label_pattern(other, 9);
  ASSERT_EQ(
      post(node("labels/raw/0_1_2/" + other.url() + "?compression=gzip"), test_gzip(other_labels))
          .status,
      200);
  EXPECT_TRUE(get(node("labels/raw/0_1_2/" + other.url())).body == other_labels);
}

// The server compresses large volumes in parallel pieces stitched into one LZ4 block: volumes
// of several pieces, compressible or not, must decode as one block.
TEST_F(LabelblkTest, Lz4VolumesOfManyMegabytesAreOneBlock) {
  const VolumeBox box{{0, 0, 0}, {128, 128, 96}};
  std::string labels = label_pattern(box, 1);
  std::mt19937_64 random(5);
  const std::size_t noisy_from = labels.size() / 3, noisy_to = labels.size() / 3 * 2;
  for (std::size_t i = noisy_from; i < noisy_to; i += 8) {
    const std::uint64_t label = random();
    std::memcpy(labels.data() + i, &label, 8);
  }
  ASSERT_EQ(post(node("labels/raw/0_1_2/" + box.url()), labels).status, 200);
  for (const VolumeBox& asked :
       {box, VolumeBox{{0, 0, 32}, {128, 128, 32}}, VolumeBox{{5, 5, 5}, {1, 1, 1}}}) {
    const std::string expected = ReferenceVolume::slice_of(labels, box, asked);
    const auto response = get(node("labels/raw/0_1_2/" + asked.url() + "?compression=lz4"));
    ASSERT_EQ(response.status, 200);
    EXPECT_TRUE(unlz4(response.body, expected.size()) == expected) << asked.url();
  }
}

TEST_F(LabelblkTest, ConcurrentClientsWriteAndReadTheirOwnRegions) {
  constexpr int kClients = 4;
  std::vector<std::string> failures(kClients);
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i)
    threads.emplace_back([&, i] {
      RawHttpClient client(server_->port());
      const VolumeBox box{{64 * i - 128, 0, 32}, {64, 32, 32}};
      const std::string labels = label_pattern(box, static_cast<std::uint64_t>(i) * 1000000);
      for (int round = 0; round < 3; ++round) {
        if (client.request("POST", node("labels/raw/0_1_2/" + box.url()), labels).status != 200)
          failures[i] = "POST failed";
        const auto read =
            client.request("GET", node("labels/raw/0_1_2/" + box.url() + "?compression=lz4"));
        std::string decoded(labels.size(), '\0');
        if (!codecs::decompress_lz4_block(read.body, decoded).ok() || decoded != labels)
          failures[i] = "lz4 GET differs";
      }
    });
  for (auto& thread : threads) thread.join();
  for (int i = 0; i < kClients; ++i) EXPECT_EQ(failures[i], "") << "client " << i;
}

// A 2-D label slice is a 16-bit RGBA PNG whose samples carry the label's little-endian bytes.
TEST_F(LabelblkTest, SlicesArePngsOfTheLabelBytes) {
  post_two_volumes();
  const VolumeBox slice{{-40, -10, 5}, {70, 50, 1}};
  const auto response = get(node("labels/raw/xy/70_50/-40_-10_5"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.header("content-type"), "image/png");
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  ASSERT_TRUE(png_image_begin_read_from_memory(&image, response.body.data(), response.body.size()));
  EXPECT_EQ(image.width, 70u);
  EXPECT_EQ(image.height, 50u);
  EXPECT_EQ(image.format & PNG_FORMAT_FLAG_LINEAR, PNG_FORMAT_FLAG_LINEAR);  // 16-bit samples
  png_image_free(&image);
  // The simplified API would undo the alpha; read the raw samples instead.
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  struct Source {
    const std::string* data;
    std::size_t at;
  } source{&response.body, 0};
  png_set_read_fn(png, &source, [](png_structp p, png_bytep out, png_size_t length) {
    auto* s = static_cast<Source*>(png_get_io_ptr(p));
    std::memcpy(out, s->data->data() + s->at, length);
    s->at += length;
  });
  png_read_png(png, info, PNG_TRANSFORM_IDENTITY, nullptr);
  EXPECT_EQ(png_get_bit_depth(png, info), 16);
  EXPECT_EQ(png_get_color_type(png, info), PNG_COLOR_TYPE_RGBA);
  png_bytepp rows = png_get_rows(png, info);
  std::string pixels;
  for (int y = 0; y < 50; ++y) pixels.append(reinterpret_cast<const char*>(rows[y]), 70 * 8);
  png_destroy_read_struct(&png, &info, nullptr);
  EXPECT_TRUE(pixels == reference_.extract(slice));
}

TEST_F(LabelblkTest, ShortLz4BodiesAreZeroPadded) {
  const VolumeBox box{{0, 0, 0}, {32, 32, 32}};
  const std::string labels = label_pattern(box, 3);
  const std::string half = labels.substr(0, labels.size() / 2);
  ASSERT_EQ(post(node("labels/raw/0_1_2/" + box.url() + "?compression=lz4"), lz4(half)).status,
            200);
  EXPECT_TRUE(get(node("labels/raw/0_1_2/" + box.url())).body ==
              half + std::string(labels.size() - half.size(), '\0'));
  const std::string path = node("labels/raw/0_1_2/" + box.url());
  EXPECT_EQ(post(path + "?compression=lz4", "").body,
            dvid_error("received 0 LZ4 compressed bytes", path));
}

TEST_F(LabelblkTest, ErrorsUseDvidTexts) {
  std::string path = node("labels/raw/0_1_2/32_32_32/0_0_0");
  EXPECT_EQ(post(path, "12345678").body,
            dvid_error("labels data was 8 bytes, expected 262144 bytes for 3d volume (32,32,32) at "
                       "offset (0,0,0)",
                       path));
  EXPECT_EQ(get(path + "?compression=zstd").body,
            dvid_error("unknown compression type \"zstd\"", path));
  EXPECT_EQ(post(path + "?compression=zstd", "x").body,
            dvid_error("unknown compression type \"zstd\"", path));
  path = node("labels/raw/0_1_2/32_32_32/0_0_16");
  EXPECT_EQ(
      post(path, std::string(262144, '\0')).body,
      dvid_error("cannot store voxels in non-block aligned geometry (0,0,16) -> (31,31,47)", path));
  path = node("labels/raw/0_1_2/1024_1024_385/0_0_0");
  EXPECT_EQ(get(path).body,
            dvid_error("Requested payload (3229614080 bytes) exceeds this DVID server's set limit "
                       "(3221225472)",
                       path));
  EXPECT_EQ(request("PUT", path).body,
            dvid_error("labelblk only handles GET, POST, and DELETE HTTP verbs", path));
  path = node("labels/blocks/32_32_32/0_0_0");
  EXPECT_EQ(post(path, "").body,
            dvid_error("DVID does not accept the post action on the 'blocks' endpoint", path));
}

TEST_F(LabelblkTest, InfoHasNoTopLevelExtents) {
  post_two_volumes();
  const auto info = get(node("labels/info"));
  EXPECT_NE(info.body.find(R"("Extended":{"Values":[{"DataType":"uint64","Label":"labelblk"}],)"
                           R"("Interpolable":false,"BlockSize":[32,32,32],)"),
            std::string::npos)
      << info.body;
  EXPECT_NE(info.body.find(R"("MinPoint":[-64,-32,-32],"MaxPoint":[63,63,31])"), std::string::npos)
      << info.body;
  EXPECT_EQ(info.body.find("\"Extents\""), std::string::npos);
}

TEST_F(LabelblkTest, PointAndBatchLabelQueries) {
  post_two_volumes();
  const VolumeBox point{{-5, 7, 3}, {1, 1, 1}};
  const std::uint64_t expected = label_at(reference_.extract(point), 0);
  ASSERT_NE(expected, 0u);
  auto response = get(node("labels/label/-5_7_3"));
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(response.body, fmt::format("{{\"Label\": {}}}", expected));
  EXPECT_EQ(get(node("labels/label/500_500_500")).body, "{\"Label\": 0}");

  response = request("GET", node("labels/labels"), "[[-5,7,3],[500,500,500],[40,40,-20]]");
  const std::uint64_t third = label_at(reference_.extract({{40, 40, -20}, {1, 1, 1}}), 0);
  EXPECT_EQ(response.body, fmt::format("[{},0,{}]", expected, third));
  const std::string path = node("labels/labels");
  EXPECT_EQ(post(path, "[[0,0,0]]").body,
            dvid_error("Batch labels query must be a GET request", path));
  // hash= is the MD5 of the body (this one from coreutils' md5sum).
  const std::string body = "[[-5,7,3]]";
  constexpr std::string_view kBodyMd5 = "6961f7efb76775cadf2840d24f0047d9";
  EXPECT_EQ(request("GET", path + "?hash=3c5df6e4ec0ba0b1e1e8e6d7b4c6f2a1", body).body,
            dvid_error("content hash incorrect.  expected 3c5df6e4ec0ba0b1e1e8e6d7b4c6f2a1, got " +
                           std::string(kBodyMd5),
                       path));
  EXPECT_EQ(request("GET", path + "?hash=" + std::string(kBodyMd5), body).body,
            fmt::format("[{}]", expected));
}

TEST_F(LabelblkTest, BlocksAreRawLz4BlocksInZyxOrder) {
  post_two_volumes();
  const auto response = get(node("labels/blocks/192_160_96/-64_-64_-32"));
  ASSERT_EQ(response.status, 200) << response.body;
  std::vector<std::pair<codecs::BlockCoord, std::string>> records;
  codecs::BlockRecordParser parser(1 << 24);
  ASSERT_TRUE(parser
                  .feed(response.body,
                        [&](const codecs::BlockRecord& r) -> codecs::CodecResult<Unit> {
                          records.emplace_back(r.coord, std::string(r.payload));
                          return Unit{};
                        })
                  .ok());
  ASSERT_EQ(records.size(), 3u * 2 + 2u);
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& c = records[i].first;
    if (i) {
      const auto& p = records[i - 1].first;
      EXPECT_TRUE(std::tie(p.z, p.y, p.x) < std::tie(c.z, c.y, c.x));
    }
    const VolumeBox block{{c.x * 32, c.y * 32, c.z * 32}, {32, 32, 32}};
    EXPECT_TRUE(unlz4(records[i].second, 32 * 32 * 32 * 8) == reference_.extract(block));
  }
  const auto raw = get(node("labels/blocks/32_32_32/-64_-32_0?compression=uncompressed"));
  ASSERT_EQ(raw.body.size(), 16u + 32 * 32 * 32 * 8);
  EXPECT_TRUE(raw.body.substr(16) == reference_.extract({{-64, -32, 0}, {32, 32, 32}}));
}

TEST_F(LabelblkTest, RoiMasksReadsToZeroAndSkipsWritesOutside) {
  post_two_volumes();
  new_instance(uuid_, "mask", "roi");
  // Blocks (-2..-1, -1, 0) only.
  ASSERT_EQ(post(node("mask/roi"), "[[0,-1,-2,-1]]").status, 200);
  const VolumeBox box{{-64, -32, 0}, {96, 32, 32}};
  const auto masked = get(node("labels/raw/0_1_2/" + box.url() + "?roi=mask"));
  ASSERT_EQ(masked.status, 200) << masked.body;
  const std::string inside = reference_.extract({{-64, -32, 0}, {64, 32, 32}});
  ReferenceVolume expected({{-64, -32, 0}, {96, 32, 32}}, 8);
  expected.paste({{-64, -32, 0}, {64, 32, 32}}, inside);
  EXPECT_TRUE(masked.body == expected.extract(box));

  const std::string fresh = label_pattern(box, 555);
  ASSERT_EQ(post(node("labels/raw/0_1_2/" + box.url() + "?roi=mask"), fresh).status, 200);
  ReferenceVolume after({{-64, -32, 0}, {96, 32, 32}}, 8);
  after.paste(box, reference_.extract(box));
  after.paste({{-64, -32, 0}, {64, 32, 32}},
              ReferenceVolume::slice_of(fresh, box, {{-64, -32, 0}, {64, 32, 32}}));
  EXPECT_TRUE(get(node("labels/raw/0_1_2/" + box.url())).body == after.extract(box));
}

}  // namespace
}  // namespace dvidxfer::testing
