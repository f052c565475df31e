// labelmap and labelarray volumes through the client against the embedded server: byte-exact
// round trips over stored blocks at any alignment (negative offsets too), DVID's fixture volumes,
// the blocks and raw wires agreeing, scales and downres, absent blocks as zeros, the libdvid
// calls, and bad input (unaligned writes, wrong instance types) refused before any voxel moves.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <random>

#include "dvidxfer/codecs/gzip.hpp"
#include "dvidxfer/errors.hpp"
#include "dvidxfer/node_service.hpp"
#include "dvidxfer/server/embedded_server.hpp"
#include "dvidxfer/server_service.hpp"

using namespace dvidxfer;

namespace {

// Piecewise-constant regions (like segmentation) over a large id range, depending on the global
// (z, y, x) so misplaced blocks are caught.
std::uint64_t label_at(std::int64_t z, std::int64_t y, std::int64_t x) {
  const auto zz = static_cast<std::uint64_t>(z + 4096), yy = static_cast<std::uint64_t>(y + 4096),
             xx = static_cast<std::uint64_t>(x + 4096);
  return 1 + ((zz / 9) * 1000003 + (yy / 11) * 1009 + (xx / 13)) * 0x100000001ull;
}

template <class F>
Labels3D make_labels(Shape3 shape, Point3 offset, F value) {
  Labels3D volume(shape);
  for (std::int64_t z = 0; z < shape[0]; ++z)
    for (std::int64_t y = 0; y < shape[1]; ++y)
      for (std::int64_t x = 0; x < shape[2]; ++x)
        volume.at(z, y, x) = value(offset[0] + z, offset[1] + y, offset[2] + x);
  return volume;
}

// Voxels of `volume` (at `offset`) that differ from value(global z, y, x).
template <class F>
std::size_t mismatches(const Labels3D& volume, Point3 offset, F value) {
  std::size_t wrong = 0;
  for (std::int64_t z = 0; z < volume.shape()[0]; ++z)
    for (std::int64_t y = 0; y < volume.shape()[1]; ++y)
      for (std::int64_t x = 0; x < volume.shape()[2]; ++x)
        wrong += volume.at(z, y, x) != value(offset[0] + z, offset[1] + y, offset[2] + x);
  return wrong;
}

bool same(const Labels3D& a, const Labels3D& b) {
  return a.shape() == b.shape() && std::equal(a.data(), a.data() + a.size(), b.data());
}

// A 64^3 fixture volume of DVID's (gzip'd little-endian uint64, z-y-x).
Labels3D fixture_volume(const std::string& name) {
  const std::string path = std::string(DVIDXFER_FIXTURES_DIR) + "/dvid/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open fixture " << path;
  const std::string gz{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto bytes = codecs::gzip_decompress(gz, 64 * 64 * 64 * 8);
  EXPECT_TRUE(bytes.ok());
  Labels3D volume({64, 64, 64});
  EXPECT_EQ(bytes.value().size(), volume.size_bytes());
  std::memcpy(volume.data(), bytes.value().data(), volume.size_bytes());
  return volume;
}

TransferOptions chunks_of(std::uint64_t bytes) {
  TransferOptions options;
  options.chunk_bytes = bytes;
  return options;
}

LabelReadOptions raw_wire() {
  LabelReadOptions options;
  options.wire = LabelWire::raw;
  return options;
}

class LabelmapVolumes : public ::testing::Test {
 protected:
  void SetUp() override {
    uuid = ServerService(server.url()).create_new_repo("labelmap", "labelmap round trips");
    ClientOptions options;
    options.initial_backoff = std::chrono::milliseconds(1);
    options.max_backoff = std::chrono::milliseconds(20);
    options.max_attempts = 15;
    node = std::make_unique<NodeService>(server.url(), uuid, "tester", "labelmap-tests", "", 0,
                                         options);
    ASSERT_TRUE(node->create_instance("labelmap", "seg",
                                      {{"BlockSize", "32,32,32"}, {"MaxDownresLevel", "2"}}));
  }

  server::EmbeddedServer server;
  std::string uuid;
  std::unique_ptr<NodeService> node;
};

}  // namespace

TEST_F(LabelmapVolumes, RoundTripsOverStoredBlocksAtAnyAlignment) {
  const Shape3 shape{96, 128, 160};
  const Point3 offset{-64, 32, -96};
  const auto written = make_labels(shape, offset, label_at);
  node->put_labels3D("seg", written, offset, false, true, "", false, chunks_of(1 << 20));

  EXPECT_EQ(mismatches(node->get_labels3D("seg", shape, offset, false), offset, label_at), 0u);
  // Unaligned on every face, negative offsets, cropped edge blocks, several chunks.
  const Shape3 inner{77, 51, 99};
  const Point3 at{-50, 40, -90};
  EXPECT_EQ(mismatches(node->get_labels3D("seg", inner, at, false, true, "", chunks_of(256 << 10)),
                       at, label_at),
            0u);
  // One voxel, and a one-voxel-thick slab.
  EXPECT_EQ(node->get_labels3D("seg", {1, 1, 1}, {-1, 33, -1}).at(0, 0, 0), label_at(-1, 33, -1));
  EXPECT_EQ(
      mismatches(node->get_labels3D("seg", {1, 100, 100}, {0, 40, -80}), {0, 40, -80}, label_at),
      0u);
}

TEST_F(LabelmapVolumes, TheCallerBufferFormFillsTheBufferInPlace) {
  const Shape3 shape{64, 64, 64};
  const auto written = make_labels(shape, {0, 0, 0}, label_at);
  node->put_labels3D("seg", written, {0, 0, 0});
  std::vector<std::uint64_t> out(40 * 50 * 60, 7);
  node->get_labels3D("seg", {40, 50, 60}, {3, 5, 2}, out);
  Labels3D view({40, 50, 60});
  std::memcpy(view.data(), out.data(), view.size_bytes());
  EXPECT_EQ(mismatches(view, {3, 5, 2}, label_at), 0u);
}

TEST_F(LabelmapVolumes, NeverWrittenBlocksReadAsZeros) {
  const auto written = make_labels({32, 32, 32}, {32, 0, 0}, label_at);
  node->put_labels3D("seg", written, {32, 0, 0});
  // Around the one written block: everything else is absent from the stream and must be 0.
  const auto read = node->get_labels3D("seg", {96, 40, 50}, {0, -5, -10});
  const auto expected = [](std::int64_t z, std::int64_t y, std::int64_t x) -> std::uint64_t {
    const bool inside = z >= 32 && z < 64 && y >= 0 && y < 32 && x >= 0 && x < 32;
    return inside ? label_at(z, y, x) : 0;
  };
  EXPECT_EQ(mismatches(read, {0, -5, -10}, expected), 0u);
  // A box with no block at all.
  const auto empty = node->get_labels3D("seg", {20, 20, 20}, {500, 500, 500});
  EXPECT_EQ(mismatches(empty, {500, 500, 500}, [](auto, auto, auto) { return 0ull; }), 0u);
}

TEST_F(LabelmapVolumes, RandomVolumesRoundTripByteExact) {
  std::mt19937_64 random(20261204);
  const Shape3 shape{64, 96, 128};
  Labels3D written(shape);
  // Noise over a few labels (many labels per sub-block, the codec's hard case), some huge ids.
  std::vector<std::uint64_t> palette(700);
  for (auto& label : palette) label = random();
  palette[0] = 0;
  for (std::size_t i = 0; i < written.size(); ++i) written.data()[i] = palette[random() % 700];
  node->put_labels3D("seg", written, {32, -64, 0}, true, true, "", false, chunks_of(1 << 20));
  // Many small chunks, and one chunk decoded in parallel across its blocks.
  EXPECT_TRUE(
      same(node->get_labels3D("seg", shape, {32, -64, 0}, true, true, "", chunks_of(256 << 10)),
           written));
  EXPECT_TRUE(
      same(node->get_labels3D("seg", shape, {32, -64, 0}, true, true, "", chunks_of(64 << 20)),
           written));
}

TEST_F(LabelmapVolumes, DvidsFixtureVolumesRoundTrip) {
  ASSERT_TRUE(node->create_labelmap("seg64"));
  for (const auto* name : {"fib19-64x64x64-sample1.dat.gz", "cx-64x64x64-sample1.dat.gz"}) {
    const auto volume = fixture_volume(name);
    const Point3 offset{64, -128, 192};
    node->put_labels3D("seg64", volume, offset);
    EXPECT_TRUE(same(node->get_labels3D("seg64", {64, 64, 64}, offset), volume)) << name;
    EXPECT_TRUE(same(
        node->get_labels3D("seg64", {64, 64, 64}, offset, true, true, "", {}, raw_wire()), volume))
        << name;
  }
}

TEST_F(LabelmapVolumes, TheBlocksAndRawWiresAgree) {
  const Shape3 shape{64, 64, 96};
  const Point3 offset{-32, 0, 32};
  node->put_labels3D("seg", make_labels(shape, offset, label_at), offset);
  const Shape3 box{70, 50, 90};
  const Point3 at{-40, 7, 30};
  const auto blocks = node->get_labels3D("seg", box, at);
  const auto lz4 = node->get_labels3D("seg", box, at, true, true, "", {}, raw_wire());
  const auto dense = node->get_labels3D("seg", box, at, true, false, "", {}, raw_wire());
  EXPECT_TRUE(same(blocks, lz4));
  EXPECT_TRUE(same(blocks, dense));
}

TEST_F(LabelmapVolumes, ScalesAreWrittenAndReadInTheirOwnGrid) {
  // Scale 1 written directly: coordinates are in that level's voxels.
  const Shape3 shape{32, 64, 32};
  const Point3 offset{0, -32, 64};
  LabelWriteOptions level1;
  level1.scale = 1;
  node->put_labels3D("seg", make_labels(shape, offset, label_at), offset, true, true, "", false, {},
                     level1);
  LabelReadOptions read1;
  read1.scale = 1;
  EXPECT_EQ(
      mismatches(node->get_labels3D("seg", {20, 30, 20}, {5, -20, 70}, true, true, "", {}, read1),
                 {5, -20, 70}, label_at),
      0u);
  // Scale 0 there is untouched.
  EXPECT_EQ(mismatches(node->get_labels3D("seg", shape, offset), offset,
                       [](auto, auto, auto) { return 0ull; }),
            0u);
  // get_labelarray_blocks3D is the same read.
  EXPECT_EQ(
      mismatches(node->get_labelarray_blocks3D("seg", shape, offset, true, 1), offset, label_at),
      0u);
}

TEST_F(LabelmapVolumes, DownresOverManyChunksMatchesTheFullResolution) {
  // Labels constant over 2x2x2 (and 4x4x4) cells down-sample to the same function at half (and a
  // quarter of) the coordinates, whatever DVID's vote rule; many chunks land in any order.
  const auto coarse = [](std::int64_t z, std::int64_t y, std::int64_t x) {
    const auto floor4 = [](std::int64_t v) { return v >= 0 ? v / 4 : -((-v + 3) / 4); };
    return label_at(floor4(z), floor4(y), floor4(x));
  };
  const Shape3 shape{128, 128, 128};
  const Point3 offset{-64, 0, -128};
  LabelWriteOptions downres;
  downres.downres = true;
  node->put_labels3D("seg", make_labels(shape, offset, coarse), offset, false, true, "", false,
                     chunks_of(256 << 10), downres);
  for (int scale = 1; scale <= 2; ++scale) {
    LabelReadOptions read;
    read.scale = scale;
    const std::int64_t f = 1 << scale;
    const Shape3 level_shape{128 / f, 128 / f, 128 / f};
    const Point3 level_offset{-64 / f, 0, -128 / f};
    const auto level =
        node->get_labels3D("seg", level_shape, level_offset, false, true, "", {}, read);
    EXPECT_EQ(mismatches(level, level_offset,
                         [&](std::int64_t z, std::int64_t y, std::int64_t x) {
                           return coarse(z * f, y * f, x * f);
                         }),
              0u)
        << "scale " << scale;
  }
}

TEST_F(LabelmapVolumes, DownresChunksNeverSplitALowerScaleBlock) {
  // Background (0) above z = 64: written on its own, DVID's downres turns a parent whose written
  // children are all solid 0 into solid 0, erasing what an earlier request put under it. One
  // request at a time, lowest z first, so a split parent would be erased every time.
  const auto coarse = [](std::int64_t z, std::int64_t y, std::int64_t x) -> std::uint64_t {
    if (z >= 64) return 0;
    const auto floor4 = [](std::int64_t v) { return v >= 0 ? v / 4 : -((-v + 3) / 4); };
    return label_at(floor4(z), floor4(y), floor4(x));
  };
  const Shape3 shape{128, 64, 64};
  TransferOptions one_block_layer_at_a_time = chunks_of(32 * 64 * 64 * 8);
  one_block_layer_at_a_time.max_in_flight = 1;
  LabelWriteOptions downres;
  downres.downres = true;
  node->put_labels3D("seg", make_labels(shape, {0, 0, 0}, coarse), {0, 0, 0}, false, true, "",
                     false, one_block_layer_at_a_time, downres);
  for (int scale = 1; scale <= 2; ++scale) {
    LabelReadOptions read;
    read.scale = scale;
    const std::int64_t f = 1 << scale;
    const auto level =
        node->get_labels3D("seg", {128 / f, 64 / f, 64 / f}, {0, 0, 0}, false, true, "", {}, read);
    EXPECT_EQ(mismatches(level, {0, 0, 0},
                         [&](std::int64_t z, std::int64_t y, std::int64_t x) {
                           return coarse(z * f, y * f, x * f);
                         }),
              0u)
        << "scale " << scale;
  }
}

TEST_F(LabelmapVolumes, IngestSupervoxelsWritesBlocksAsTheyAre) {
  const Shape3 shape{32, 64, 64};
  const Point3 offset{0, 64, -64};
  LabelWriteOptions ingest;
  ingest.ingest_supervoxels = true;
  node->put_labels3D("seg", make_labels(shape, offset, label_at), offset, true, true, "", false, {},
                     ingest);
  LabelReadOptions supervoxels;
  supervoxels.supervoxels = true;
  EXPECT_EQ(mismatches(node->get_labels3D("seg", shape, offset, true, true, "", {}, supervoxels),
                       offset, label_at),
            0u);
}

TEST_F(LabelmapVolumes, UnalignedWritesAreRefusedBeforeAnyVoxelIsSent) {
  const auto volume = make_labels({32, 32, 32}, {0, 0, 0}, label_at);
  node->get_blocksize("seg");  // the instance's info, cached: the refused call sends nothing
  const auto before = node->statistics().requests;
  try {
    node->put_labels3D("seg", volume, {0, 16, 0});
    FAIL() << "an unaligned write was accepted";
  } catch (const ArgumentError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("along y"), std::string::npos) << message;
    EXPECT_NE(message.find("offset 16"), std::string::npos) << message;
    EXPECT_NE(message.find("block size 32"), std::string::npos) << message;
  }
  const Labels3D odd({32, 32, 40});
  EXPECT_THROW(node->put_labels3D("seg", odd, {0, 0, 0}), ArgumentError);
  EXPECT_EQ(node->statistics().requests, before);
}

