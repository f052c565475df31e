#include "dvidxfer/codecs/label_block.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "codecs_fixture_files.hpp"

namespace dvidxfer::codecs {
namespace {

using testing::as_labels;
using testing::gunzip;
using testing::read_fixture;

constexpr LabelBlockShape k64{64, 64, 64};
constexpr LabelBlockShape k16{16, 16, 16};

template <class T>
void put_le(std::string& out, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>(value >> (8 * i)));
}

std::vector<std::uint64_t> decode(std::string_view block, LabelBlockShape shape) {
  std::vector<std::uint64_t> voxels(std::size_t{shape.nx} * shape.ny * shape.nz, 0xDEAD);
  const auto decoded = decode_label_block(block, shape, voxels);
  EXPECT_TRUE(decoded.ok()) << decoded.error().message << " at " << decoded.error().offset;
  return voxels;
}

std::string encode(const std::vector<std::uint64_t>& voxels, LabelBlockShape shape) {
  auto encoded = encode_label_block(voxels, shape);
  EXPECT_TRUE(encoded.ok()) << encoded.error().message;
  return encoded.ok() ? std::move(encoded).value() : std::string();
}

std::size_t voxel_index(LabelBlockShape shape, std::size_t x, std::size_t y, std::size_t z) {
  return (z * shape.ny + y) * shape.nx + x;
}

// Sub-block 0 of a 16^3 block alternates labels 5 (even x) and 9 (odd x); the rest is 5.
std::vector<std::uint64_t> striped_16() {
  std::vector<std::uint64_t> voxels(16 * 16 * 16, 5);
  for (std::size_t z = 0; z < 8; ++z) {
    for (std::size_t y = 0; y < 8; ++y) {
      for (std::size_t x = 1; x < 8; x += 2) voxels[voxel_index(k16, x, y, z)] = 9;
    }
  }
  return voxels;
}

// The same block written field by field from the format description (dvid-api.md 5.3).
std::string striped_16_bytes() {
  std::string block;
  for (std::uint32_t v : {2u, 2u, 2u, 2u}) put_le(block, v);                      // gx gy gz N
  for (std::uint64_t v : {5u, 9u}) put_le(block, v);                              // labels
  for (std::uint16_t v : {2, 1, 1, 1, 1, 1, 1, 1}) put_le(block, v);              // ns
  for (std::uint32_t v : {0u, 1u, 0u, 0u, 0u, 0u, 0u, 0u, 0u}) put_le(block, v);  // idx
  block.append(64, '\x55');  // 1 bit per voxel, MSB first: 0,1,0,1,...
  return block;
}

TEST(LabelBlock, DvidFixtureDecodesToTheReferenceVolume) {
  const std::string block = gunzip(read_fixture("dvid/fib19-64x64x64-sample1-block.dat.gz"));
  const std::vector<std::uint64_t> expected =
      as_labels(gunzip(read_fixture("dvid/fib19-64x64x64-sample1.dat.gz")));
  ASSERT_EQ(block.size(), 22512u);
  ASSERT_EQ(expected.size(), 64u * 64 * 64);
  EXPECT_EQ(label_block_shape(block).value(), k64);
  const std::vector<std::uint64_t> voxels = decode(block, k64);
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < voxels.size(); ++i) mismatches += voxels[i] != expected[i];
  EXPECT_EQ(mismatches, 0u);
}

TEST(LabelBlock, SamplesRoundTripAndMatchDvidsEncodedSize) {
  for (const char* name :
       {"dvid/fib19-64x64x64-sample1.dat.gz", "dvid/cx-64x64x64-sample1.dat.gz"}) {
    const std::vector<std::uint64_t> volume = as_labels(gunzip(read_fixture(name)));
    const std::string block = encode(volume, k64);
    EXPECT_TRUE(decode(block, k64) == volume) << name;
    if (std::string_view(name).find("fib19") != std::string_view::npos) {
      // Label order differs from DVID's, but counts, index lists and bit widths do not.
      EXPECT_EQ(block.size(), 22512u);
    }
  }
}

