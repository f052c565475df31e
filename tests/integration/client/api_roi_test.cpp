// NodeService's ROI calls against the embedded server: a large irregular ROI round trip,
// partitions whose totals add up to the ROI, point queries that agree with the mask voxel by
// voxel, and bad input refused before sending or reported with the ROI's name.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <random>
#include <set>

#include "dvidxfer/errors.hpp"
#include "dvidxfer/node_service.hpp"
#include "dvidxfer/server/embedded_server.hpp"
#include "dvidxfer/server_service.hpp"

using namespace dvidxfer;

namespace {

constexpr std::int64_t kBlock = 32;  // create_roi's block size
constexpr std::size_t kShapeBlocks = 10'000;

// An irregular shape of exactly 10,000 blocks (z, y, x): a hollow sphere around the origin
// (negative coordinates included) and an X extruded along z above it, layer by layer until the
// count is reached.
std::set<BlockZYX> irregular_shape() {
  std::set<BlockZYX> blocks;
  for (std::int64_t z = -14; z <= 14; ++z)
    for (std::int64_t y = -14; y <= 14; ++y)
      for (std::int64_t x = -14; x <= 14; ++x) {
        const std::int64_t d2 = z * z + y * y + x * x;
        if (d2 >= 12 * 12 && d2 <= 14 * 14) blocks.insert({z, y, x});
      }
  for (std::int64_t z = 20; blocks.size() < kShapeBlocks; ++z)
    for (std::int64_t t = -60; t <= 60 && blocks.size() < kShapeBlocks; ++t)
      for (std::int64_t arm : {1, -1})
        for (std::int64_t width : {0, 1})
          if (blocks.size() < kShapeBlocks) blocks.insert({z, t, arm * t + width});
  return blocks;
}

class RoiApi : public ::testing::Test {
 protected:
  void SetUp() override {
    uuid = ServerService(server.url()).create_new_repo("rois", "roi calls");
    node = std::make_unique<NodeService>(server.url(), uuid, "tester", "roi-tests");
    ASSERT_TRUE(node->create_roi("shape"));
  }

  // Posts the shape's blocks shuffled, with a fifth of them twice.
  void post_shape(const std::set<BlockZYX>& shape) {
    std::vector<BlockZYX> blocks(shape.begin(), shape.end());
    blocks.insert(blocks.end(), blocks.begin(), blocks.begin() + blocks.size() / 5);
    std::shuffle(blocks.begin(), blocks.end(), std::mt19937(7));
    node->post_roi("shape", blocks);
  }

  std::uint64_t requests_served() const { return server.fault_counters().requests; }