TEST_F(LabelmapVolumes, OptionsThatDvidCannotHonourAreRefused) {
  const auto volume = make_labels({32, 32, 32}, {0, 0, 0}, label_at);
  EXPECT_THROW(node->put_labels3D("seg", volume, {0, 0, 0}, true, true, "someroi"), ArgumentError);
  EXPECT_THROW(node->put_labels3D("seg", volume, {0, 0, 0}, true, true, "", true), ArgumentError);
  LabelWriteOptions downres_at_scale;
  downres_at_scale.downres = true;
  downres_at_scale.scale = 1;
  EXPECT_THROW(
      node->put_labels3D("seg", volume, {0, 0, 0}, true, true, "", false, {}, downres_at_scale),
      ArgumentError);
  LabelReadOptions negative;
  negative.scale = -1;
  EXPECT_THROW(node->get_labels3D("seg", {8, 8, 8}, {0, 0, 0}, true, true, "", {}, negative),
               ArgumentError);
}

TEST_F(LabelmapVolumes, WrongInstanceTypesAreRefusedNamingTheType) {
  ASSERT_TRUE(node->create_grayscale8("gray"));
  ASSERT_TRUE(node->create_labelblk("dense"));
  try {
    node->get_labels3D("gray", {8, 8, 8}, {0, 0, 0});
    FAIL() << "get_labels3D read a uint8blk";
  } catch (const ArgumentError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("'gray'"), std::string::npos) << message;
    EXPECT_NE(message.find("uint8blk"), std::string::npos) << message;
  }
  EXPECT_THROW(node->get_gray3D("seg", {8, 8, 8}, {0, 0, 0}), ArgumentError);
  EXPECT_THROW(node->get_labelarray_blocks3D("dense", {8, 8, 8}, {0, 0, 0}), ArgumentError);
  EXPECT_THROW(node->put_labelblocks3D("dense", Labels3D({32, 32, 32}), {0, 0, 0}), ArgumentError);
  LabelReadOptions supervoxels;
  supervoxels.supervoxels = true;
  EXPECT_THROW(node->get_labels3D("dense", {8, 8, 8}, {0, 0, 0}, true, true, "", {}, supervoxels),
               ArgumentError);
  EXPECT_THROW(node->get_specificblocks3D("seg", true, {{0, 0, 0}}), ArgumentError);
}

