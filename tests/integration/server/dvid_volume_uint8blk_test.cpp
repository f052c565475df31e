// uint8blk over loopback (dvid-api.md 3): raw round trips at any alignment, errors with DVID's
// texts, info, versions, PNG slices, block spans, subvolblocks and specificblocks.
#include <png.h>

#include "dvid_volume_test_support.hpp"
#include "dvidxfer/codecs/block_records.hpp"
#include "dvidxfer/codecs/dvid_lz4.hpp"

namespace dvidxfer::testing {
namespace {

class Uint8blkTest : public DvidVolumeTest {
 protected:
  Uint8blkTest() { new_instance(uuid_, "gray", "uint8blk"); }

  void post_volume(const VolumeBox& box, const std::string& voxels) {
    const auto response = post(node("gray/raw/0_1_2/" + box.url()), voxels);
    ASSERT_EQ(response.status, 200) << response.body;
    reference_.paste(box, voxels);
  }

  // The two posted volumes cover negative and positive coordinates, with unwritten blocks between.
  void post_two_volumes() {
    post_volume(first_, random_gray(first_.voxels(), 1));
    post_volume(second_, random_gray(second_.voxels(), 2));
  }

  const VolumeBox first_{{-32, 0, 32}, {64, 32, 96}};
  const VolumeBox second_{{64, -64, -32}, {32, 64, 32}};
  ReferenceVolume reference_{VolumeBox{{-128, -128, -128}, {320, 320, 320}}, 1};
};

TEST_F(Uint8blkTest, ReadsBackWhatWasPostedAtAnyAlignment) {
  post_two_volumes();
  for (const VolumeBox& box :
       {first_, second_, VolumeBox{{-45, 3, 20}, {117, 41, 77}},
        VolumeBox{{-70, -70, -40}, {150, 100, 100}}, VolumeBox{{63, -1, 0}, {2, 2, 1}},
        VolumeBox{{-33, 5, 33}, {1, 1, 1}}}) {
    const auto response = get(node("gray/raw/0_1_2/" + box.url()));
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.header("content-type"), "application/octet-stream");
    EXPECT_TRUE(response.body == reference_.extract(box)) << box.url();
    // isotropic is raw for 3-D.
    EXPECT_TRUE(get(node("gray/isotropic/0_1_2/" + box.url())).body == response.body);
  }
}

TEST_F(Uint8blkTest, NeverWrittenBlocksReadZeroWhateverTheBackground) {
  new_instance(uuid_, "bright", "uint8blk", R"(,"Background":"7")");
  const auto response = get(node("bright/raw/0_1_2/40_30_20/-5_-5_-5"));
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.body, std::string(40 * 30 * 20, '\0'));
  // The block span endpoint fills missing blocks with the background instead.
  EXPECT_EQ(get(node("bright/blocks/0_0_0/2")).body, std::string(2 * 32 * 32 * 32, '\7'));
}

TEST_F(Uint8blkTest, CompressionQueryIsIgnored) {
  post_two_volumes();
  const VolumeBox box{{-10, 0, 40}, {50, 20, 30}};
  for (const char* compression : {"lz4", "gzip", "bogus"}) {
    const auto response = get(node("gray/raw/0_1_2/" + box.url() + "?compression=" + compression));
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_TRUE(response.body == reference_.extract(box)) << compression;
  }
}

TEST_F(Uint8blkTest, SizeIsCheckedBeforeAlignmentOnPost) {
  const std::string path = node("gray/raw/0_1_2/32_32_32/1_0_0");
  auto response = post(path, "0123456789");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body,
            dvid_error("voxels data was 10 bytes, expected 32768 bytes for 3d volume (32,32,32) "
                       "at offset (1,0,0)",
                       path));
  response = post(path, std::string(32 * 32 * 32, 'x'));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(
      response.body,
      dvid_error("cannot store voxels in non-block aligned geometry (1,0,0) -> (32,31,31)", path));
}

