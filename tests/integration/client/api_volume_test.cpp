// Grayscale and label volumes through the parallel chunk engine against the embedded server:
// byte-exact round trips at any alignment, bad input refused before sending, and faults that end
// in exact data or a clear error, never wrong data.
#include <gtest/gtest.h>

#include <atomic>

#include "dvidxfer/errors.hpp"
#include "dvidxfer/node_service.hpp"
#include "dvidxfer/server/embedded_server.hpp"
#include "dvidxfer/server_service.hpp"

using namespace dvidxfer;

namespace {

// A value per voxel that depends on its global (z, y, x), so misplaced data is caught.
std::uint8_t gray_at(std::int64_t z, std::int64_t y, std::int64_t x) {
  return static_cast<std::uint8_t>((z * 7 + y * 13 + x * 31) ^ (z >> 3));
}
std::uint64_t label_at(std::int64_t z, std::int64_t y, std::int64_t x) {
  // Piecewise-constant regions (compressible, like segmentation) with a large id range.
  return 1 + static_cast<std::uint64_t>((z / 9) * 1000003 + (y / 11) * 1009 + (x / 13)) *
                 0x100000001ull;
}

template <class T, class F>
Volume<T> make_volume(Shape3 shape, Point3 offset, F value) {
  Volume<T> volume(shape);
  for (std::int64_t z = 0; z < shape[0]; ++z)
    for (std::int64_t y = 0; y < shape[1]; ++y)
      for (std::int64_t x = 0; x < shape[2]; ++x)
        volume.at(z, y, x) = value(offset[0] + z, offset[1] + y, offset[2] + x);
  return volume;
}

// Counts voxels that differ from value(global z, y, x).
template <class T, class F>
std::size_t mismatches(const Volume<T>& volume, Point3 offset, F value) {
  std::size_t wrong = 0;
  for (std::int64_t z = 0; z < volume.shape()[0]; ++z)
    for (std::int64_t y = 0; y < volume.shape()[1]; ++y)
      for (std::int64_t x = 0; x < volume.shape()[2]; ++x)
        wrong += volume.at(z, y, x) != value(offset[0] + z, offset[1] + y, offset[2] + x);
  return wrong;
}

class VolumeApi : public ::testing::Test {
 protected:
  void SetUp() override {
    uuid = ServerService(server.url()).create_new_repo("volumes", "volume round trips");
    ClientOptions options;
    options.initial_backoff = std::chrono::milliseconds(1);
    options.max_backoff = std::chrono::milliseconds(20);
    options.max_attempts = 15;
    node =
        std::make_unique<NodeService>(server.url(), uuid, "tester", "volume-tests", "", 0, options);
    ASSERT_TRUE(node->create_grayscale8("gray"));
    ASSERT_TRUE(node->create_labelblk("labels", "bodies"));
  }

  static TransferOptions small_chunks(std::uint64_t bytes) {
    TransferOptions options;
    options.chunk_bytes = bytes;
    return options;
  }

  server::EmbeddedServer server;
  std::string uuid;
  std::unique_ptr<NodeService> node;
};

}  // namespace

TEST_F(VolumeApi, GrayscaleRoundTripsAtAlignedAndUnalignedBoxes) {
  const Shape3 shape{96, 128, 160};
  const Point3 offset{-32, 64, -96};
  const auto written = make_volume<std::uint8_t>(shape, offset, gray_at);
  node->put_gray3D("gray", written, offset, false, false, small_chunks(256 * 1024));

  const auto whole = node->get_gray3D("gray", shape, offset, false);
  EXPECT_EQ(mismatches(whole, offset, gray_at), 0u);

  // Unaligned boxes inside the written region, with chunk sizes that force bands and columns.
  for (const auto& [box_shape, box_offset] :
       std::vector<std::pair<Shape3, Point3>>{{{37, 51, 77}, {-29, 70, -90}},
                                              {{1, 1, 160}, {0, 100, -96}},
                                              {{90, 3, 5}, {-30, 188, 58}}}) {
    for (std::uint64_t chunk : {0ull, 4096ull, 32ull * 32 * 32}) {
      const auto part =
          node->get_gray3D("gray", box_shape, box_offset, false, false, "", small_chunks(chunk));
      EXPECT_EQ(mismatches(part, box_offset, gray_at), 0u) << "chunk bytes " << chunk;
    }
  }
}