  server::EmbeddedServer server;
  std::string uuid;
  std::unique_ptr<NodeService> node;
};

TEST_F(RoiApi, IrregularShapeRoundTripsSortedAndWithoutDuplicates) {
  const auto shape = irregular_shape();
  ASSERT_EQ(shape.size(), kShapeBlocks);
  post_shape(shape);
  const auto blocks = node->get_roi("shape");
  EXPECT_EQ(blocks.size(), kShapeBlocks);
  EXPECT_TRUE(std::is_sorted(blocks.begin(), blocks.end()));
  EXPECT_EQ(std::adjacent_find(blocks.begin(), blocks.end()), blocks.end());
  EXPECT_TRUE(std::equal(blocks.begin(), blocks.end(), shape.begin(), shape.end()));

  node->post_roi("shape", {});
  EXPECT_TRUE(node->get_roi("shape").empty());
}

TEST_F(RoiApi, PartitionActiveBlocksAddUpToTheRoi) {
  const auto shape = irregular_shape();
  post_shape(shape);
  const std::size_t roi_blocks = node->get_roi("shape").size();
  ASSERT_EQ(roi_blocks, kShapeBlocks);

  const std::string json =
      node->custom_request("/shape/partition?batchsize=8", "", ConnectionMethod::GET);
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  const simdjson::dom::element root = parser.parse(padded);
  std::uint64_t listed_active = 0, listed_total = 0;
  for (simdjson::dom::element subvolume : root["Subvolumes"].get_array()) {
    listed_active += subvolume["ActiveBlocks"].get_uint64().value();
    listed_total += subvolume["TotalBlocks"].get_uint64().value();
  }
  const std::uint64_t active = root["NumActiveBlocks"].get_uint64().value();
  const std::uint64_t total = root["NumTotalBlocks"].get_uint64().value();
  EXPECT_EQ(active, roi_blocks);
  EXPECT_EQ(listed_active, roi_blocks);
  EXPECT_LE(listed_total, total) << "empty cubes of a row count but are not listed";

  const RoiPartition partition = node->get_roi_partition("shape", 8);
  EXPECT_EQ(partition.substacks.size(), root["NumSubvolumes"].get_uint64().value());
  EXPECT_DOUBLE_EQ(partition.packing_factor,
                   static_cast<double>(roi_blocks) / static_cast<double>(total));
  EXPECT_TRUE(std::is_sorted(partition.substacks.begin(), partition.substacks.end()));
  // The substacks tile the ROI: every block lies in exactly one.
  std::size_t misplaced = 0;
  for (const BlockZYX& block : shape) {
    int holders = 0;
    for (const SubstackZYX& substack : partition.substacks) {
      EXPECT_EQ(substack.size, 8 * kBlock);
      const auto inside = [&](std::int64_t voxel, std::int64_t start) {
        return voxel >= start && voxel < start + substack.size;
      };
      holders += inside(block[0] * kBlock, substack.z) && inside(block[1] * kBlock, substack.y) &&
                 inside(block[2] * kBlock, substack.x);
    }
    misplaced += holders != 1;
  }
  EXPECT_EQ(misplaced, 0u);
}

TEST_F(RoiApi, PartitionOfASmallRoiGivesDvidsCubesAndPackingFactor) {
  // Blocks (z,y,x) (0,0,0..2), (0,0,6), (1,1,1), (3,0,5) with batchsize 2: DVID lists cubes at
  // blocks x 0, 2 and 6 in layer z 0..1 (x 4..5 is empty but counted) and x 5 in layer z 2..3,
  // 6 ROI blocks of 5 * 8 (the server tests derive the JSON).
  node->post_roi("shape", {{3, 0, 5}, {0, 0, 6}, {1, 1, 1}, {0, 0, 0}, {0, 0, 1}, {0, 0, 2}});
  const RoiPartition partition = node->get_roi_partition("shape", 2);
  EXPECT_EQ(
      partition.substacks,
      (std::vector<SubstackZYX>{{64, 0, 0, 0}, {64, 0, 0, 64}, {64, 0, 0, 192}, {64, 64, 0, 160}}));
  EXPECT_DOUBLE_EQ(partition.packing_factor, 6.0 / 40.0);
}

// ptquery's answer for every point against the mask's byte at that point.
std::size_t disagreements(NodeService& node, const Grayscale3D& mask, Point3 offset,
                          const std::vector<PointZYX>& points) {
  const std::vector<bool> inside = node.roi_ptquery("shape", points);
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& p = points[i];
    wrong += inside[i] != (mask.at(p[0] - offset[0], p[1] - offset[1], p[2] - offset[2]) == 1);
  }
  return wrong;
}

// Random voxels of the box, plus the first and last voxel of every block it spans per axis.
std::vector<PointZYX> sample_points(Shape3 shape, Point3 offset, std::size_t count) {
  std::mt19937 random(11);
  std::vector<PointZYX> points;
  for (std::size_t i = 0; i < count; ++i) {
    PointZYX point;
    for (int axis = 0; axis < 3; ++axis)
      point[axis] = offset[axis] + static_cast<std::int64_t>(random() % shape[axis]);
    points.push_back(point);
  }
  std::vector<std::int64_t> edges[3];
  for (int axis = 0; axis < 3; ++axis)
    for (std::int64_t v = offset[axis]; v < offset[axis] + shape[axis]; ++v)
      if (v % kBlock == 0 || (v + 1) % kBlock == 0) edges[axis].push_back(v);
  for (auto z : edges[0])
    for (auto y : edges[1])
      for (auto x : edges[2]) points.push_back({z, y, x});
  return points;
}

