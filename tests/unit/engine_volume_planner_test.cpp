#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "dvidxfer/engine/chunk_copy.hpp"
#include "dvidxfer/engine/volume_planner.hpp"

using namespace dvidxfer::engine;

namespace {

VolumeGeometry geometry(std::array<std::int64_t, 3> offset, std::array<std::int64_t, 3> shape,
                        std::size_t voxel_bytes, std::int64_t block = 32) {
  VolumeGeometry g;
  g.box.offset = offset;
  g.box.shape = shape;
  g.block = {block, block, block};
  g.voxel_bytes = voxel_bytes;
  return g;
}

// Every voxel of the box is covered exactly once, each chunk inside the box.
void expect_exact_cover(const VolumeGeometry& g, const std::vector<Chunk>& chunks) {
  std::vector<int> covered(g.box.voxels(), 0);
  for (const auto& c : chunks) {
    for (int a = 0; a < 3; ++a) {
      ASSERT_GE(c.box.offset[a], g.box.offset[a]);
      ASSERT_LE(c.box.offset[a] + c.box.shape[a], g.box.offset[a] + g.box.shape[a]);
      ASSERT_GT(c.box.shape[a], 0);
    }
    for (std::int64_t z = 0; z < c.box.shape[0]; ++z)
      for (std::int64_t y = 0; y < c.box.shape[1]; ++y)
        for (std::int64_t x = 0; x < c.box.shape[2]; ++x) {
          const auto gz = c.box.offset[0] + z - g.box.offset[0];
          const auto gy = c.box.offset[1] + y - g.box.offset[1];
          const auto gx = c.box.offset[2] + x - g.box.offset[2];
          ++covered[(gz * g.box.shape[1] + gy) * g.box.shape[2] + gx];
        }
  }
  EXPECT_TRUE(std::all_of(covered.begin(), covered.end(), [](int n) { return n == 1; }));
}

}  // namespace

TEST(VolumePlanner, SlabsFollowBlockBoundariesAndAreContiguous) {
  const auto g = geometry({0, 0, 0}, {256, 128, 128}, 8);
  ChunkLimits limits;
  limits.target_bytes = 8ull << 20;  // two 32-deep slabs of 128x128x8 bytes = 8 MiB
  const auto chunks = plan_chunks(g, limits);
  ASSERT_EQ(chunks.size(), 4u);
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    EXPECT_TRUE(chunks[i].contiguous);
    EXPECT_EQ(chunks[i].box.shape, (std::array<std::int64_t, 3>{64, 128, 128}));
    EXPECT_EQ(chunks[i].box.offset[0], static_cast<std::int64_t>(64 * i));
    EXPECT_EQ(chunks[i].buffer_offset, 64ull * 128 * 128 * 8 * i);
  }
  expect_exact_cover(g, chunks);
}

TEST(VolumePlanner, UnalignedAndNegativeBoxesCutAtBlockBoundaries) {
  const auto g = geometry({-40, 5, -3}, {100, 37, 70}, 1);
  ChunkLimits limits;
  limits.target_bytes = 32 * 37 * 70;  // one block layer per chunk
  const auto chunks = plan_chunks(g, limits);
  // z from -40: pieces [-40,-32) [-32,0) [0,32) [32,60)
  ASSERT_EQ(chunks.size(), 4u);
  EXPECT_EQ(chunks[0].box.shape[0], 8);
  EXPECT_EQ(chunks[1].box.offset[0], -32);
  EXPECT_EQ(chunks[3].box.shape[0], 28);
  expect_exact_cover(g, chunks);
}

TEST(VolumePlanner, AGridCoarserThanTheBlockPlacesEveryInnerBoundaryOnIt) {
  // A labelmap downres write: 32^3 blocks, two lower scales, so boundaries on multiples of 128.
  const auto g = geometry({-96, 0, 32}, {320, 256, 256}, 8);
  ChunkLimits limits;
  limits.target_bytes = 32 * 256 * 256 * 8;  // one block layer: far less than one grid layer
  limits.grid = {128, 128, 128};
  const auto chunks = plan_chunks(g, limits);
  for (const auto& c : chunks)
    for (int a = 0; a < 3; ++a) {
      const auto begin = c.box.offset[a], end = begin + c.box.shape[a];
      EXPECT_TRUE(begin == g.box.offset[a] || begin % 128 == 0) << "axis " << a;
      EXPECT_TRUE(end == g.box.offset[a] + g.box.shape[a] || end % 128 == 0) << "axis " << a;
    }
  // z is cut at 0 and 128: [-96, 0), [0, 128), [128, 224).
  EXPECT_EQ(chunks.front().box.offset[0], -96);
  EXPECT_EQ(chunks.front().box.shape[0], 96);
  expect_exact_cover(g, chunks);
}