TEST_F(VolumeApi, NeverWrittenVoxelsReadAsZero) {
  const auto volume = node->get_gray3D("gray", {10, 20, 30}, {1000, 1000, 1000}, false);
  EXPECT_EQ(mismatches(volume, {0, 0, 0}, [](auto, auto, auto) { return std::uint8_t{0}; }), 0u);
}

TEST_F(VolumeApi, LabelsRoundTripWithAndWithoutLz4) {
  const Shape3 shape{64, 96, 128};
  const Point3 offset{32, -32, 0};
  const auto written = make_volume<std::uint64_t>(shape, offset, label_at);
  node->put_labels3D("labels", written, offset, false, true, "", false, small_chunks(512 * 1024));
  for (bool lz4 : {true, false}) {
    const auto read = node->get_labels3D("labels", shape, offset, false, lz4);
    EXPECT_EQ(mismatches(read, offset, label_at), 0u) << "lz4 " << lz4;
    const Shape3 inner{33, 45, 100};
    const Point3 inner_offset{35, -20, 7};
    const auto part =
        node->get_labels3D("labels", inner, inner_offset, false, lz4, "", small_chunks(16 * 1024));
    EXPECT_EQ(mismatches(part, inner_offset, label_at), 0u) << "lz4 " << lz4;
  }
  // Written without lz4 too, read back with it.
  node->put_labels3D("labels", written, {128, 0, 0}, false, false);
  const auto moved = node->get_labels3D("labels", shape, {128, 0, 0});
  EXPECT_EQ(mismatches(moved, {128, 0, 0},
                       [&](auto z, auto y, auto x) { return label_at(z - 96, y - 32, x); }),
            0u);
}

TEST_F(VolumeApi, CallerBuffersAreFilledInPlace) {
  const Shape3 shape{32, 64, 64};
  const auto written = make_volume<std::uint64_t>(shape, {0, 0, 0}, label_at);
  node->put_labels3D("labels", written.span(), shape, {0, 0, 0});
  std::vector<std::uint64_t> out(32 * 64 * 64, 0xdead);
  node->get_labels3D("labels", shape, {0, 0, 0}, out);
  EXPECT_TRUE(std::equal(out.begin(), out.end(), written.data()));
}

TEST_F(VolumeApi, LabelsByLocationAndBodies) {
  const Shape3 shape{32, 32, 64};
  const auto written = make_volume<std::uint64_t>(shape, {0, 0, 0}, label_at);
  node->put_labels3D("labels", written, {0, 0, 0}, false);
  EXPECT_EQ(node->get_label_by_location("labels", {5, 17, 40}), label_at(5, 17, 40));
  EXPECT_EQ(node->get_label_by_location("labels", {500, 17, 40}), 0u);
  EXPECT_TRUE(node->body_exists("bodies", label_at(5, 17, 40)));
  EXPECT_FALSE(node->body_exists("bodies", 77));
}

TEST_F(VolumeApi, BadInputIsRefusedBeforeAnyChunkIsSent) {
  const auto requests_before = [&] { return server.fault_counters().requests; };
  Volume<std::uint64_t> volume({32, 32, 32});
  node->get_blocksize("labels");  // the block size is the only thing a check may ask for
  const auto before = requests_before();
  try {
    node->put_labels3D("labels", volume, {0, 16, 0});
    FAIL() << "an unaligned PUT was sent";
  } catch (const ArgumentError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("along y"), std::string::npos) << message;
    EXPECT_NE(message.find("block size 32"), std::string::npos) << message;
  }
  std::vector<std::uint64_t> small(100);
  EXPECT_THROW(node->put_labels3D("labels", small, {32, 32, 32}, {0, 0, 0}), ArgumentError);
  EXPECT_THROW(node->get_labels3D("labels", {0, 10, 10}, {0, 0, 0}), ArgumentError);
  EXPECT_THROW(node->get_gray3D("gray", {-1, 10, 10}, {0, 0, 0}), ArgumentError);
  EXPECT_EQ(requests_before(), before);
}