TEST(LabelBlock, EncodesAHandBuiltBlockByteExact) {
  EXPECT_EQ(encode(striped_16(), k16), striped_16_bytes());
  EXPECT_TRUE(decode(striped_16_bytes(), k16) == striped_16());
}

TEST(LabelBlock, UniformBlocksUseTheSolidForm) {
  std::string expected;
  for (std::uint32_t v : {4u, 2u, 3u, 1u}) put_le(expected, v);
  put_le(expected, std::uint64_t{0x0123456789ABCDEF});
  const LabelBlockShape shape{32, 16, 24};
  const std::vector<std::uint64_t> voxels(32 * 16 * 24, 0x0123456789ABCDEF);
  EXPECT_EQ(encode(voxels, shape), expected);
  EXPECT_TRUE(decode(expected, shape) == voxels);
}

TEST(LabelBlock, RandomBlocksOfEveryBitWidthRoundTrip) {
  std::mt19937_64 random(5);
  for (const LabelBlockShape shape :
       {k16, LabelBlockShape{32, 16, 64}, LabelBlockShape{16, 40, 24}}) {
    std::vector<std::uint64_t> voxels(std::size_t{shape.nx} * shape.ny * shape.nz);
    for (std::size_t z = 0; z < shape.nz; ++z) {
      for (std::size_t y = 0; y < shape.ny; ++y) {
        for (std::size_t x = 0; x < shape.nx; ++x) {
          // Sub-block (sx, sy, sz) draws from a palette whose size grows with its index, from 1
          // label (0 bits) to 512 (9 bits), so every packing width is exercised.
          const std::size_t sub_block = ((z / 8) * (shape.ny / 8) + y / 8) * (shape.nx / 8) + x / 8;
          const std::uint64_t palette = 1 + (sub_block * 37) % 512;
          voxels[voxel_index(shape, x, y, z)] = 1000 + (sub_block % 3) * 100 + random() % palette;
        }
      }
    }
    EXPECT_TRUE(decode(encode(voxels, shape), shape) == voxels);
  }
  std::vector<std::uint64_t> all_distinct(16 * 16 * 16);
  for (std::size_t i = 0; i < all_distinct.size(); ++i) all_distinct[i] = random();
  EXPECT_TRUE(decode(encode(all_distinct, k16), k16) == all_distinct);
}

TEST(LabelBlock, DecoderToleratesDuplicateUnusedAndUnsetEntries) {
  std::string block;
  for (std::uint32_t v : {2u, 2u, 2u, 4u}) put_le(block, v);
  for (std::uint64_t v : {7u, 7u, 0u, 3u}) put_le(block, v);          // duplicate 7, unused 0
  for (std::uint16_t v : {0, 1, 1, 1, 1, 1, 1, 2}) put_le(block, v);  // sub-block 0 unset
  for (std::uint32_t v : {0u, 1u, 0u, 1u, 0u, 1u, 3u, 1u}) put_le(block, v);
  block.append(64, '\x0F');  // last sub-block: four 0s then four 1s per byte
  const std::vector<std::uint64_t> voxels = decode(block, k16);
  EXPECT_EQ(voxels[voxel_index(k16, 0, 0, 0)], 0u);
  EXPECT_EQ(voxels[voxel_index(k16, 8, 0, 0)], 7u);
  EXPECT_EQ(voxels[voxel_index(k16, 8, 8, 8)], 3u);  // x even half of each row in sub-block 7
  EXPECT_EQ(voxels[voxel_index(k16, 12, 8, 8)], 7u);
  EXPECT_EQ(std::count(voxels.begin(), voxels.end(), 0xDEAD), 0);
}

struct Corruption {
  const char* what;
  std::string block;
  std::size_t offset;
};