TEST_F(Uint8blkTest, BadGeometriesGetDvidTexts) {
  std::string path = node("gray/raw/0_1_2/0_32_32/0_0_0");
  EXPECT_EQ(get(path).body,
            dvid_error("Illegal geometry requested: 3d volume (0,32,32) at offset (0,0,0)", path));
  path = node("gray/raw/0_1_2/2048_2048_769/0_0_0");
  auto response = get(path);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body,
            dvid_error("Requested payload (3225419776 bytes) exceeds this DVID server's set limit "
                       "(3221225472)",
                       path));
  path = node("gray/raw/2_1_0/1_1_1/0_0_0");
  EXPECT_EQ(get(path).body, dvid_error("Unknown data shape specification (2_1_0)", path));
  path = node("gray/raw/0_1_2/1_1/0_0_0");
  EXPECT_EQ(get(path).body, dvid_error("Size must be 3 (not 2) dimensions", path));
  path = node("gray/raw/0_1_2/1_1_1/0_a_0");
  EXPECT_EQ(get(path).body, dvid_error("strconv.ParseInt: parsing \"a\": invalid syntax", path));
  path = node("gray/raw/xy/0_5/1_2_3");
  EXPECT_EQ(get(path).body,
            dvid_error("Illegal geometry requested: XY slice @ offset (1,2,3), size (0, 5)", path));
  path = node("gray/raw/xy/32_32/0_0_0");
  EXPECT_EQ(post(path, "x").body,
            dvid_error("DVID does not permit 2d mutations, only 3d block-aligned stores", path));
  path = node("gray/isotropic/0_1_2/32_32_32/0_0_0");
  EXPECT_EQ(post(path, std::string(32 * 32 * 32, 'x')).body,
            dvid_error("can only POST 'raw' not 'isotropic' images", path));
}

TEST_F(Uint8blkTest, OnlyGetAndPostAreServed) {
  for (const char* method : {"HEAD", "PUT", "DELETE"}) {
    const std::string path = node("gray/raw/0_1_2/32_32_32/0_0_0");
    const auto response = request(method, path);
    EXPECT_EQ(response.status, 400) << method;
    if (std::string_view(method) != "HEAD") {
      EXPECT_EQ(response.body,
                dvid_error("Data \"gray\" can only handle GET or POST HTTP verbs", path));
    }
  }
}

TEST_F(Uint8blkTest, InfoAndMetadataCarryTheExtents) {
  post_two_volumes();
  const auto info = get(node("gray/info"));
  ASSERT_EQ(info.status, 200);
  const std::string extended =
      R"("Extended":{"Values":[{"DataType":"uint8","Label":"uint8"}],"Interpolable":true,)"
      R"("BlockSize":[32,32,32],"VoxelSize":[8,8,8],)"
      R"("VoxelUnits":["nanometers","nanometers","nanometers"],)"
      R"("MinPoint":[-32,-64,-32],"MaxPoint":[95,31,127],"MinIndex":[-1,-2,-1],)"
      R"("MaxIndex":[2,0,3],"Background":0,"GridStore":"","ScaleLevel":0},)"
      R"("Extents":{"MinPoint":[-32,-64,-32],"MaxPoint":[95,31,127]}})";
  EXPECT_NE(info.body.find(extended), std::string::npos) << info.body;
  EXPECT_NE(info.body.find(R"("TypeName":"uint8blk")"), std::string::npos);

  const auto metadata = get(node("gray/metadata"));
  EXPECT_EQ(metadata.header("content-type"), "application/vnd.dvid-nd-data+json");
  EXPECT_TRUE(metadata.body.starts_with(
      R"({"Axes":[{"Label":"X","Resolution":8,"Units":"nanometers","Size":128,"Offset":-32},)"))
      << metadata.body;
  EXPECT_TRUE(metadata.body.ends_with("}\n"));

  EXPECT_EQ(post(node("gray/extents"), R"({"MinPoint":[0,0,0],"MaxPoint":[9,9,9]})").status, 200);
  EXPECT_NE(
      get(node("gray/info")).body.find(R"("Extents":{"MinPoint":[0,0,0],"MaxPoint":[9,9,9]})"),
      std::string::npos);
  const std::string path = node("gray/extents");
  EXPECT_EQ(get(path).body, dvid_error("extents endpoint only supports POST HTTP verb", path));

  ASSERT_EQ(post(node("gray/resolution"), "[4.5,4.5,40]").status, 200);
  EXPECT_NE(get(node("gray/info")).body.find(R"("VoxelSize":[4.5,4.5,40],)"), std::string::npos);
  EXPECT_NE(get(node("gray/metadata")).body.find(R"("Label":"Z","Resolution":40,)"),
            std::string::npos);
  const std::string resolution = node("gray/resolution");
  EXPECT_EQ(get(resolution).body,
            dvid_error("resolution endpoint only supports POST HTTP verb", resolution));
}