TEST_F(LabelmapVolumes, FutureFormsRunConcurrently) {
  const Shape3 shape{64, 64, 64};
  const auto a = make_labels(shape, {0, 0, 0}, label_at);
  const auto b = make_labels(shape, {64, 0, 0}, label_at);
  auto put_a = node->put_labels3D_async("seg", a.span(), shape, {0, 0, 0});
  auto put_b = node->put_labels3D_async("seg", b.span(), shape, {64, 0, 0});
  put_a.get();
  put_b.get();
  auto get_a = node->get_labels3D_async("seg", {50, 64, 64}, {7, 0, 0});
  auto get_b = node->get_labelarray_blocks3D_async("seg", shape, {64, 0, 0});
  auto points = node->get_labels_by_location_async("seg", {{0, 0, 0}, {100, 63, 1}});
  EXPECT_EQ(mismatches(get_a.get(), {7, 0, 0}, label_at), 0u);
  EXPECT_EQ(mismatches(get_b.get(), {64, 0, 0}, label_at), 0u);
  EXPECT_EQ(points.get(), (std::vector<std::uint64_t>{label_at(0, 0, 0), label_at(100, 63, 1)}));
}

TEST(LabelarrayVolumes, TheLibdvidCallsRoundTrip) {
  server::EmbeddedServer server;
  const auto uuid = ServerService(server.url()).create_new_repo("labelarray", "libdvid calls");
  NodeService node(server.url(), uuid);
  ASSERT_TRUE(node.create_labelarray("array"));
  EXPECT_FALSE(node.create_labelarray("array"));
  EXPECT_EQ(node.get_blocksize("array"), (Shape3{64, 64, 64}));
  const Point3 offset{-64, 64, 0};
  const auto volume = make_labels({64, 128, 64}, offset, label_at);
  node.put_labelblocks3D("array", volume, offset);
  EXPECT_TRUE(same(node.get_labelarray_blocks3D("array", {64, 128, 64}, offset), volume));
  EXPECT_EQ(node.get_label_by_location("array", {-1, 100, 5}), label_at(-1, 100, 5));
}