TEST(LabelBlock, CorruptBlocksGiveErrorsWithOffsets) {
  const std::string good = striped_16_bytes();
  auto with = [&](std::size_t offset, std::string_view bytes) {
    std::string block = good;
    block.replace(offset, bytes.size(), bytes);
    return block;
  };
  const std::vector<Corruption> cases = {
      {"too short for the header", good.substr(0, 15), 15},
      {"no labels", with(12, std::string(4, '\0')), 12},
      {"labels past the end", with(12, std::string("\xFF\xFF\xFF\x0F", 4)), good.size()},
      {"zero sub-blocks", with(0, std::string(4, '\0')), 0},
      {"shape differs", with(0, std::string("\x04\0\0\0", 4)), 0},
      {"index beyond the label list", with(48 + 4, std::string("\x02\0\0\0", 4)), 52},
      {"sub-block lists 513 labels", with(32, std::string("\x01\x02", 2)), 32},
      {"counts past the end", good.substr(0, 40), 40},
      {"indices past the end", good.substr(0, 70), 70},
      {"packed values past the end", good.substr(0, good.size() - 1), good.size() - 1},
  };
  for (const auto& c : cases) {
    std::vector<std::uint64_t> voxels(16 * 16 * 16);
    const auto decoded = decode_label_block(c.block, k16, voxels);
    ASSERT_FALSE(decoded.ok()) << c.what;
    EXPECT_EQ(decoded.error().offset, c.offset) << c.what << ": " << decoded.error().message;
  }

  // A packed value naming local label 2 of a 2-label sub-block cannot be expressed with 1 bit;
  // with 3 labels (2 bits) value 3 is out of range.
  std::string three = good;
  three[12] = 3;                                                   // N = 3
  three.insert(32, std::string(8, '\0'));                          // labels[2] = 0; ns now at 40
  three[40] = 3;                                                   // ns[0] = 3
  three.insert(56 + 8, std::string("\x02\0\0\0", 4));              // idx for local label 2
  three.replace(three.size() - 64, 64, std::string(128, '\xFF'));  // 2 bits each, all = 3
  std::vector<std::uint64_t> voxels(16 * 16 * 16);
  const auto decoded = decode_label_block(three, k16, voxels);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error().message.find("index 3 of 3 labels"), std::string::npos)
      << decoded.error().message;

  std::vector<std::uint64_t> wrong_size(100);
  EXPECT_FALSE(decode_label_block(good, k16, wrong_size).ok());
}

TEST(LabelBlock, TruncatedAndMutatedFixtureNeverCrashes) {
  const std::string block = gunzip(read_fixture("dvid/fib19-64x64x64-sample1-block.dat.gz"));
  std::vector<std::uint64_t> voxels(64 * 64 * 64);
  for (std::size_t cut = 0; cut < block.size(); cut += 1 + cut / 64) {
    const auto decoded = decode_label_block(std::string_view(block).substr(0, cut), k64, voxels);
    ASSERT_FALSE(decoded.ok()) << cut;
    EXPECT_LE(decoded.error().offset, cut);
  }
  std::mt19937 random(17);
  for (int round = 0; round < 300; ++round) {
    std::string corrupt = block;
    const std::size_t region = round % 2 ? corrupt.size() : 2000;  // often hit the header/lists
    for (int flips = 0; flips < 3; ++flips) corrupt[random() % region] ^= 1 << (random() % 8);
    const auto decoded = decode_label_block(corrupt, k64, voxels);
    if (!decoded.ok()) {
      EXPECT_LE(decoded.error().offset, corrupt.size());
    }
  }
}

TEST(LabelBlock, EncoderRejectsShapesDvidCannotStore) {
  const std::vector<std::uint64_t> small(8 * 8 * 8, 1);
  EXPECT_FALSE(encode_label_block(small, {8, 8, 8}).ok());
  const std::vector<std::uint64_t> odd(20 * 16 * 16, 1);
  EXPECT_FALSE(encode_label_block(odd, {20, 16, 16}).ok());
  const std::vector<std::uint64_t> short_input(100, 1);
  EXPECT_FALSE(encode_label_block(short_input, k16).ok());
}

}  // namespace
}  // namespace dvidxfer::codecs