TEST_F(Uint8blkTest, ChildrenSeeTheirParentsBlocksAndParentsKeepTheirOwn) {
  const VolumeBox box{{0, 0, 0}, {64, 32, 32}};
  const std::string parent_voxels = random_gray(box.voxels(), 3);
  ASSERT_EQ(post(node("gray/raw/0_1_2/" + box.url()), parent_voxels).status, 200);
  commit(uuid_);
  const std::string child = new_version(uuid_);
  EXPECT_EQ(get("/api/node/" + child + "/gray/raw/0_1_2/" + box.url()).body, parent_voxels);

  const std::string child_block = random_gray(32 * 32 * 32, 4);
  ASSERT_EQ(post("/api/node/" + child + "/gray/raw/0_1_2/32_32_32/32_0_0", child_block).status,
            200);
  EXPECT_EQ(get("/api/node/" + child + "/gray/raw/0_1_2/32_32_32/32_0_0").body, child_block);
  EXPECT_EQ(get(node("gray/raw/0_1_2/" + box.url())).body, parent_voxels);
  // The committed parent refuses writes.
  EXPECT_EQ(post(node("gray/raw/0_1_2/32_32_32/0_0_0"), child_block).status, 400);
}

// Decodes a PNG with libpng's simplified API into 8-bit gray pixels.
std::string decode_gray_png(const std::string& png, std::uint32_t& width, std::uint32_t& height) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, png.data(), png.size())) return {};
  image.format = PNG_FORMAT_GRAY;
  std::string pixels(PNG_IMAGE_SIZE(image), '\0');
  if (!png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr)) return {};
  width = image.width;
  height = image.height;
  return pixels;
}

TEST_F(Uint8blkTest, SlicesArePngImagesOfTheVoxels) {
  post_two_volumes();
  struct Case {
    const char* shape;
    VolumeBox box;  // the slice as a one-voxel-thick box
    std::int32_t width, height;
  };
  for (const Case& c : {Case{"xy", {{-40, -3, 50}, {70, 45, 1}}, 70, 45},
                        Case{"xz", {{-40, 7, 20}, {70, 1, 90}}, 70, 90},
                        Case{"yz", {{-1, -20, 30}, {1, 50, 60}}, 50, 60},
                        Case{"0_1", {{0, 0, 33}, {10, 12, 1}}, 10, 12}}) {
    const std::string url = fmt::format("gray/raw/{}/{}_{}/{}_{}_{}", c.shape, c.width, c.height,
                                        c.box.offset[0], c.box.offset[1], c.box.offset[2]);
    const auto response = get(node(url));
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.header("content-type"), "image/png");
    std::uint32_t width = 0, height = 0;
    const std::string pixels = decode_gray_png(response.body, width, height);
    EXPECT_EQ(width, static_cast<std::uint32_t>(c.width)) << c.shape;
    EXPECT_EQ(height, static_cast<std::uint32_t>(c.height)) << c.shape;
    EXPECT_TRUE(pixels == reference_.extract(c.box)) << c.shape;
  }
}

TEST_F(Uint8blkTest, BlockSpansAreWholeBlocksAlongX) {
  const std::string blocks = random_gray(3 * 32 * 32 * 32, 5);
  ASSERT_EQ(post(node("gray/blocks/-1_2_0/3"), blocks).status, 200);
  EXPECT_EQ(get(node("gray/blocks/-1_2_0/3")).body, blocks);
  // Block (0,2,0) is the second block of the span: voxels x 0..31, y 64..95, z 0..31.
  EXPECT_EQ(get(node("gray/raw/0_1_2/32_32_32/0_64_0")).body,
            blocks.substr(32 * 32 * 32, 32 * 32 * 32));
  std::string path = node("gray/blocks/5_5_5/2");
  EXPECT_EQ(post(path, std::string(32 * 32 * 32 + 5, 'x')).body,
            dvid_error("error reading blocks: unexpected EOF", path));
  EXPECT_EQ(post(path, std::string(32 * 32 * 32, 'x')).body,
            dvid_error("block data ceased before all block data read", path));
}