TEST_F(LabelmapVolumes, SpecificBlocksComeBackDecodedAndSorted) {
  const Point3 offset{0, 0, -32};
  node->put_labels3D("seg", make_labels({64, 32, 64}, offset, label_at), offset);
  // Block coordinates (z, y, x); (5, 5, 5) was never written and is absent from the answer.
  const std::vector<BlockZYX> asked{{1, 0, 0}, {5, 5, 5}, {0, 0, -1}};
  for (const bool uncompressed : {false, true}) {
    const auto blocks = node->get_specificblocks3D("seg", false, asked, 0, uncompressed);
    ASSERT_EQ(blocks.coords_zyx, (std::vector<BlockZYX>{{0, 0, -1}, {1, 0, 0}}));
    ASSERT_EQ(blocks.labels.size(), 2u);
    EXPECT_TRUE(blocks.gray.empty());
    EXPECT_EQ(mismatches(blocks.labels[0], {0, 0, -32}, label_at), 0u);
    EXPECT_EQ(mismatches(blocks.labels[1], {32, 0, 0}, label_at), 0u);
  }
  EXPECT_TRUE(node->get_specificblocks3D("seg", false, {}).coords_zyx.empty());
  auto later = node->get_specificblocks3D_async("seg", false, {{0, 0, 0}});
  EXPECT_EQ(mismatches(later.get().labels.at(0), {0, 0, 0}, label_at), 0u);
}

