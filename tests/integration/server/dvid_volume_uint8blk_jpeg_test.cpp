// uint8blk created with Compression jpeg, as FlyEM stores EM grayscale (dvid-api.md 3.1, 3.3):
// each block is kept as one grayscale JPEG of width bx and height by*bz at quality 80, sent as
// stored by subvolblocks and specificblocks, and decoded for raw reads. The JPEG payloads are
// decoded here with libjpeg directly, independent of the server's decoder.
#include <algorithm>
#include <cstdlib>

#include "dvid_imagetile_test_support.hpp"
#include "dvid_volume_test_support.hpp"
#include "dvidxfer/codecs/block_records.hpp"

namespace dvidxfer::testing {
namespace {

constexpr std::int32_t kBlock = 32;

// Smooth grayscale, as EM images are at block scale, so quality 80 stays close to it.
std::string smooth_gray(const VolumeBox& box) {
  std::string voxels(static_cast<std::size_t>(box.voxels()), '\0');
  std::size_t i = 0;
  for (std::int32_t z = 0; z < box.size[2]; ++z)
    for (std::int32_t y = 0; y < box.size[1]; ++y)
      for (std::int32_t x = 0; x < box.size[0]; ++x) {
        const int gx = box.offset[0] + x, gy = box.offset[1] + y, gz = box.offset[2] + z;
        const int phase = ((gx * 2 + gy + gz * 3) % 192 + 192) % 192;  // a triangle wave
        voxels[i++] = static_cast<char>(80 + std::abs(phase - 96));
      }
  return voxels;
}

VolumeBox block_box(const codecs::BlockCoord& c) {
  return {{c.x * kBlock, c.y * kBlock, c.z * kBlock}, {kBlock, kBlock, kBlock}};
}

// Largest absolute difference between two equally long byte strings.
int max_difference(std::string_view a, std::string_view b) {
  int worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst,
                     std::abs(static_cast<unsigned char>(a[i]) - static_cast<unsigned char>(b[i])));
  return worst;
}

class Uint8blkJpegTest : public DvidVolumeTest {
 protected:
  Uint8blkJpegTest() {
    new_instance(uuid_, "em", "uint8blk", R"(,"Compression":"jpeg")");
    const auto response = post(node("em/raw/0_1_2/" + posted_.url()), smooth_gray(posted_));
    EXPECT_EQ(response.status, 200) << response.body;
  }

  // Blocks -1..0 x 0..1 x 1..1: eight blocks around the origin, negative x included.
  const VolumeBox posted_{{-32, 0, 32}, {64, 64, 32}};
};

TEST_F(Uint8blkJpegTest, InfoSaysJpegWithTheBlockWidthAsLevel) {
  const auto response = get(node("em/info"));
  ASSERT_EQ(response.status, 200);
  EXPECT_NE(response.body.find(R"("Compression":"jpeg compression, level 32")"), std::string::npos)
      << response.body;
}

TEST_F(Uint8blkJpegTest, SubvolumeBlocksAreJpegFilesOfTheBlockLayout) {
  for (const std::string query : {"", "?compression=jpeg"}) {
    const auto response = get(node("em/subvolblocks/" + posted_.url() + query));
    ASSERT_EQ(response.status, 200) << response.body;
    const std::vector<BlockRecordCopy> records = parse_block_records(response.body);
    ASSERT_EQ(records.size(), 4u) << query;
    for (const BlockRecordCopy& record : records) {
      ASSERT_GE(record.payload.size(), 3u);
      EXPECT_EQ(static_cast<unsigned char>(record.payload[0]), 0xFF);
      EXPECT_EQ(static_cast<unsigned char>(record.payload[1]), 0xD8);
      const GrayImage image = decode_gray_jpeg_tile(record.payload);
      ASSERT_EQ(image.width, static_cast<std::uint32_t>(kBlock));
      ASSERT_EQ(image.height, static_cast<std::uint32_t>(kBlock * kBlock));
      const std::string expected = smooth_gray(block_box(record.coord));
      EXPECT_LE(max_difference(image.pixels, expected), 12) << "block " << record.coord.x;
      // What raw reads of the block return is exactly the stored JPEG decoded.
      EXPECT_TRUE(get(node("em/raw/0_1_2/" + block_box(record.coord).url())).body == image.pixels);
    }
  }
}

TEST_F(Uint8blkJpegTest, UncompressedAndSpecificBlocksDecodeTheStoredJpeg) {
  const auto jpeg = parse_block_records(get(node("em/subvolblocks/" + posted_.url())).body);
  const auto raw = parse_block_records(
      get(node("em/subvolblocks/" + posted_.url() + "?compression=uncompressed")).body);
  ASSERT_EQ(raw.size(), jpeg.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    EXPECT_EQ(raw[i].coord, jpeg[i].coord);
    EXPECT_TRUE(raw[i].payload == decode_gray_jpeg_tile(jpeg[i].payload).pixels);
  }
  const auto specific =
      parse_block_records(get(node("em/specificblocks?blocks=-1,0,1,0,1,1,9,9,9")).body);
  ASSERT_EQ(specific.size(), 2u);
  for (const BlockRecordCopy& record : specific) {
    const auto match = std::find_if(jpeg.begin(), jpeg.end(), [&](const BlockRecordCopy& r) {
      return r.coord == record.coord;
    });
    ASSERT_NE(match, jpeg.end());
    EXPECT_TRUE(record.payload == match->payload);
  }
}

TEST_F(Uint8blkJpegTest, RawReadsAtAnyAlignmentAreTheDecodedBlocks) {
  // The stored blocks, decoded independently, make the reference for unaligned reads.
  ReferenceVolume stored({{-64, -32, 0}, {128, 128, 96}}, 1);
  for (const BlockRecordCopy& record :
       parse_block_records(get(node("em/subvolblocks/" + posted_.url())).body))
    stored.paste(block_box(record.coord), decode_gray_jpeg_tile(record.payload).pixels);
  const VolumeBox unaligned{{-40, 5, 30}, {61, 47, 29}};
  const auto response = get(node("em/raw/0_1_2/" + unaligned.url()));
  ASSERT_EQ(response.status, 200);
  EXPECT_TRUE(response.body == stored.extract(unaligned));
}

TEST_F(Uint8blkJpegTest, RawGetAsJpegStacksTheSlices) {
  const VolumeBox box{{-32, 0, 32}, {64, 16, 4}};
  const auto response = get(node("em/raw/0_1_2/" + box.url() + "/jpg"));
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type"), "image/jpeg");
  const GrayImage image = decode_gray_jpeg_tile(response.body);
  EXPECT_EQ(image.width, 64u);
  EXPECT_EQ(image.height, 16u * 4);
  EXPECT_LE(max_difference(image.pixels, get(node("em/raw/0_1_2/" + box.url())).body), 12);
}

}  // namespace
}  // namespace dvidxfer::testing