VolumeBox block_box(const codecs::BlockCoord& c) {
  return {{c.x * 32, c.y * 32, c.z * 32}, {32, 32, 32}};
}

TEST_F(Uint8blkTest, SubvolumeBlocksSendTheStoredLz4ValueOrRawVoxels) {
  post_two_volumes();
  // Blocks -1..2 x -2..0 x -1..3 hold the two posted volumes.
  const auto response = get(node("gray/subvolblocks/128_96_160/-32_-64_-32"));
  ASSERT_EQ(response.status, 200) << response.body;
  const std::vector<BlockRecordCopy> records = parse_block_records(response.body);
  ASSERT_EQ(records.size(), 2u * 1 * 3 + 1u * 2 * 1);
  for (std::size_t i = 1; i < records.size(); ++i) {
    const auto& a = records[i - 1].coord;
    const auto& b = records[i].coord;
    EXPECT_TRUE(std::tie(a.z, a.y, a.x) < std::tie(b.z, b.y, b.x));
  }
  for (const BlockRecordCopy& record : records) {
    auto voxels = codecs::decode_dvid_lz4_value(record.payload, 32 * 32 * 32);
    ASSERT_TRUE(voxels.ok());
    EXPECT_TRUE(*voxels == reference_.extract(block_box(record.coord)));
  }
  const auto raw = parse_block_records(
      get(node("gray/subvolblocks/128_96_160/-32_-64_-32?compression=uncompressed")).body);
  ASSERT_EQ(raw.size(), records.size());
  for (const BlockRecordCopy& record : raw)
    EXPECT_TRUE(record.payload == reference_.extract(block_box(record.coord)));

  std::string path = node("gray/subvolblocks/32_32_32/1_0_0");
  EXPECT_EQ(get(path).body,
            dvid_error("cannot use labels via 'block' endpoint in non-block aligned geometry "
                       "(1,0,0) -> (32,31,31)",
                       path));
  path = node("gray/subvolblocks/32_32_32/0_0_32");
  EXPECT_EQ(get(path + "?compression=zstd").body,
            dvid_error("don't understand 'compression' query string value: zstd", path));
  // Stored blocks are LZ4: JPEG fails once a block exists, and an empty box answers nothing.
  EXPECT_EQ(get(path + "?compression=jpeg").body,
            dvid_error("can't encode JPEG: expected internal block data to be JPEG, was LZ4 "
                       "compression instead",
                       path));
  EXPECT_EQ(get(node("gray/subvolblocks/32_32_32/3200_0_0?compression=jpeg")).status, 200);
}

TEST_F(Uint8blkTest, SpecificBlocksSendOnlyExistingBlocks) {
  post_two_volumes();
  const auto response = get(node("gray/specificblocks?blocks=-1,0,1,40,40,40,2,-1,-1"));
  ASSERT_EQ(response.status, 200);
  const std::vector<BlockRecordCopy> records = parse_block_records(response.body);
  ASSERT_EQ(records.size(), 2u);
  for (const BlockRecordCopy& record : records) {
    auto voxels = codecs::decode_dvid_lz4_value(record.payload, 32 * 32 * 32);
    ASSERT_TRUE(voxels.ok());
    EXPECT_TRUE(*voxels == reference_.extract(block_box(record.coord)));
  }
  EXPECT_EQ(get(node("gray/specificblocks?blocks=")).body, "");
  EXPECT_EQ(get(node("gray/specificblocks?blocks=-1,0,1&prefetch=true")).body, "");
  const std::string path = node("gray/specificblocks");
  EXPECT_EQ(get(path + "?blocks=1,2").body,
            dvid_error("block query string should be three coordinates per block", path));
}

}  // namespace
}  // namespace dvidxfer::testing