// DVID's mask chooses its spans with truncating division, so a box that starts at a negative,
// block-unaligned voxel misses the ROI blocks of its first partial block (the server tests pin
// that down). Boxes here start block aligned where negative and anywhere where not.
TEST_F(RoiApi, PointQueriesAgreeWithTheMaskVoxelByVoxel) {
  post_shape(irregular_shape());
  TransferOptions small_chunks;
  small_chunks.chunk_bytes = 32 * 1024;  // many chunks, so their seams are checked too
  struct Case {
    Shape3 shape;
    Point3 offset;
  };
  // The sphere's shell crossing z = y = 0 at negative aligned offsets; its +x side unaligned;
  // the X's arms.
  for (const Case& box : {Case{{64, 96, 128}, {-64, -96, 320}}, Case{{40, 50, 90}, {5, 7, 300}},
                          Case{{33, 70, 100}, {650, 300, 250}}}) {
    const auto mask = node->get_roi3D("shape", box.shape, box.offset, false, false, small_chunks);
    const std::size_t ones = static_cast<std::size_t>(
        std::count(mask.data(), mask.data() + mask.size(), std::uint8_t{1}));
    EXPECT_GT(ones, 0u);
    EXPECT_LT(ones, mask.size());
    EXPECT_EQ(std::count_if(mask.data(), mask.data() + mask.size(), [](auto v) { return v > 1; }),
              0);
    EXPECT_EQ(disagreements(*node, mask, box.offset, sample_points(box.shape, box.offset, 20'000)),
              0u)
        << "box at (" << box.offset[0] << ", " << box.offset[1] << ", " << box.offset[2] << ")";
  }
}

// Through the client too, a box starting at negative, unaligned voxels loses exactly its first
// partial block along those axes (DVID's truncating division); the chunks' seams lose nothing.
TEST_F(RoiApi, MaskFromNegativeUnalignedStartMissesOnlyItsFirstPartialBlocks) {
  post_shape(irregular_shape());
  TransferOptions small_chunks;
  small_chunks.chunk_bytes = 32 * 1024;
  const Shape3 shape{64, 96, 128};
  const Point3 offset{-70, -90, 300};
  const Point3 first_full{-64, -64, 300};  // voxels before these lie in a missed partial block
  const auto mask = node->get_roi3D("shape", shape, offset, false, false, small_chunks);
  const auto points = sample_points(shape, offset, 20'000);
  const std::vector<bool> inside = node->roi_ptquery("shape", points);
  std::size_t missed = 0, wrong = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& p = points[i];
    const bool in_missed_block = p[0] < first_full[0] || p[1] < first_full[1];
    const bool masked = mask.at(p[0] - offset[0], p[1] - offset[1], p[2] - offset[2]) == 1;
    wrong += masked != (inside[i] && !in_missed_block);
    missed += inside[i] && in_missed_block;
  }
  EXPECT_EQ(wrong, 0u);
  EXPECT_GT(missed, 0u) << "the sample should reach ROI voxels of the missed blocks";
}

TEST_F(RoiApi, PointQueryAnswersInRequestOrder) {
  node->post_roi("shape", {{0, 0, 0}, {0, 0, 1}, {-1, 2, -1}});
  const std::vector<PointZYX> points{{0, 31, 63}, {0, 0, 64}, {-1, 64, -1},
                                     {0, 64, -1}, {0, 0, 0},  {-1, 64, -33}};
  EXPECT_EQ(node->roi_ptquery("shape", points),
            (std::vector<bool>{true, false, true, false, true, false}));
}

TEST_F(RoiApi, MissingRoisAreReportedByName) {
  try {
    node->get_roi("nowhere");
    FAIL() << "get_roi of a missing ROI returned";
  } catch (const HttpError& error) {
    EXPECT_EQ(error.status(), 400u);
    EXPECT_NE(std::string(error.what()).find("nowhere"), std::string::npos) << error.what();
  }
  try {
    node->roi_ptquery("nowhere", {{0, 0, 0}});
    FAIL() << "roi_ptquery of a missing ROI returned";
  } catch (const HttpError& error) {
    EXPECT_NE(std::string(error.what()).find("nowhere"), std::string::npos) << error.what();
  }
  try {
    node->get_roi_partition("nowhere", 4);
    FAIL() << "get_roi_partition of a missing ROI returned";
  } catch (const HttpError& error) {
    EXPECT_NE(std::string(error.what()).find("nowhere"), std::string::npos) << error.what();
  }
  try {
    node->get_roi3D("nowhere", {4, 4, 4}, {0, 0, 0});
    FAIL() << "get_roi3D of a missing ROI returned";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("nowhere"), std::string::npos) << error.what();
  }
}

TEST_F(RoiApi, OverlappingSpansFromOtherWritersComeBackAsDistinctBlocks) {
  // DVID keeps overlapping spans as they were posted; get_roi still lists each block once.
  node->custom_request("/shape/roi", "[[0,0,0,3],[0,0,1,2],[1,5,-2,-1]]", ConnectionMethod::POST);
  EXPECT_EQ(
      node->get_roi("shape"),
      (std::vector<BlockZYX>{{0, 0, 0}, {0, 0, 1}, {0, 0, 2}, {0, 0, 3}, {1, 5, -2}, {1, 5, -1}}));
}

TEST_F(RoiApi, EmptyPointListsAndNonPositivePartitionSizesAreRefusedBeforeSending) {
  const std::uint64_t before = requests_served();
  EXPECT_THROW(node->roi_ptquery("shape", {}), ArgumentError);
  EXPECT_THROW(node->get_roi_partition("shape", 0), ArgumentError);
  EXPECT_THROW(node->get_roi_partition("shape", -8), ArgumentError);
  EXPECT_EQ(requests_served(), before);
}

}  // namespace