TEST(VolumePlanner, OversizedSlabsAreCutIntoBandsThenColumns) {
  const auto g = geometry({0, 0, 0}, {64, 512, 512}, 8);
  ChunkLimits limits;
  limits.target_bytes = 1ull << 20;
  limits.max_bytes = 1ull << 20;
  const auto bands = plan_chunks(g, limits);
  expect_exact_cover(g, bands);
  for (const auto& c : bands) EXPECT_LE(c.bytes, 1ull << 20);
  EXPECT_FALSE(bands.front().contiguous);

  limits.target_bytes = limits.max_bytes = 32 * 32 * 64 * 8;  // two blocks per chunk
  const auto columns = plan_chunks(g, limits);
  expect_exact_cover(g, columns);
  for (const auto& c : columns) EXPECT_EQ(c.box.shape, (std::array<std::int64_t, 3>{32, 32, 64}));
}

TEST(VolumePlanner, MinChunksSplitsSmallVolumesToFillThePool) {
  const auto g = geometry({0, 0, 0}, {256, 64, 64}, 8);
  ChunkLimits limits;
  limits.min_chunks = 8;
  const auto chunks = plan_chunks(g, limits);
  EXPECT_EQ(chunks.size(), 8u);
  expect_exact_cover(g, chunks);
}

TEST(VolumePlanner, SplittingToFillThePoolStopsAtTheMinimumSplitSize) {
  const auto g = geometry({0, 0, 0}, {256, 256, 256}, 1);  // 16 MiB of uint8
  ChunkLimits limits;
  limits.min_chunks = 64;  // alone: 64 chunks of 256 KiB
  limits.min_split_bytes = 1 << 20;
  const auto chunks = plan_chunks(g, limits);
  EXPECT_EQ(chunks.size(), 16u);
  for (const auto& chunk : chunks) EXPECT_EQ(chunk.bytes, 1u << 20);
  expect_exact_cover(g, chunks);

  limits.target_bytes = limits.max_bytes = 512 << 10;  // an explicit chunk size still wins
  EXPECT_EQ(plan_chunks(g, limits).size(), 32u);
}

TEST(VolumePlanner, SizesAbove4GiBStay64Bit) {
  const auto g = geometry({0, 0, 0}, {2048, 2048, 2048}, 8);  // 64 GiB
  const auto chunks = plan_chunks(g, {});
  std::uint64_t total = 0;
  for (const auto& c : chunks) total += c.bytes;
  EXPECT_EQ(total, 2048ull * 2048 * 2048 * 8);
  // The last chunk's last voxel is the volume's last voxel (offsets past 2^32 computed right).
  const auto& last = chunks.back();
  const std::uint64_t row = 2048ull * 8, plane = row * 2048;
  const std::uint64_t last_voxel = last.buffer_offset + (last.box.shape[0] - 1) * plane +
                                   (last.box.shape[1] - 1) * row + (last.box.shape[2] - 1) * 8;
  EXPECT_EQ(last_voxel, total - 8);
}

TEST(VolumePlanner, BlockAlignment) {
  Box aligned{{0, 32, -64}, {64, 32, 32}};
  EXPECT_TRUE(block_aligned(aligned, {32, 32, 32}));
  Box unaligned{{0, 32, -64}, {64, 33, 32}};
  EXPECT_FALSE(block_aligned(unaligned, {32, 32, 32}));
}

TEST(ChunkCopy, ScatterAndGatherRoundTripEveryChunk) {
  const auto g = geometry({3, -7, 11}, {70, 45, 66}, 8, 16);
  ChunkLimits limits;
  limits.target_bytes = limits.max_bytes = 16 * 16 * 16 * 8 * 3;
  const auto chunks = plan_chunks(g, limits);
  std::vector<char> original(g.box.voxels() * 8);
  std::iota(original.begin(), original.end(), 0);
  std::vector<char> rebuilt(original.size(), 0);
  for (const auto& c : chunks) {
    std::vector<char> piece(c.bytes);
    gather_chunk(g, c, original, piece);
    scatter_chunk(g, c, piece, rebuilt);
  }
  EXPECT_EQ(rebuilt, original);
}
