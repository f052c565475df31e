#include "types/labelmap/label_downres.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "codecs_fixture_files.hpp"
#include "label_downres_reference.hpp"

namespace dvidxfer::server {
namespace {

using Cell = std::array<std::uint64_t, 8>;
using Labels = std::vector<std::uint64_t>;
using dvidxfer::testing::reference_downres_volume;

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

// ---- helpers: the same data seen as one volume or as 2x2x2 child blocks ----

// The (2z, 2y, 2x) volume whose octants are `children` (absent ones zero).
Labels assemble(const ChildBlocks& children, const BlockShapeZYX& s) {
  const std::size_t nz = 2 * s.z, ny = 2 * s.y, nx = 2 * s.x;
  Labels volume(nz * ny * nx, 0);
  for (int o = 0; o < 8; ++o) {
    if (children[o] == nullptr) continue;
    const std::size_t oz = (o >> 2) & 1, oy = (o >> 1) & 1, ox = o & 1;
    for (std::size_t z = 0; z < s.z; ++z)
      for (std::size_t y = 0; y < s.y; ++y)
        for (std::size_t x = 0; x < s.x; ++x)
          volume[((oz * s.z + z) * ny + oy * s.y + y) * nx + ox * s.x + x] =
              children[o][(z * s.y + y) * s.x + x];
  }
  return volume;
}

// Block (bz, by, bx) of shape `s` cut from a z-y-x volume of shape (vz, vy, vx).
Labels cut(const Labels& volume, std::size_t vy, std::size_t vx, const BlockShapeZYX& s,
           std::size_t bz, std::size_t by, std::size_t bx) {
  Labels block;
  block.reserve(s.voxels());
  for (std::size_t z = 0; z < s.z; ++z)
    for (std::size_t y = 0; y < s.y; ++y)
      for (std::size_t x = 0; x < s.x; ++x)
        block.push_back(volume[((bz * s.z + z) * vy + by * s.y + y) * vx + bx * s.x + x]);
  return block;
}

// One octant's half-block region of a parent block.
Labels octant_region(const Labels& parent, const BlockShapeZYX& s, int o) {
  const BlockShapeZYX half{s.z / 2, s.y / 2, s.x / 2};
  return cut(parent, s.y, s.x, half, (o >> 2) & 1, (o >> 1) & 1, o & 1);
}

Labels random_block(const BlockShapeZYX& s, std::mt19937_64& rng, std::uint64_t alphabet) {
  Labels block(s.voxels());
  for (auto& v : block) v = rng() % alphabet;
  return block;
}

Labels solid(const BlockShapeZYX& s, std::uint64_t label) {
  return Labels(s.voxels(), label);
}

ChildBlocks pointers(const std::array<Labels, 8>& blocks) {
  ChildBlocks children{};
  for (int o = 0; o < 8; ++o) children[o] = blocks[o].data();
  return children;
}

// ---- the cell vote ----

TEST(LabelDownresCell, ClearMajorityWinsEvenWhenLarger) {
  EXPECT_EQ(downres_cell({7, 7, 7, 7, 7, 3, 3, 3}), 7u);
  EXPECT_EQ(downres_cell({3, 3, 3, 9, 9, 9, 9, 9}), 9u);  // not "smallest label wins"
  EXPECT_EQ(downres_cell({1, 2, 2, 2, 3, 3, 4, 5}), 2u);
  EXPECT_EQ(downres_cell({6, 6, 6, 8, 8, 8, 8, 1}), 8u);
}

TEST(LabelDownresCell, ZeroNeverVotes) {
  EXPECT_EQ(downres_cell({0, 0, 0, 0, 0, 0, 0, 5}), 5u);  // one voxel beats seven zeros
  EXPECT_EQ(downres_cell({5, 0, 0, 0, 0, 0, 0, 0}), 5u);
  EXPECT_EQ(downres_cell({0, 0, 0, 0, 0, 8, 8, 2}), 8u);
  EXPECT_EQ(downres_cell({0, 0, 0, 0, 0, 0, 9, 4}), 4u);  // 1-1 tie among non-zero
  EXPECT_EQ(downres_cell({0, 0, 0, 0, 3, 3, 3, 3}), 3u);  // 4 zeros do not tie with 4 threes
}

TEST(LabelDownresCell, AllZeroIsZero) {
  EXPECT_EQ(downres_cell({}), 0u);
}

TEST(LabelDownresCell, AllEqual) {
  EXPECT_EQ(downres_cell({4, 4, 4, 4, 4, 4, 4, 4}), 4u);
  EXPECT_EQ(downres_cell({kMax, kMax, kMax, kMax, kMax, kMax, kMax, kMax}), kMax);
}

TEST(LabelDownresCell, TiesGoToTheSmallestLabel) {
  EXPECT_EQ(downres_cell({9, 9, 9, 9, 2, 2, 2, 2}), 2u);  // 4-4, smaller one last
  EXPECT_EQ(downres_cell({2, 2, 2, 2, 9, 9, 9, 9}), 2u);  // 4-4, smaller one first
  EXPECT_EQ(downres_cell({9, 2, 9, 2, 9, 2, 9, 2}), 2u);  // interleaved
  EXPECT_EQ(downres_cell({7, 7, 5, 5, 3, 3, 6, 6}), 3u);  // 2-2-2-2
  EXPECT_EQ(downres_cell({8, 7, 6, 5, 4, 3, 2, 1}), 1u);  // all distinct
  EXPECT_EQ(downres_cell({6, 6, 6, 8, 8, 8, 1, 0}), 6u);  // the tie is among the top count only
  EXPECT_EQ(downres_cell({0, 0, 0, 0, 5, 5, 3, 3}), 3u);  // 2-2 beside zeros
  EXPECT_EQ(downres_cell({0, 0, 5, 5, 5, 3, 3, 3}), 3u);  // 3-3 beside zeros
  // Unsigned order, so the top bit does not make a label "negative".
  const std::uint64_t top = std::uint64_t{1} << 63;
  EXPECT_EQ(downres_cell({kMax, kMax, kMax, kMax, top, top, top, top}), top);
  EXPECT_EQ(downres_cell({kMax, 1, kMax, 1, kMax, 1, kMax, 1}), 1u);
}

// Scan order must not matter: every arrangement of a cell gives one answer.
TEST(LabelDownresCell, EveryPermutationAgrees) {
  const std::vector<std::pair<Cell, std::uint64_t>> cases = {
      {{0, 0, 0, 0, 2, 2, 9, 9}, 2}, {{1, 3, 3, 3, 5, 5, 5, 0}, 3}, {{0, 0, 0, 4, 4, 4, 7, 7}, 4},
      {{1, 2, 3, 4, 5, 6, 7, 8}, 1}, {{0, 0, 0, 0, 0, 0, 0, 6}, 6}, {{6, 6, 6, 6, 5, 5, 5, 0}, 6}};
  for (auto [cell, expected] : cases) {
    std::sort(cell.begin(), cell.end());
    int arrangements = 0;
    do {
      ASSERT_EQ(downres_cell(cell), expected) << "cell arrangement " << arrangements;
      ++arrangements;
    } while (std::next_permutation(cell.begin(), cell.end()));
  }
}

// ---- whole blocks ----

// Sides that differ per axis catch a swapped axis or stride.
constexpr BlockShapeZYX kOdd{8, 16, 32};

TEST(LabelDownresBlock, AgreesWithTheReferenceOnRandomBlocks) {
  std::mt19937_64 rng(20261204);
  for (const BlockShapeZYX shape : {kOdd, BlockShapeZYX{16, 8, 8}, BlockShapeZYX{2, 2, 2}}) {
    for (const std::uint64_t alphabet : {2u, 3u, 5u, 1000u}) {  // small alphabets: many ties
      std::array<Labels, 8> blocks;
      for (auto& b : blocks) b = random_block(shape, rng, alphabet);
      const ChildBlocks children = pointers(blocks);
      const Labels expected = reference_downres_volume(
          assemble(children, shape),
          {2 * std::int64_t{shape.z}, 2 * std::int64_t{shape.y}, 2 * std::int64_t{shape.x}});
      EXPECT_EQ(downres_label_block(children, shape), expected)
          << shape.z << "x" << shape.y << "x" << shape.x << " alphabet " << alphabet;
    }
  }
}

TEST(LabelDownresBlock, OctantsLandInTheirHalfBlock) {
  std::array<Labels, 8> blocks;
  for (int o = 0; o < 8; ++o) blocks[o] = solid(kOdd, 100 + o);
  const Labels parent = downres_label_block(pointers(blocks), kOdd);
  for (int o = 0; o < 8; ++o) {
    EXPECT_EQ(octant_region(parent, kOdd, o), Labels(kOdd.voxels() / 8, 100 + o)) << o;
  }
  // The first voxels of a row come from octant 0, its second half from octant 1 (x).
  EXPECT_EQ(parent[0], 100u);
  EXPECT_EQ(parent[kOdd.x / 2], 101u);
  EXPECT_EQ(parent[(kOdd.y / 2) * kOdd.x], 102u);
  EXPECT_EQ(parent[(kOdd.z / 2) * kOdd.y * kOdd.x], 104u);
}

TEST(LabelDownresBlock, AllEqualChildrenGiveASolidParent) {
  for (const std::uint64_t label : {std::uint64_t{0}, std::uint64_t{42}, kMax}) {
    std::array<Labels, 8> blocks;
    for (auto& b : blocks) b = solid(kOdd, label);
    EXPECT_EQ(downres_label_block(pointers(blocks), kOdd), solid(kOdd, label));
  }
}

TEST(LabelDownresBlock, AbsentChildrenAreZerosWithoutAStoredParent) {
  std::mt19937_64 rng(7);
  std::array<Labels, 8> blocks;
  for (auto& b : blocks) b = random_block(kOdd, rng, 4);
  const Labels full = downres_label_block(pointers(blocks), kOdd);
  const Labels zero_octant(kOdd.voxels() / 8, 0);
  for (unsigned present_mask = 0; present_mask < 256; ++present_mask) {
    ChildBlocks children{};
    for (int o = 0; o < 8; ++o) children[o] = (present_mask >> o) & 1 ? blocks[o].data() : nullptr;
    const Labels parent = downres_label_block(children, kOdd);
    for (int o = 0; o < 8; ++o) {
      EXPECT_EQ(octant_region(parent, kOdd, o),
                (present_mask >> o) & 1 ? octant_region(full, kOdd, o) : zero_octant)
          << "mask " << present_mask << " octant " << o;
    }
    // An absent child downsamples like a child full of zeros.
    std::array<Labels, 8> zero_filled = blocks;
    for (int o = 0; o < 8; ++o)
      if (!((present_mask >> o) & 1)) zero_filled[o] = solid(kOdd, 0);
    ASSERT_EQ(parent, downres_label_block(pointers(zero_filled), kOdd)) << "mask " << present_mask;
  }
}

TEST(LabelDownresBlock, AbsentChildrenKeepTheStoredParent) {
  std::mt19937_64 rng(11);
  std::array<Labels, 8> blocks;
  for (auto& b : blocks) b = random_block(kOdd, rng, 4);
  const Labels stored = random_block(kOdd, rng, 1u << 20);  // what scale s+1 held before
  const Labels full = downres_label_block(pointers(blocks), kOdd);
  for (const unsigned present_mask : {0x01u, 0x7Fu, 0xFEu, 0x5Au, 0x81u}) {
    ChildBlocks children{};
    for (int o = 0; o < 8; ++o) children[o] = (present_mask >> o) & 1 ? blocks[o].data() : nullptr;
    const Labels parent = downres_label_block(children, kOdd, stored.data());
    for (int o = 0; o < 8; ++o) {
      EXPECT_EQ(octant_region(parent, kOdd, o),
                octant_region((present_mask >> o) & 1 ? full : stored, kOdd, o))
          << "mask " << present_mask << " octant " << o;
    }
  }
  // With all eight present the stored parent plays no part.
  EXPECT_EQ(downres_label_block(pointers(blocks), kOdd, stored.data()), full);
}

// DVID's setBlank, checked before anything else.
TEST(LabelDownresBlock, SolidShortcutWithAbsentChildren) {
  std::mt19937_64 rng(13);
  const Labels stored = random_block(kOdd, rng, 50);
  const Labels zeros = solid(kOdd, 0), sevens = solid(kOdd, 7);

  // Changed children all empty: the whole parent becomes 0, the absent octants included.
  ChildBlocks children{};
  children[3] = zeros.data();
  children[6] = zeros.data();
  EXPECT_EQ(downres_label_block(children, kOdd, stored.data()), zeros);
  children = {};  // child 0 absent, the rest empty
  for (int o = 1; o < 8; ++o) children[o] = zeros.data();
  EXPECT_EQ(downres_label_block(children, kOdd, stored.data()), zeros);

  // No children at all: also 0.
  EXPECT_EQ(downres_label_block(ChildBlocks{}, kOdd, stored.data()), zeros);

  // A non-zero solid label does not take the shortcut when a child is absent: absent octants keep
  // the stored labels.
  children = {};
  for (int o = 0; o < 7; ++o) children[o] = sevens.data();
  Labels parent = downres_label_block(children, kOdd, stored.data());
  for (int o = 0; o < 7; ++o)
    EXPECT_EQ(octant_region(parent, kOdd, o), Labels(sevens.size() / 8, 7));
  EXPECT_EQ(octant_region(parent, kOdd, 7), octant_region(stored, kOdd, 7));

  // Solid children of different labels: no shortcut either.
  children = {};
  children[0] = zeros.data();
  children[1] = sevens.data();
  parent = downres_label_block(children, kOdd, stored.data());
  EXPECT_EQ(octant_region(parent, kOdd, 0), Labels(zeros.size() / 8, 0));
  EXPECT_EQ(octant_region(parent, kOdd, 1), Labels(zeros.size() / 8, 7));
  EXPECT_EQ(octant_region(parent, kOdd, 2), octant_region(stored, kOdd, 2));

  // Empty but not uniform (one voxel set): no shortcut.
  Labels almost = zeros;
  almost[5] = 9;
  children = {};
  children[0] = almost.data();
  parent = downres_label_block(children, kOdd, stored.data());
  EXPECT_EQ(parent[2], 9u);
  EXPECT_EQ(octant_region(parent, kOdd, 4), octant_region(stored, kOdd, 4));
}

TEST(LabelDownresBlock, UpdatesAStoredParentInPlace) {
  std::mt19937_64 rng(17);
  std::array<Labels, 8> blocks;
  for (auto& b : blocks) b = random_block(kOdd, rng, 6);
  const Labels stored = random_block(kOdd, rng, 1000);
  ChildBlocks children = pointers(blocks);
  children[2] = children[5] = nullptr;
  const Labels expected = downres_label_block(children, kOdd, stored.data());
  Labels in_place = stored;
  downres_label_block_into(children, kOdd, in_place.data(), in_place);
  EXPECT_EQ(in_place, expected);
}

TEST(LabelDownresBlock, RejectsBadShapesAndBuffers) {
  const Labels block(16 * 16 * 16, 1);
  ChildBlocks children{};
  children[0] = block.data();
  EXPECT_THROW(downres_label_block(children, {16, 16, 15}), std::invalid_argument);
  EXPECT_THROW(downres_label_block(children, {0, 16, 16}), std::invalid_argument);
  Labels small(10);
  EXPECT_THROW(downres_label_block_into(children, {16, 16, 16}, nullptr, small),
               std::invalid_argument);
}

TEST(LabelDownresCoord, ParentAndOctantUseFloor) {
  EXPECT_EQ(parent_block_coord({5, 4, 3}), (Point3{2, 2, 1}));
  EXPECT_EQ(octant_of({5, 4, 3}), 4 + 0 + 1);
  EXPECT_EQ(parent_block_coord({-1, -2, -3}), (Point3{-1, -1, -2}));
  EXPECT_EQ(octant_of({-1, -2, -3}), 4 + 0 + 1);
  for (std::int32_t z = -4; z < 4; ++z)
    for (std::int32_t y = -4; y < 4; ++y)
      for (std::int32_t x = -4; x < 4; ++x) {
        const Point3 p = parent_block_coord({x, y, z});
        const int o = octant_of({x, y, z});
        ASSERT_EQ((Point3{2 * p.x + (o & 1), 2 * p.y + ((o >> 1) & 1), 2 * p.z + ((o >> 2) & 1)}),
                  (Point3{x, y, z}));
      }
}

// ---- DVID's real segmentation, tiled into child blocks ----

Labels fixture_volume(const std::string& name) {
  namespace fx = dvidxfer::codecs::testing;
  return fx::as_labels(fx::gunzip(fx::read_fixture("dvid/" + name)));
}

// Scale s -> s+1 of a cubic volume (side n) stored as blocks of side b, via the block function;
// returns the half-size volume.
Labels downres_by_blocks(const Labels& volume, std::size_t n, std::uint32_t b) {
  const BlockShapeZYX shape{b, b, b};
  const std::size_t parents = n / (2 * b);  // parent blocks per axis
  const std::size_t half = n / 2;
  Labels out(half * half * half, 0xDEADBEEF);
  for (std::size_t pz = 0; pz < parents; ++pz)
    for (std::size_t py = 0; py < parents; ++py)
      for (std::size_t px = 0; px < parents; ++px) {
        std::array<Labels, 8> blocks;
        for (int o = 0; o < 8; ++o)
          blocks[o] = cut(volume, n, n, shape, 2 * pz + ((o >> 2) & 1), 2 * py + ((o >> 1) & 1),
                          2 * px + (o & 1));
        const Labels parent = downres_label_block(pointers(blocks), shape);
        for (std::size_t z = 0; z < b; ++z)
          for (std::size_t y = 0; y < b; ++y)
            for (std::size_t x = 0; x < b; ++x)
              out[((pz * b + z) * half + py * b + y) * half + px * b + x] =
                  parent[(z * b + y) * b + x];
      }
  return out;
}

class LabelDownresFixture : public ::testing::TestWithParam<const char*> {};

TEST_P(LabelDownresFixture, BlocksAgreeWithTheReferenceAtScales1And2) {
  const Labels scale0 = fixture_volume(GetParam());
  ASSERT_EQ(scale0.size(), 64u * 64 * 64);
  const Labels ref1 = reference_downres_volume(scale0, {64, 64, 64});
  const Labels ref2 = reference_downres_volume(ref1, {32, 32, 32});

  // The fixture must exercise the vote, not just the all-equal path.
  std::size_t mixed_cells = 0, tied_cells = 0;
  for (std::size_t z = 0; z < 64; z += 2)
    for (std::size_t y = 0; y < 64; y += 2)
      for (std::size_t x = 0; x < 64; x += 2) {
        Cell cell;
        for (int i = 0; i < 8; ++i)
          cell[i] = scale0[((z + (i >> 2)) * 64 + y + ((i >> 1) & 1)) * 64 + x + (i & 1)];
        std::sort(cell.begin(), cell.end());
        if (cell.front() == cell.back()) continue;
        ++mixed_cells;
        // A 4-4 split of two non-zero labels is the common tie.
        if (cell[0] != 0 && cell[3] != cell[4] && cell[0] == cell[3] && cell[4] == cell[7])
          ++tied_cells;
      }
  EXPECT_GT(mixed_cells, 0u);
  RecordProperty("mixed_cells", static_cast<int>(mixed_cells));
  RecordProperty("four_four_ties", static_cast<int>(tied_cells));

  // One 32^3 parent from eight 32^3 children.
  EXPECT_EQ(downres_by_blocks(scale0, 64, 32), ref1);
  // Eight 16^3 parents from 64 children, then one more level from those parents.
  const Labels scale1 = downres_by_blocks(scale0, 64, 16);
  EXPECT_EQ(scale1, ref1);
  EXPECT_EQ(downres_by_blocks(scale1, 32, 16), ref2);
  EXPECT_EQ(downres_by_blocks(scale1, 32, 8), ref2);
}

INSTANTIATE_TEST_SUITE_P(LabelDownres, LabelDownresFixture,
                         ::testing::Values("fib19-64x64x64-sample1.dat.gz",
                                           "cx-64x64x64-sample1.dat.gz"));

}  // namespace
}  // namespace dvidxfer::server
