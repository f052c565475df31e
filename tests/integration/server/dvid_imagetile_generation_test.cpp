// imagetile tile generation from a uint8blk source (POST .../generate, a dvidxfer extension):
// scale-0 tiles are the volume's own pixels, each further scale the truncated 2x2 mean of the
// previous one, over a region aligned to the coarsest tiles and zero outside the volume.
#include <cstdlib>

#include "dvid_imagetile_test_support.hpp"

namespace dvidxfer::testing {
namespace {

class ImagetileGenerationTest : public ImagetileVolumeTest {};

TEST_F(ImagetileGenerationTest, GeneratesEveryTileOfEveryPlaneFromTheSource) {
  fill_random();
  post_volume();
  new_instance(uuid_, "tiles", "imagetile", R"(,"Source":"grayscale")");
  const auto response = post(node("tiles/generate"), R"({"scales":2,"tilesize":32})");
  ASSERT_EQ(response.status, 200) << response.body;
  // XY: 32 slices x (4x2 + 2x1) tiles; XZ: 64 slices x (4x2 + 2x1); YZ: 96 slices x (2x2 + 1x1).
  EXPECT_EQ(
      response.body,
      R"({"Planes":["xy","xz","yz"],"Levels":2,"Tiles":1440,"MinPoint":[0,0,0],"MaxPoint":[127,63,63]})");

  // Scale 0 tiles are the volume's own pixels, zero where the tiled region extends past it.
  for (int tz : {0, 17, 31})
    for (int ty = 0; ty < 2; ++ty)
      for (int tx = 0; tx < 4; ++tx) {
        const GrayImage image = tile("tiles", "xy", 0, tx, ty, tz);
        ASSERT_EQ(image.width, 32u);
        ASSERT_EQ(image.height, 32u);
        EXPECT_EQ(image.pixels, expected_tile("xy", 0, tx, ty, tz)) << tx << "_" << ty << "_" << tz;
      }
  for (int ty : {0, 40, 63})
    EXPECT_EQ(tile("tiles", "xz", 0, 2, ty, 0).pixels, expected_tile("xz", 0, 2, ty, 0)) << ty;
  EXPECT_EQ(tile("tiles", "yz", 0, 100, 1, 0).pixels, expected_tile("yz", 0, 100, 1, 0));

  // Scale 1 tiles are the 2x downsample.
  for (int tz : {0, 9})
    for (int tx = 0; tx < 2; ++tx)
      EXPECT_EQ(tile("tiles", "xy", 1, tx, 0, tz).pixels, expected_tile("xy", 1, tx, 0, tz))
          << tx << " " << tz;
  EXPECT_EQ(tile("tiles", "xz", 1, 1, 33, 0).pixels, expected_tile("xz", 1, 1, 33, 0));
  EXPECT_EQ(tile("tiles", "yz", 1, 127, 0, 0).pixels, expected_tile("yz", 1, 127, 0, 0));

  // Nothing outside the volume's slices or the tiled region.
  EXPECT_EQ(get(node("tiles/tile/xy/0/0_0_32?noblanks=true")).status, 404);
  EXPECT_EQ(get(node("tiles/tile/xy/0/4_0_0?noblanks=true")).status, 404);
  EXPECT_EQ(get(node("tiles/tile/xy/2/0_0_0?noblanks=true")).status, 404);
  EXPECT_EQ(get(node("tiles/tile/yz/0/31_0_0?noblanks=true")).status, 404);
}

TEST_F(ImagetileGenerationTest, WritesDvidsDefaultMetadataFromTheSource) {
  fill_random();
  post_volume();
  new_instance(uuid_, "tiles", "imagetile", R"(,"Source":"grayscale")");
  ASSERT_EQ(post(node("tiles/generate"), R"({"planes":["xy"],"scales":2,"tilesize":32})").status,
            200);
  const auto response = get(node("tiles/metadata"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(
      response.body,
      R"({"MinTileCoord":[0,0,0],"MaxTileCoord":[1,0,0],"Levels":{"0":{"Resolution":[4,4,40],"TileSize":[32,32,32]},"1":{"Resolution":[8,8,80],"TileSize":[32,32,32]}}})");
}

TEST_F(ImagetileGenerationTest, UsesTheLevelsOfPostedMetadata) {
  fill_random();
  post_volume();
  new_instance(uuid_, "tiles", "imagetile", R"(,"Source":"grayscale")");
  ASSERT_EQ(
      post(
          node("tiles/metadata"),
          R"({"Levels":{"0":{"Resolution":[4,4,40],"TileSize":[32,32,32]},"1":{"Resolution":[8,8,80],"TileSize":[32,32,32]}}})")
          .status,
      200);
  const auto response = post(node("tiles/generate"), R"({"planes":["xy"]})");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(
      response.body,
      R"({"Planes":["xy"],"Levels":2,"Tiles":320,"MinPoint":[0,0,0],"MaxPoint":[127,63,63]})");
  EXPECT_EQ(tile("tiles", "xy", 1, 1, 0, 3).pixels, expected_tile("xy", 1, 1, 0, 3));
  // More scales than the metadata has are refused.
  const std::string path = node("tiles/generate");
  EXPECT_EQ(post(path, R"({"scales":3})").body,
            dvid_error("generate asks for 3 scales but the metadata has 2 levels", path));
}

TEST_F(ImagetileGenerationTest, JpegTilesStayWithinJpegTolerance) {
  fill_smooth();
  post_volume();
  new_instance(uuid_, "jpegtiles", "imagetile", R"(,"Source":"grayscale","Format":"jpg")");
  const auto response = post(node("jpegtiles/generate"),
                             R"({"planes":["xy"],"scales":2,"tilesize":32,"quality":95})");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_NE(get(node("jpegtiles/info")).body.find(R"("Encoding":2,"Quality":95)"),
            std::string::npos);
  for (int scale : {0, 1})
    for (int tx : {1, 2}) {
      if (scale == 1 && tx == 2) continue;
      const GrayImage image = tile("jpegtiles", "xy", scale, tx, 0, 12, true);
      const std::string expected = expected_tile("xy", scale, tx, 0, 12);
      ASSERT_EQ(image.pixels.size(), expected.size());
      int worst = 0;
      long total = 0;
      for (std::size_t i = 0; i < expected.size(); ++i) {
        const int error = std::abs(int(static_cast<unsigned char>(image.pixels[i])) -
                                   int(static_cast<unsigned char>(expected[i])));
        worst = std::max(worst, error);
        total += error;
      }
      // Scale 1, tile 0 covers the volume's edge at x = 32, a step JPEG blurs most.
      EXPECT_LE(worst, 24) << "scale " << scale << " tile " << tx;
      EXPECT_LE(double(total) / double(expected.size()), 2.0)
          << "scale " << scale << " tile " << tx;
    }
}

TEST_F(ImagetileGenerationTest, Lz4TilesAreStoredSerializedAndServedAsPng) {
  fill_random();
  post_volume();
  new_instance(uuid_, "lz4tiles", "imagetile",
               R"(,"Source":"grayscale","Format":"lz4","Checksum":"crc32")");
  const auto response =
      post(node("lz4tiles/generate"), R"({"planes":["xz"],"scales":2,"tilesize":32})");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(tile("lz4tiles", "xz", 0, 1, 9, 0).pixels, expected_tile("xz", 0, 1, 9, 0));
  EXPECT_EQ(tile("lz4tiles", "xz", 1, 1, 63, 0).pixels, expected_tile("xz", 1, 1, 63, 0));
}

TEST_F(ImagetileGenerationTest, RefusesWhatItCannotGenerate) {
  new_instance(uuid_, "nosource", "imagetile");
  std::string path = node("nosource/generate");
  EXPECT_EQ(post(path, "{}").body,
            dvid_error("Cannot get source \"\" for \"nosource\" tile construction: invalid data "
                       "instance name",
                       path));
  new_instance(uuid_, "tiles", "imagetile", R"(,"Source":"grayscale")");
  path = node("tiles/generate");
  EXPECT_EQ(post(path, "{}").body, dvid_error("source \"grayscale\" has no voxels to tile", path));
  EXPECT_EQ(post(path, R"({"planes":["vol"]})").status, 400);
  EXPECT_EQ(
      post(path, R"({"format":"jpg"})").body,
      dvid_error("generate format \"jpg\" differs from this instance's Format \"png\"", path));
}

}  // namespace
}  // namespace dvidxfer::testing
