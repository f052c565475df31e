// imagetile raw and isotropic images over loopback (dvid-api.md 7.3): arbitrary 2-D images
// stitched from level-0 tiles, black where tiles are missing, isotropic ones stretched along the
// coarser axis, and DVID's refusals.
#include "dvid_imagetile_test_support.hpp"

namespace dvidxfer::testing {
namespace {

class ImagetileImagesTest : public ImagetileVolumeTest {
 protected:
  ImagetileImagesTest() {
    fill_random();
    post_volume();
    new_instance(uuid_, "tiles", "imagetile", R"(,"Source":"grayscale")");
    const auto response = post(node("tiles/generate"), R"({"scales":1,"tilesize":32})");
    EXPECT_EQ(response.status, 200) << response.body;
  }

  GrayImage image(const std::string& rest) {
    const auto response = get(node("tiles/" + rest));
    EXPECT_EQ(response.status, 200) << rest << ": " << response.body;
    EXPECT_EQ(response.header("content-type"), "image/png");
    return decode_gray_png_tile(response.body);
  }
};

TEST_F(ImagetileImagesTest, RawImagesAcrossTileBoundariesAreTheVolumesPixels) {
  // XY at z = 5 from (40, 10), 100 x 40: four tiles wide and past the tiled region's end at 128.
  GrayImage xy = image("raw/xy/100_40/40_10_5");
  ASSERT_EQ(xy.width, 100u);
  ASSERT_EQ(xy.height, 40u);
  for (int y = 0; y < 40; ++y)
    for (int x = 0; x < 100; ++x)
      ASSERT_EQ(static_cast<unsigned char>(xy.pixels[std::size_t(y) * 100 + std::size_t(x)]),
                voxel(40 + x, 10 + y, 5))
          << x << "," << y;
  // XZ at y = 7 and YZ at x = 90, starting inside a tile.
  GrayImage xz = image("raw/0_2/50_30/20_7_1");
  for (int z = 0; z < 30; ++z)
    for (int x = 0; x < 50; ++x)
      ASSERT_EQ(static_cast<unsigned char>(xz.pixels[std::size_t(z) * 50 + std::size_t(x)]),
                voxel(20 + x, 7, 1 + z))
          << x << "," << z;
  GrayImage yz = image("raw/yz/64_32/90_0_0");
  for (int z = 0; z < 32; ++z)
    for (int y = 0; y < 64; ++y)
      ASSERT_EQ(static_cast<unsigned char>(yz.pixels[std::size_t(z) * 64 + std::size_t(y)]),
                voxel(90, y, z))
          << y << "," << z;
}

TEST_F(ImagetileImagesTest, IsotropicImagesStretchTheCoarserAxis) {
  // x is 4 nm, z 40 nm: a 64 x 40 isotropic XZ image reads 4 z slices, each repeated 10 times.
  GrayImage xz = image("isotropic/xz/64_40/32_7_0");
  ASSERT_EQ(xz.width, 64u);
  ASSERT_EQ(xz.height, 40u);
  for (int row = 0; row < 40; ++row)
    for (int x = 0; x < 64; ++x)
      ASSERT_EQ(static_cast<unsigned char>(xz.pixels[std::size_t(row) * 64 + std::size_t(x)]),
                voxel(32 + x, 7, row / 10))
          << x << "," << row;
  // XY has equal resolutions: isotropic is raw.
  EXPECT_EQ(image("isotropic/xy/20_20/33_3_3").pixels, image("raw/xy/20_20/33_3_3").pixels);
}

TEST_F(ImagetileImagesTest, ImagesCanBeJpeg) {
  const auto response = get(node("tiles/raw/xy/32_32/32_0_0/jpg:90"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.header("content-type"), "image/jpeg");
  const GrayImage image = decode_gray_jpeg_tile(response.body);
  EXPECT_EQ(image.width, 32u);
  EXPECT_EQ(image.height, 32u);
}

TEST_F(ImagetileImagesTest, RefusesWhatDvidRefuses) {
  std::string path = node("tiles/raw/xy/10_10/0_0_0");
  EXPECT_EQ(post(path, "x").body,
            dvid_error("imagetile 'tiles' can only PUT tiles not images", path));
  path = node("tiles/raw/vol/10_10/0_0_0");
  EXPECT_EQ(get(path).body, dvid_error("Quadtrees can only return 2d images not 3d volume", path));
  path = node("tiles/isotropic/xy/10_10");
  EXPECT_EQ(get(path).body,
            dvid_error("\"isotropic\" must be followed by shape/size/offset", path));
  new_instance(uuid_, "unset", "imagetile", R"(,"Source":"grayscale")");
  path = node("unset/raw/xy/10_10/0_0_0");
  EXPECT_EQ(get(path).body,
            dvid_error("Tile metadata has not been POSTed yet.  GET requests require metadata to "
                       "be POST.",
                       path));
  new_instance(uuid_, "nosource", "imagetile");
  path = node("nosource/raw/xy/10_10/0_0_0");
  EXPECT_EQ(get(path).body, dvid_error("invalid data instance name", path));
}

}  // namespace
}  // namespace dvidxfer::testing