TEST_F(VolumeApi, ProgressCountsEveryChunkAndCancelStopsTheCall) {
  const Shape3 shape{64, 64, 64};
  const auto written = make_volume<std::uint64_t>(shape, {0, 0, 0}, label_at);
  std::atomic<std::uint64_t> last_acknowledged{0}, planned{0};
  TransferOptions options = small_chunks(32 * 64 * 64 * 8 / 4);
  options.progress = [&](const TransferProgress& p) {
    planned = p.chunks_planned;
    last_acknowledged = std::max<std::uint64_t>(last_acknowledged, p.chunks_acknowledged);
  };
  node->put_labels3D("labels", written, {0, 0, 0}, false, true, "", false, options);
  EXPECT_GE(planned.load(), 8u);
  EXPECT_EQ(last_acknowledged.load(), planned.load());

  TransferOptions cancelled;
  cancelled.cancel.cancel();
  try {
    node->get_labels3D("labels", shape, {0, 0, 0}, false, true, "", cancelled);
    FAIL() << "a cancelled call returned a volume";
  } catch (const VolumeTransferError& e) {
    EXPECT_TRUE(e.cancelled());
  }
}

TEST_F(VolumeApi, UnderFaultsEveryCallReturnsExactDataOrAClearError) {
  const Shape3 shape{64, 64, 96};
  const auto written = make_volume<std::uint64_t>(shape, {0, 0, 0}, label_at);
  server.set_faults({.seed = 21,
                     .latency = std::chrono::milliseconds(2),
                     .rate_503 = 0.2,
                     .rate_reset = 0.1,
                     .rate_truncate = 0.1});
  node->put_labels3D("labels", written, {0, 0, 0}, true, true, "", false, small_chunks(128 * 1024));
  for (int round = 0; round < 3; ++round) {
    for (bool lz4 : {true, false}) {
      try {
        const auto read = node->get_labels3D("labels", shape, {0, 0, 0}, round % 2 == 0, lz4, "",
                                             small_chunks(96 * 1024));
        EXPECT_EQ(mismatches(read, {0, 0, 0}, label_at), 0u);
      } catch (const Error& e) {
        ADD_FAILURE() << "retries should absorb this fault rate: " << e.what();
      }
    }
  }
  const auto counters = server.fault_counters();
  EXPECT_GT(counters.injected_503 + counters.resets + counters.truncations, 10u);
}

TEST_F(VolumeApi, AFailedPutNamesTheChunksThatDidNotLand) {
  const Shape3 shape{64, 64, 64};
  const auto written = make_volume<std::uint64_t>(shape, {0, 0, 0}, label_at);
  node->get_blocksize("labels");  // cached before the faults start
  server.set_faults({.seed = 4, .rate_500 = 1.0});
  try {
    node->put_labels3D("labels", written, {0, 0, 0}, false, true, "", false,
                       small_chunks(32 * 32 * 64 * 8));
    FAIL() << "a PUT answered 500 everywhere succeeded";
  } catch (const VolumeTransferError& e) {
    EXPECT_EQ(e.status(), 500u);
    EXPECT_FALSE(e.failed_chunks().empty());
    std::uint64_t voxels = 0;
    for (const auto* list : {&e.failed_chunks(), &e.unsent_chunks()})
      for (const auto& box : *list)
        voxels += box.shape_zyx[0] * box.shape_zyx[1] * box.shape_zyx[2];
    EXPECT_EQ(voxels, 64u * 64 * 64) << "nothing was acknowledged, so every voxel is listed";
    EXPECT_NE(std::string(e.what()).find("put_labels3D on 'labels'"), std::string::npos)
        << e.what();
  }
}

TEST_F(VolumeApi, AFailedGetNeverReturnsAVolume) {
  node->get_blocksize("labels");  // cached before the faults start
  server.set_faults({.seed = 9, .rate_500 = 1.0});
  EXPECT_THROW(node->get_labels3D("labels", {64, 64, 64}, {0, 0, 0}, false), VolumeTransferError);
}