TEST_F(LabelmapVolumes, SpecificGrayBlocksDecodeTheirStoredLz4) {
  ASSERT_TRUE(node->create_grayscale8("gray"));
  Grayscale3D gray({32, 32, 64});
  for (std::size_t i = 0; i < gray.size(); ++i) gray.data()[i] = static_cast<std::uint8_t>(i * 7);
  node->put_gray3D("gray", gray, {0, 0, 0});
  const auto blocks = node->get_specificblocks3D("gray", true, {{0, 0, 1}});
  ASSERT_EQ(blocks.gray.size(), 1u);
  for (std::int64_t z = 0; z < 32; ++z)
    for (std::int64_t y = 0; y < 32; ++y)
      for (std::int64_t x = 0; x < 32; ++x)
        ASSERT_EQ(blocks.gray[0].at(z, y, x), gray.at(z, y, x + 32));
}

TEST_F(LabelmapVolumes, LabelsByLocationAnswerInOrderOnEveryLabelType) {
  const Point3 offset{-32, -32, -32};
  node->put_labels3D("seg", make_labels({64, 64, 64}, offset, label_at), offset);
  const std::vector<PointZYX> points{{-32, -32, -32}, {31, 31, 31}, {0, -1, 5}, {900, 0, 0}};
  const std::vector<std::uint64_t> expected{label_at(-32, -32, -32), label_at(31, 31, 31),
                                            label_at(0, -1, 5), 0};
  EXPECT_EQ(node->get_labels_by_location("seg", points), expected);
  EXPECT_EQ(node->get_labels_by_location("seg", points, true), expected);  // no mapping yet
  EXPECT_EQ(node->get_label_by_location("seg", {0, -1, 5}), label_at(0, -1, 5));
  EXPECT_TRUE(node->get_labels_by_location("seg", {}).empty());

  ASSERT_TRUE(node->create_labelblk("dense"));
  node->put_labels3D("dense", make_labels({32, 32, 32}, {0, 0, 0}, label_at), {0, 0, 0});
  EXPECT_EQ(node->get_labels_by_location("dense", {{1, 2, 3}, {31, 0, 31}}),
            (std::vector<std::uint64_t>{label_at(1, 2, 3), label_at(31, 0, 31)}));
  EXPECT_EQ(node->get_label_by_location("dense", {4, 5, 6}), label_at(4, 5, 6));
  EXPECT_THROW(node->get_labels_by_location("dense", {{0, 0, 0}}, true), ArgumentError);
}
