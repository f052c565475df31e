// imagetile over loopback (dvid-api.md 7): creation settings and info, metadata round trip and
// DVID's refusals, tiles stored verbatim, blank tiles and noblanks, versions, and tilekey.
#include <fmt/format.h>

#include "dvid_imagetile_test_support.hpp"

namespace dvidxfer::testing {
namespace {

constexpr std::string_view kMetadata =
    R"({"MinTileCoord":[0,0,0],"MaxTileCoord":[5,5,4],"Levels":{"0":{"Resolution":[10,10,10],"TileSize":[64,48,32]},"1":{"Resolution":[20,20,20],"TileSize":[64,48,32]}}})";

class ImagetileTest : public DvidImagetileTest {
 protected:
  void create_tiles(std::string_view extra = "") {
    new_instance(uuid_, "tiles", "imagetile", extra);
  }
  void post_metadata() {
    const auto response = post(node("tiles/metadata"), kMetadata);
    ASSERT_EQ(response.status, 200) << response.body;
  }
};

TEST_F(ImagetileTest, InfoReportsTheCreationSettings) {
  create_tiles(R"(,"Source":"grayscale","Format":"jpg","Placeholder":"true")");
  const auto response = get(node("tiles/info"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_NE(response.body.find(R"("TypeName":"imagetile")"), std::string::npos) << response.body;
  EXPECT_NE(response.body.find(R"("Compression":"No compression, level -1")"), std::string::npos)
      << response.body;
  EXPECT_NE(
      response.body.find(
          R"("Extended":{"Source":"grayscale","MinTileCoord":[0,0,0],"MaxTileCoord":[0,0,0],"Levels":{},"Placeholder":true,"Encoding":2,"Quality":0}})"),
      std::string::npos)
      << response.body;
}

TEST_F(ImagetileTest, Lz4FormatIsEncodingZeroWithLz4Compression) {
  create_tiles(R"(,"Format":"LZ4")");
  const auto response = get(node("tiles/info"));
  EXPECT_NE(response.body.find(R"("Compression":"LZ4 compression, level -1")"), std::string::npos)
      << response.body;
  EXPECT_NE(response.body.find(R"("Encoding":0,)"), std::string::npos) << response.body;
}

TEST_F(ImagetileTest, CreationRefusesUnknownFormatsAndContradictingCompression) {
  const std::string path = "/api/repo/" + uuid_ + "/instance";
  auto response = post(path, R"({"typename":"imagetile","dataname":"a","Format":"gif"})");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(
      response.body,
      dvid_error("Unknown encoding specified: 'gif' (should be 'lz4', 'png', or 'jpg'", path));
  response =
      post(path, R"({"typename":"imagetile","dataname":"b","Format":"png","Compression":"lz4"})");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body,
            dvid_error("Conflict between specified compression 'lz4' and format 'png'.  Suggest "
                       "not dictating compression.",
                       path));
}

TEST_F(ImagetileTest, MetadataRoundTrips) {
  create_tiles();
  post_metadata();
  const auto response = get(node("tiles/metadata"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(response.body, kMetadata);
  const auto info = get(node("tiles/info"));
  EXPECT_NE(info.body.find(R"("MaxTileCoord":[5,5,4],"Levels":{"0":{"Resolution":[10,10,10])"),
            std::string::npos)
      << info.body;
}

TEST_F(ImagetileTest, MetadataBeforeAnyPostIsDvidsError) {
  create_tiles();
  const std::string path = node("tiles/metadata");
  const auto response = get(path);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body, dvid_error("tile metadata for imagetile \"tiles\" was not set\n", path));
}

TEST_F(ImagetileTest, MetadataLevelsAreChecked) {
  create_tiles();
  const std::string path = node("tiles/metadata");
  const std::vector<std::pair<std::string, std::string>> cases{
      {R"({"Levels":{"0":{"Resolution":[10,10,10]},"1":{"Resolution":[25,20,20]}}})",
       "Resolutions between scale 0 and 1 aren't integral magnifications!"},
      // math.Remainder rounds to the nearest quotient: 6 over 10 leaves -4, so only the ratio
      // refuses it.
      {R"({"Levels":{"0":{"Resolution":[10,10,10]},"1":{"Resolution":[6,10,10]}}})",
       "A resolution between scale 0 and 1 actually increases!"},
      {R"({"Levels":{"0":{"Resolution":[10,10,10]},"2":{"Resolution":[20,20,20]}}})",
       "Tile levels must be consecutive integers from [0,Max]: Got scale level 2 > # levels (2)\n"},
      {R"({"Levels":{"zero":{"Resolution":[10,10,10]}}})",
       "Scaling 'zero' needs to be a number for the scale level."},
      {"", "unexpected end of JSON input"},
  };
  for (const auto& [body, message] : cases) {
    const auto response = post(path, body);
    EXPECT_EQ(response.status, 400) << body;
    EXPECT_EQ(response.body, dvid_error(message, path)) << body;
  }
  // A refused POST leaves no metadata behind.
  EXPECT_EQ(get(path).status, 400);
}

TEST_F(ImagetileTest, TileGetNeedsMetadata) {
  create_tiles();
  const std::string path = node("tiles/tile/xy/0/0_0_0");
  const auto response = get(path);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body,
            dvid_error("Tile metadata has not been POSTed yet.  GET requests require metadata to "
                       "be POST.",
                       path));
}

TEST_F(ImagetileTest, PostedTilesComeBackVerbatimUnderEveryPlaneSpelling) {
  create_tiles();
  post_metadata();
  const std::string bytes("not even a PNG \x00\x01\xff", 18);
  ASSERT_EQ(post(node("tiles/tile/xz/1/3_700_2"), bytes).status, 200);
  for (const std::string plane : {"xz", "XZ", "0_2"}) {
    const auto response = get(node("tiles/tile/" + plane + "/1/3_700_2"));
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.header("content-type"), "image/png");
    EXPECT_EQ(response.body, bytes);
  }
  // Another plane, scale or coordinate is another tile.
  EXPECT_EQ(get(node("tiles/tile/xy/1/3_700_2?noblanks=true")).status, 404);
  EXPECT_EQ(get(node("tiles/tile/xz/0/3_700_2?noblanks=true")).status, 404);
  EXPECT_EQ(get(node("tiles/tile/xz/1/3_701_2?noblanks=true")).status, 404);
}

TEST_F(ImagetileTest, JpegInstancesServeTilesAsJpeg) {
  create_tiles(R"(,"Format":"jpg")");
  post_metadata();
  ASSERT_EQ(post(node("tiles/tile/yz/0/9_1_1"), "jpeg bytes").status, 200);
  const auto response = get(node("tiles/tile/yz/0/9_1_1"));
  EXPECT_EQ(response.header("content-type"), "image/jpeg");
  EXPECT_EQ(response.body, "jpeg bytes");
}

TEST_F(ImagetileTest, Lz4InstancesDecodeDvidsSerializedImagesToPng) {
  create_tiles(R"(,"Format":"lz4")");
  post_metadata();
  // dvid.Image.Serialize without compression: format byte 0, then the image: the data format
  // (one uint8 value labelled "uint8"), kind 0 (gray), stride 4, width 3, height 2, pixels.
  std::string value("\x00", 1);
  value += std::string(
      "\x0a\x00\x00\x00"
      "\x01\x00"
      "\x00"
      "\x05\x00"
      "uint8",
      14);
  value += std::string(
      "\x00"
      "\x04\x00\x00\x00"
      "\x03\x00\x00\x00"
      "\x02\x00\x00\x00",
      13);
  value += std::string(
      "\x01\x02\x03\xff"
      "\x04\x05\x06\xff",
      8);
  ASSERT_EQ(post(node("tiles/tile/xy/0/0_0_0"), value).status, 200);
  const auto response = get(node("tiles/tile/xy/0/0_0_0"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.header("content-type"), "image/png");
  const GrayImage image = decode_gray_png_tile(response.body);
  EXPECT_EQ(image.width, 3u);
  EXPECT_EQ(image.height, 2u);
  EXPECT_EQ(image.pixels, std::string("\x01\x02\x03\x04\x05\x06", 6));
  ASSERT_EQ(post(node("tiles/tile/xy/0/1_0_0"), "not an image").status, 200);
  const std::string path = node("tiles/tile/xy/0/1_0_0");
  EXPECT_EQ(get(path).body, dvid_error("stored tile is not a serialized 8-bit DVID image", path));
}

TEST_F(ImagetileTest, MissingTilesAreBlankGrayPngsOfTheLevelsTileSize) {
  create_tiles();
  post_metadata();
  struct Case {
    std::string plane;
    std::uint32_t width, height;
  };
  for (const Case& c : {Case{"xy", 64, 48}, Case{"xz", 64, 32}, Case{"yz", 48, 32}}) {
    const auto response = get(node("tiles/tile/" + c.plane + "/1/4_4_4"));
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.header("content-type"), "image/png");
    const GrayImage image = decode_gray_png_tile(response.body);
    EXPECT_EQ(image.width, c.width) << c.plane;
    EXPECT_EQ(image.height, c.height) << c.plane;
    EXPECT_EQ(image.pixels, std::string(std::size_t{c.width} * c.height, '\0')) << c.plane;
  }
  // A stored tile at a negative coordinate is never served.
  ASSERT_EQ(post(node("tiles/tile/xy/0/-1_0_0"), "stored").status, 200);
  EXPECT_EQ(get(node("tiles/tile/xy/0/-1_0_0?noblanks=true")).status, 404);
  // A blank can be asked for as JPEG.
  const auto jpeg = get(node("tiles/tile/xy/0/0_0_0/jpg:90"));
  EXPECT_EQ(jpeg.header("content-type"), "image/jpeg");
  const GrayImage image = decode_gray_jpeg_tile(jpeg.body);
  EXPECT_EQ(image.width, 64u);
  EXPECT_EQ(image.height, 48u);
}

TEST_F(ImagetileTest, NoblanksAnswersGojisNotFound) {
  create_tiles();
  post_metadata();
  const auto response = get(node("tiles/tile/xy/0/0_0_0?noblanks=true"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body, "404 page not found\n");
  // A scale beyond the metadata has no tile size for a blank.
  const std::string path = node("tiles/tile/xy/2/0_0_0");
  EXPECT_EQ(get(path).body,
            dvid_error("Could not extract tiles for unspecified scale level 2", path));
}

TEST_F(ImagetileTest, TilesFollowVersions) {
  create_tiles();
  post_metadata();
  ASSERT_EQ(post(node("tiles/tile/xy/0/1_1_1"), "parent").status, 200);
  commit(uuid_);
  const std::string child = new_version(uuid_);
  const std::string child_tile = "/api/node/" + child + "/tiles/tile/xy/0/1_1_1";
  EXPECT_EQ(get(child_tile).body, "parent");
  ASSERT_EQ(post(child_tile, "child").status, 200);
  EXPECT_EQ(get(child_tile).body, "child");
  EXPECT_EQ(get(node("tiles/tile/xy/0/1_1_1")).body, "parent");
  // The parent is committed: no more tiles there.
  EXPECT_EQ(post(node("tiles/tile/xy/0/1_1_2"), "late").status, 400);
}

TEST_F(ImagetileTest, TileKeyIsDvidsStorageKey) {
  create_tiles();
  const auto response = get(node("tiles/tilekey/xz/3/1_-2_258"));
  ASSERT_EQ(response.status, 200) << response.body;
  const std::string key = json_member(response.body, "key");
  ASSERT_EQ(key.size(), 2u * (1 + 4 + 21 + 4 + 4 + 1)) << key;
  EXPECT_EQ(key.substr(0, 2), "01");
  // DataShape XZ (3 dims, 2 axes: 0 and 2), scale 3, the legacy 3, then z, y, x sign-flipped.
  EXPECT_EQ(key.substr(10, 42),
            "03020002000000"
            "03"
            "03"
            "80000102"
            "7ffffffe"
            "80000001");
  EXPECT_EQ(key.substr(key.size() - 10), "0000000003");
}

TEST_F(ImagetileTest, RefusesBadTileRequestsWithDvidsTexts) {
  create_tiles();
  post_metadata();
  std::string path = node("tiles/tile/xy/0/1_2");
  auto response = post(path, "x");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body,
            dvid_error("Error in posting tile with URL \"node/" + uuid_ +
                           "/tiles/tile/xy/0/1_2\": Illegal tile coordinate: 1_2 (cannot convert "
                           "\"1_2\" into a ChunkPoint3d)\n",
                       path));
  path = node("tiles/tile/xy/256/0_0_0");
  response = get(path);
  EXPECT_EQ(response.body, dvid_error("Illegal tile scale: 256 (strconv.ParseUint: parsing "
                                      "\"256\": value out of range)",
                                      path));
  path = node("tiles/tile/xy/0/0_0_0");
  response = request("DELETE", path);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body, dvid_error("Can only handle GET or POST HTTP verbs", path));
  path = node("tiles/tilekey/xy/0/0_0_0");
  EXPECT_EQ(post(path).body, dvid_error("Cannot use HTTP post for tilekey endpoint", path));
}

}  // namespace
}  // namespace dvidxfer::testing
