// labelmap's lower scales over loopback: after POST /raw and POST /blocks?downres=true the
// stored scale-1 and scale-2 blocks equal the plain whole-volume reference of DVID's rule
// (tests/support/label_downres_reference.hpp), also after a second, overlapping write.
#include <gtest/gtest.h>

#include "label_downres_reference.hpp"
#include "labelmap_test_support.hpp"

namespace dvidxfer::testing {
namespace {

// 32^3 blocks and two lower scales: one scale-2 block covers the 128^3 voxels at (-128, 0, 0).
const VolumeBox kWorld{{-128, 0, 0}, {128, 128, 128}};

class LabelmapDownres : public LabelmapTest {
 protected:
  void SetUp() override { create(R"(,"BlockSize":"32,32,32","MaxDownresLevel":"2")"); }

  // The world as the server returns it at `scale`.
  std::string read_world(int scale) {
    const int f = 1 << scale;
    const VolumeBox box{{kWorld.offset[0] / f, 0, 0},
                        {kWorld.size[0] / f, kWorld.size[1] / f, kWorld.size[2] / f}};
    const auto response = get_raw(box, "?scale=" + std::to_string(scale));
    EXPECT_EQ(response.status, 200) << response.body;
    return response.body;
  }

  // Scales 1 and 2 of the world must be the reference down-resolutions of `world`.
  void expect_scales(const ReferenceVolume& world) {
    const std::string full = world.extract(kWorld);
    std::vector<std::uint64_t> voxels(full.size() / 8);
    std::memcpy(voxels.data(), full.data(), full.size());
    const auto half = reference_downres_volume(voxels, {128, 128, 128});
    const auto quarter = reference_downres_volume(half, {64, 64, 64});
    EXPECT_EQ(read_world(1), labels_of(half)) << "scale 1";
    EXPECT_EQ(read_world(2), labels_of(quarter)) << "scale 2";
  }
};

TEST_F(LabelmapDownres, RawPostsComputeEveryLevel) {
  ReferenceVolume world(kWorld, 8);
  const VolumeBox first{{-96, 32, 0}, {96, 64, 64}};
  const std::string labels = label_pattern(first, 1);
  ASSERT_EQ(post_raw(first, labels).status, 200);
  world.paste(first, labels);
  expect_scales(world);

  // An overlapping write recomputes only its parents; the rest keep what they had.
  const VolumeBox second{{-32, 0, 32}, {32, 96, 96}};
  const std::string more = label_pattern(second, 40);
  ASSERT_EQ(post_raw(second, more).status, 200);
  world.paste(second, more);
  expect_scales(world);

  EXPECT_EQ(get(data("label/-10_10_10?scale=1")).body,
            fmt::format(R"({{"Label": {}}})",
                        label_at(read_world(1),
                                 static_cast<std::size_t>((10 * 64 + 10) * 64 + (64 - 10)))));
}

TEST_F(LabelmapDownres, BlockPostsComputeLevelsOnlyWhenAsked) {
  ReferenceVolume world(kWorld, 8);
  std::string body;
  for (const auto& coord : std::vector<std::array<std::int32_t, 3>>{
           {-4, 0, 0}, {-3, 0, 0}, {-4, 1, 0}, {-1, 3, 3}, {-2, 2, 1}}) {
    const VolumeBox box{{coord[0] * 32, coord[1] * 32, coord[2] * 32}, {32, 32, 32}};
    const std::string labels = label_pattern(box, 9);
    world.paste(box, labels);
    body += block_record(coord, codec_gzip_block(labels, 32));
  }
  ASSERT_EQ(post_blocks(body).status, 200);
  EXPECT_EQ(read_world(1), std::string(64 * 64 * 64 * 8, '\0')) << "no downres= given";
  ASSERT_EQ(post_blocks(body, "?downres=true").status, 200);
  expect_scales(world);

  // The fib19 sample as one 64^3 volume of eight blocks, then downres.
  create(R"(,"BlockSize":"32,32,32","MaxDownresLevel":"1")", "labelmap", "fib");
  std::string fib;
  for (int i = 0; i < 8; ++i) {
    const VolumeBox part{{(i & 1) * 32, ((i >> 1) & 1) * 32, (i >> 2) * 32}, {32, 32, 32}};
    fib += block_record(
        {part.offset[0] / 32, part.offset[1] / 32, part.offset[2] / 32},
        codec_gzip_block(ReferenceVolume::slice_of(fib19_volume(), {{0, 0, 0}, {64, 64, 64}}, part),
                         32));
  }
  ASSERT_EQ(post(data("blocks?downres=true", "fib"), fib).status, 200);
  std::vector<std::uint64_t> voxels(64 * 64 * 64);
  std::memcpy(voxels.data(), fib19_volume().data(), fib19_volume().size());
  EXPECT_EQ(get(data("raw/0_1_2/32_32_32/0_0_0?scale=1", "fib")).body,
            labels_of(reference_downres_volume(voxels, {64, 64, 64})));
}

}  // namespace
}  // namespace dvidxfer::testing