TEST_F(VolumeApi, VolumesOf2GiBAndMoreWork) {
  // 2,214,592,512 bytes of uint8: more than 2^31, so every size and offset must be 64-bit.
  const Shape3 shape{1056, 1024, 2048};
  Volume<std::uint8_t> written(shape);
  for (std::int64_t z = 0; z < shape[0]; ++z)
    for (std::int64_t y = 0; y < shape[1]; ++y) {
      auto* row = &written.at(z, y, 0);
      const auto base = static_cast<std::uint8_t>(z * 7 + y * 13);
      for (std::int64_t x = 0; x < shape[2]; ++x)
        row[x] = static_cast<std::uint8_t>(base + (x >> 6));
    }
  node->put_gray3D("gray", written, {0, 0, 0}, false);
  const auto read = node->get_gray3D("gray", shape, {0, 0, 0}, false);
  ASSERT_EQ(read.size_bytes(), written.size_bytes());
  EXPECT_EQ(std::memcmp(read.data(), written.data(), written.size_bytes()), 0);
}

TEST_F(VolumeApi, RoiMasksGrayAndLabelsOutsideItsBlocks) {
  ASSERT_TRUE(node->create_roi("region"));
  EXPECT_FALSE(node->create_roi("region"));
  // Blocks (z,y,x) (0,0,0) and (0,0,1) only: span [z, y, x0, x1] in block coordinates.
  node->custom_request("/region/roi", "[[0,0,0,1]]", ConnectionMethod::POST);
  const Shape3 shape{64, 64, 64};
  const auto gray = make_volume<std::uint8_t>(shape, {0, 0, 0}, gray_at);
  const auto labels = make_volume<std::uint64_t>(shape, {0, 0, 0}, label_at);
  node->put_gray3D("gray", gray, {0, 0, 0}, false);
  node->put_labels3D("labels", labels, {0, 0, 0}, false);
  const auto inside = [](std::int64_t z, std::int64_t y, std::int64_t) { return z < 32 && y < 32; };
  const auto masked_gray = node->get_gray3D("gray", shape, {0, 0, 0}, false, false, "region");
  const auto masked_labels = node->get_labels3D("labels", shape, {0, 0, 0}, false, true, "region");
  EXPECT_EQ(mismatches(masked_gray, {0, 0, 0},
                       [&](auto z, auto y, auto x) {
                         return inside(z, y, x) ? gray_at(z, y, x) : std::uint8_t{0};
                       }),
            0u);
  EXPECT_EQ(mismatches(masked_labels, {0, 0, 0},
                       [&](auto z, auto y, auto x) {
                         return inside(z, y, x) ? label_at(z, y, x) : std::uint64_t{0};
                       }),
            0u);
}

TEST_F(VolumeApi, MutateRewritesLabelsAndTheirBodies) {
  const Shape3 shape{32, 32, 32};
  Labels3D first(shape), second(shape);
  std::fill(first.data(), first.data() + first.size(), 111);
  std::fill(second.data(), second.data() + second.size(), 222);
  node->put_labels3D("labels", first, {0, 0, 0}, false);
  EXPECT_TRUE(node->body_exists("bodies", 111));
  node->put_labels3D("labels", second, {0, 0, 0}, false, true, "", true);
  EXPECT_EQ(node->get_label_by_location("labels", {3, 4, 5}), 222u);
  EXPECT_TRUE(node->body_exists("bodies", 222));
  EXPECT_FALSE(node->body_exists("bodies", 111)) << "mutate removes the overwritten body";
}

TEST_F(VolumeApi, GrayscaleCompressFetchesStoredBlocks) {
  const Shape3 shape{64, 96, 64};
  const Point3 offset{32, 0, -64};
  const auto written = make_volume<std::uint8_t>(shape, offset, gray_at);
  node->put_gray3D("gray", written, offset, false);
  for (const auto& [box_shape, box_offset] : std::vector<std::pair<Shape3, Point3>>{
           {shape, offset}, {{40, 50, 33}, {40, 7, -50}}, {{10, 10, 10}, {200, 200, 200}}}) {
    const auto expected = [&](auto z, auto y, auto x) {
      const bool written_here = z >= 32 && z < 96 && y >= 0 && y < 96 && x >= -64 && x < 0;
      return written_here ? gray_at(z, y, x) : std::uint8_t{0};
    };
    const auto read = node->get_gray3D("gray", box_shape, box_offset, false, true);
    EXPECT_EQ(mismatches(read, box_offset, expected), 0u);
  }
}
