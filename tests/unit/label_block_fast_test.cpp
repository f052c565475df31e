// The table-driven label Block codec against a plain reading of dvid-api.md 5.3 (the reference
// below, voxel by voxel as the format describes it): DVID's fixtures, random blocks of every bit
// width, windows into larger buffers, and corrupt blocks.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "codecs_fixture_files.hpp"
#include "dvidxfer/codecs/label_block.hpp"

namespace dvidxfer::codecs {
namespace {

using testing::as_labels;
using testing::gunzip;
using testing::read_fixture;

constexpr LabelBlockShape k64{64, 64, 64};

template <class T>
T get_le(std::string_view bytes, std::size_t at) {
  T value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    value |= static_cast<T>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  }
  return value;
}

template <class T>
void put_le(std::string& out, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>(value >> (8 * i)));
}

std::size_t voxel_count(LabelBlockShape shape) {
  return std::size_t{shape.nx} * shape.ny * shape.nz;
}

unsigned bits_for(std::size_t count) {
  unsigned bits = 0;
  while (count > 1 && (std::size_t{1} << bits) < count) ++bits;
  return bits;
}

// The format read literally: nullopt wherever the block is malformed.
std::optional<std::vector<std::uint64_t>> reference_decode(std::string_view block,
                                                           LabelBlockShape shape) {
  if (block.size() < 16) return std::nullopt;
  const std::uint64_t gx = get_le<std::uint32_t>(block, 0);
  const std::uint64_t gy = get_le<std::uint32_t>(block, 4);
  const std::uint64_t gz = get_le<std::uint32_t>(block, 8);
  if (gx * 8 != shape.nx || gy * 8 != shape.ny || gz * 8 != shape.nz) return std::nullopt;
  const std::uint64_t n = get_le<std::uint32_t>(block, 12);
  if (n == 0 || block.size() < 16 + 8 * n) return std::nullopt;
  std::vector<std::uint64_t> labels(n);
  for (std::size_t i = 0; i < n; ++i) labels[i] = get_le<std::uint64_t>(block, 16 + 8 * i);
  std::vector<std::uint64_t> voxels(voxel_count(shape), labels[0]);
  if (n == 1) return voxels;
  const std::size_t sub_blocks = gx * gy * gz;
  std::size_t at = 16 + 8 * n;
  if (block.size() < at + 2 * sub_blocks) return std::nullopt;
  std::vector<std::size_t> counts(sub_blocks);
  std::size_t total = 0;
  for (auto& count : counts) {
    count = get_le<std::uint16_t>(block, at);
    at += 2;
    if (count > 512) return std::nullopt;
    total += count;
  }
  if (block.size() < at + 4 * total) return std::nullopt;
  std::size_t values = at + 4 * total;
  std::size_t i = 0;
  for (std::size_t sz = 0; sz < gz; ++sz) {
    for (std::size_t sy = 0; sy < gy; ++sy) {
      for (std::size_t sx = 0; sx < gx; ++sx, ++i) {
        std::vector<std::uint64_t> local(counts[i]);
        for (auto& label : local) {
          const std::uint32_t index = get_le<std::uint32_t>(block, at);
          at += 4;
          if (index >= n) return std::nullopt;
          label = labels[index];
        }
        const unsigned b = bits_for(counts[i]);
        if (block.size() < values + 64 * b) return std::nullopt;
        for (std::size_t k = 0; k < 512; ++k) {
          std::uint64_t label = counts[i] == 0 ? 0 : local[0];
          if (b > 0) {
            std::uint32_t v = 0;
            for (unsigned bit = 0; bit < b; ++bit) {
              const std::size_t p = k * b + bit;
              v = (v << 1) |
                  ((static_cast<unsigned char>(block[values + p / 8]) >> (7 - p % 8)) & 1);
            }
            if (v >= counts[i]) return std::nullopt;
            label = local[v];
          }
          const std::size_t x = sx * 8 + k % 8, y = sy * 8 + (k / 8) % 8, z = sz * 8 + k / 64;
          voxels[(z * shape.ny + y) * shape.nx + x] = label;
        }
        values += 64 * b;
      }
    }
  }
  return voxels;
}

// What every encoder output must satisfy: DVID's limits and exactly the length its lists imply.
void expect_valid_dvid_block(std::string_view block, LabelBlockShape shape) {
  ASSERT_GE(block.size(), 24u);
  EXPECT_EQ(get_le<std::uint32_t>(block, 0) * 8, shape.nx);
  EXPECT_EQ(get_le<std::uint32_t>(block, 4) * 8, shape.ny);
  EXPECT_EQ(get_le<std::uint32_t>(block, 8) * 8, shape.nz);
  const std::uint64_t n = get_le<std::uint32_t>(block, 12);
  ASSERT_GE(n, 1u);
  if (n == 1) {
    EXPECT_EQ(block.size(), 24u);
    return;
  }
  const std::size_t sub_blocks = voxel_count(shape) / 512;
  std::size_t at = 16 + 8 * n, total = 0, packed = 0;
  ASSERT_LE(at + 2 * sub_blocks, block.size());
  for (std::size_t i = 0; i < sub_blocks; ++i, at += 2) {
    const std::size_t count = get_le<std::uint16_t>(block, at);
    EXPECT_GE(count, 1u);
    EXPECT_LE(count, 512u);
    total += count;
    packed += 64 * bits_for(count);
  }
  ASSERT_EQ(block.size(), at + 4 * total + packed);
  for (std::size_t j = 0; j < total; ++j) EXPECT_LT(get_le<std::uint32_t>(block, at + 4 * j), n);
}

std::vector<std::uint64_t> decode(std::string_view block, LabelBlockShape shape) {
  std::vector<std::uint64_t> voxels(voxel_count(shape), 0xDEAD);
  const LabelBlockWindow all{voxels.data(),
                             shape.nx,
                             std::size_t{shape.nx} * shape.ny,
                             {0, 0, 0},
                             {shape.nz, shape.ny, shape.nx}};
  const auto decoded = decode_label_block_into(block, shape, all);
  EXPECT_TRUE(decoded.ok()) << decoded.error().message << " at " << decoded.error().offset;
  return voxels;
}

std::string encode(const std::vector<std::uint64_t>& voxels, LabelBlockShape shape) {
  auto encoded = encode_label_block(voxels, shape);
  EXPECT_TRUE(encoded.ok()) << encoded.error().message;
  return encoded.ok() ? std::move(encoded).value() : std::string();
}

// A raw block as DVID may write it: a label list with duplicates, 0 and unused entries, then per
// sub-block a count (0 = unset) with random indices and random packed values below the count.
// `counts` chooses each sub-block's count from the sub-block number.
template <class Counts>
std::string random_raw_block(LabelBlockShape shape, std::mt19937_64& random, Counts counts) {
  const std::size_t sub_blocks = voxel_count(shape) / 512;
  std::vector<std::uint64_t> labels(600);
  for (auto& label : labels) label = random() % 4 == 0 ? random() % 8 : random();
  labels[1] = labels[0];  // a duplicate, as a merge leaves behind
  labels[2] = 0;
  std::string block;
  for (const std::uint32_t g : {shape.nx / 8, shape.ny / 8, shape.nz / 8}) put_le(block, g);
  put_le(block, static_cast<std::uint32_t>(labels.size()));
  for (const std::uint64_t label : labels) put_le(block, label);
  std::vector<std::uint16_t> ns(sub_blocks);
  for (std::size_t i = 0; i < sub_blocks; ++i) ns[i] = static_cast<std::uint16_t>(counts(i));
  for (const std::uint16_t count : ns) put_le(block, count);
  for (const std::uint16_t count : ns) {
    for (std::uint16_t j = 0; j < count; ++j) {
      put_le(block, static_cast<std::uint32_t>(random() % labels.size()));
    }
  }
  for (const std::uint16_t count : ns) {
    const unsigned b = bits_for(count);
    std::string packed(64 * b, '\0');
    for (std::size_t k = 0; k < 512 && b > 0; ++k) {
      const std::uint32_t v = static_cast<std::uint32_t>(random() % count);
      for (unsigned bit = 0; bit < b; ++bit) {
        if ((v >> (b - 1 - bit)) & 1) {
          const std::size_t p = k * b + bit;
          packed[p / 8] = static_cast<char>(packed[p / 8] | (0x80 >> (p % 8)));
        }
      }
    }
    block += packed;
  }
  return block;
}

// Counts 0..512 over the sub-blocks so that each width 0..9 appears, with its edges (2^k, 2^k+1).
std::size_t every_width(std::size_t i) {
  static const std::size_t kCounts[] = {0,  1,  2,  3,   4,   5,   8,   9,   16,  17,  31,  32,
                                        33, 64, 65, 127, 128, 129, 255, 256, 257, 300, 511, 512};
  return kCounts[i % std::size(kCounts)];
}

std::vector<std::uint64_t> fixture_volume(const char* name) {
  return as_labels(gunzip(read_fixture(name)));
}

// The four real volumes: DVID's two samples, and those its block and its stream record hold.
std::vector<std::pair<std::string, std::vector<std::uint64_t>>> fixture_volumes() {
  std::vector<std::pair<std::string, std::vector<std::uint64_t>>> volumes;
  volumes.emplace_back("fib19", fixture_volume("dvid/fib19-64x64x64-sample1.dat.gz"));
  volumes.emplace_back("cx", fixture_volume("dvid/cx-64x64x64-sample1.dat.gz"));
  volumes.emplace_back(
      "fib19 block", decode(gunzip(read_fixture("dvid/fib19-64x64x64-sample1-block.dat.gz")), k64));
  const std::string stream = read_fixture("dvid/stream_1block.dat");
  volumes.emplace_back("stream_1block",
                       decode(gunzip(stream.substr(16, get_le<std::uint32_t>(stream, 12))), k64));
  return volumes;
}

TEST(LabelBlockFast, DvidFixtureBlockDecodesToTheReferenceVolume) {
  const std::string block = gunzip(read_fixture("dvid/fib19-64x64x64-sample1-block.dat.gz"));
  const std::vector<std::uint64_t> expected = fixture_volume("dvid/fib19-64x64x64-sample1.dat.gz");
  EXPECT_TRUE(decode(block, k64) == expected);
  EXPECT_TRUE(reference_decode(block, k64) == expected);
}

TEST(LabelBlockFast, FixtureVolumesRoundTripAsValidDvidBlocks) {
  for (const auto& [name, volume] : fixture_volumes()) {
    SCOPED_TRACE(name);
    const std::string block = encode(volume, k64);
    expect_valid_dvid_block(block, k64);
    EXPECT_TRUE(decode(block, k64) == volume);
    EXPECT_TRUE(reference_decode(block, k64) == volume);
  }
}

TEST(LabelBlockFast, StreamFixtureHoldsTenLabels) {
  const std::string stream = read_fixture("dvid/stream_1block.dat");
  const std::string block = gunzip(stream.substr(16, get_le<std::uint32_t>(stream, 12)));
  const auto labels = label_block_labels(block);
  ASSERT_TRUE(labels.ok());
  EXPECT_EQ(labels->size(), 10u);
  std::vector<std::uint64_t> voxels = decode(block, k64);
  std::sort(voxels.begin(), voxels.end());
  EXPECT_EQ(std::unique(voxels.begin(), voxels.end()) - voxels.begin(), 10);
}

TEST(LabelBlockFast, EncodingFromAStridedBufferMatchesTheDenseEncoding) {
  const std::vector<std::uint64_t> volume = fixture_volume("dvid/cx-64x64x64-sample1.dat.gz");
  // The block sits at (3, 5, 7) in a 70 x 71 x 72 buffer (z, y, x).
  const std::size_t ny = 71, nx = 72;
  std::vector<std::uint64_t> buffer(70 * ny * nx, 99);
  for (std::size_t z = 0; z < 64; ++z) {
    for (std::size_t y = 0; y < 64; ++y) {
      std::copy_n(&volume[(z * 64 + y) * 64], 64, &buffer[((z + 3) * ny + y + 5) * nx + 7]);
    }
  }
  const LabelBlockWindowConst source{
      &buffer[(3 * ny + 5) * nx + 7], nx, ny * nx, {0, 0, 0}, {64, 64, 64}};
  const auto strided = encode_label_block_from(source, k64);
  ASSERT_TRUE(strided.ok()) << strided.error().message;
  EXPECT_EQ(*strided, encode(volume, k64));

  const LabelBlockWindowConst partial{source.origin, nx, ny * nx, {0, 0, 0}, {64, 64, 32}};
  EXPECT_FALSE(encode_label_block_from(partial, k64).ok());
}

TEST(LabelBlockFast, RandomRawBlocksOfEveryWidthMatchTheReference) {
  std::mt19937_64 random(11);
  for (const LabelBlockShape shape : {LabelBlockShape{16, 32, 64}, LabelBlockShape{64, 16, 16},
                                      LabelBlockShape{8, 8, 8}, LabelBlockShape{24, 40, 16}}) {
    SCOPED_TRACE(std::to_string(shape.nx) + "x" + std::to_string(shape.ny) + "x" +
                 std::to_string(shape.nz));
    for (int round = 0; round < 3; ++round) {
      const std::string block = random_raw_block(shape, random, [&](std::size_t i) {
        return round == 2 ? random() % 513 : every_width(i + round * 7);
      });
      const auto expected = reference_decode(block, shape);
      ASSERT_TRUE(expected.has_value());
      EXPECT_TRUE(decode(block, shape) == *expected);
      std::vector<std::uint64_t> dense(voxel_count(shape));
      ASSERT_TRUE(decode_label_block(block, shape, dense).ok());
      EXPECT_TRUE(dense == *expected);
    }
  }
}

TEST(LabelBlockFast, RandomWindowsReceiveExactlyTheirVoxels) {
  std::mt19937_64 random(12);
  const LabelBlockShape shape{32, 16, 64};
  const std::string block = random_raw_block(shape, random, every_width);
  const std::vector<std::uint64_t> expected = reference_decode(block, shape).value();
  const std::string solid = encode(std::vector<std::uint64_t>(voxel_count(shape), 42), shape);
  for (int round = 0; round < 200; ++round) {
    const std::uint32_t sides[3] = {shape.nz, shape.ny, shape.nx};
    std::array<std::uint32_t, 3> begin{}, end{};
    for (int d = 0; d < 3; ++d) {
      begin[d] = static_cast<std::uint32_t>(random() % sides[d]);
      end[d] = begin[d] + 1 + static_cast<std::uint32_t>(random() % (sides[d] - begin[d]));
    }
    // The window sits inside a buffer with a margin on every side, which must stay untouched.
    const std::size_t margin = 3;
    const std::size_t bx = end[2] - begin[2] + 2 * margin + random() % 5;
    const std::size_t by = end[1] - begin[1] + 2 * margin;
    const std::size_t bz = end[0] - begin[0] + 2 * margin;
    std::vector<std::uint64_t> buffer(bz * by * bx, 0xAAAA);
    const LabelBlockWindow window{&buffer[(margin * by + margin) * bx + margin], bx, by * bx, begin,
                                  end};
    const bool use_solid = round % 10 == 9;
    ASSERT_TRUE(decode_label_block_into(use_solid ? solid : block, shape, window).ok());
    std::size_t wrong = 0;
    for (std::size_t z = 0; z < bz; ++z) {
      for (std::size_t y = 0; y < by; ++y) {
        for (std::size_t x = 0; x < bx; ++x) {
          const std::uint64_t got = buffer[(z * by + y) * bx + x];
          const bool inside = z >= margin && z < margin + end[0] - begin[0] && y >= margin &&
                              y < margin + end[1] - begin[1] && x >= margin &&
                              x < margin + end[2] - begin[2];
          std::uint64_t want = 0xAAAA;
          if (inside) {
            const std::size_t vz = z - margin + begin[0], vy = y - margin + begin[1],
                              vx = x - margin + begin[2];
            want = use_solid ? 42 : expected[(vz * shape.ny + vy) * shape.nx + vx];
          }
          wrong += got != want;
        }
      }
    }
    EXPECT_EQ(wrong, 0u) << "round " << round;
  }
}

TEST(LabelBlockFast, WindowsOutsideTheBlockAreRefused) {
  std::vector<std::uint64_t> buffer(16 * 16 * 16);
  const std::string block = encode(std::vector<std::uint64_t>(16 * 16 * 16, 1), {16, 16, 16});
  for (const auto& [begin, end] :
       std::vector<std::pair<std::array<std::uint32_t, 3>, std::array<std::uint32_t, 3>>>{
           {{0, 0, 0}, {0, 16, 16}}, {{0, 0, 0}, {16, 16, 17}}, {{5, 0, 0}, {4, 16, 16}}}) {
    const LabelBlockWindow window{buffer.data(), 16, 256, begin, end};
    EXPECT_FALSE(decode_label_block_into(block, {16, 16, 16}, window).ok());
  }
}

TEST(LabelBlockFast, RandomVolumesEncodeToValidBlocksOfEveryWidth) {
  std::mt19937_64 random(13);
  for (const LabelBlockShape shape :
       {LabelBlockShape{16, 32, 64}, LabelBlockShape{16, 16, 16}, LabelBlockShape{64, 64, 64}}) {
    std::vector<std::uint64_t> voxels(voxel_count(shape));
    const std::size_t gx = shape.nx / 8, gy = shape.ny / 8;
    for (std::size_t z = 0; z < shape.nz; ++z) {
      for (std::size_t y = 0; y < shape.ny; ++y) {
        for (std::size_t x = 0; x < shape.nx; ++x) {
          // Each sub-block draws from its own palette of every_width(i) labels (at least 1),
          // shared in part with its neighbours, and label 0 is common.
          const std::size_t i = ((z / 8) * gy + y / 8) * gx + x / 8;
          const std::size_t palette = std::max<std::size_t>(1, every_width(i));
          const std::uint64_t pick = random() % palette;
          voxels[(z * shape.ny + y) * shape.nx + x] = pick == 0 ? 0 : i * 1000 + pick;
        }
      }
    }
    const std::string block = encode(voxels, shape);
    expect_valid_dvid_block(block, shape);
    EXPECT_TRUE(reference_decode(block, shape) == voxels);
    EXPECT_TRUE(decode(block, shape) == voxels);
  }
  // All voxels distinct: every sub-block at 512 labels (9 bits), one list entry per voxel.
  std::vector<std::uint64_t> distinct(64 * 64 * 64);
  for (auto& label : distinct) label = random();
  const std::string block = encode(distinct, k64);
  expect_valid_dvid_block(block, k64);
  EXPECT_TRUE(decode(block, k64) == distinct);
}

TEST(LabelBlockFast, UniformBlocksAndUniformSubBlocks) {
  const std::vector<std::uint64_t> zeros(16 * 32 * 64, 0);
  const std::string solid = encode(zeros, {16, 32, 64});
  EXPECT_EQ(solid.size(), 24u);
  EXPECT_TRUE(decode(solid, {16, 32, 64}) == zeros);
  // One voxel differs: one sub-block of 2 labels, the others solid.
  std::vector<std::uint64_t> almost = zeros;
  almost[5000] = 7;
  const std::string block = encode(almost, {16, 32, 64});
  expect_valid_dvid_block(block, {16, 32, 64});
  EXPECT_EQ(label_block_labels(block).value(), (std::vector<std::uint64_t>{0, 7}));
  EXPECT_TRUE(decode(block, {16, 32, 64}) == almost);
}

TEST(LabelBlockFast, EncoderStateDoesNotLeakBetweenBlocks) {
  // The thread's reused tables must not carry labels or indices from one block to the next.
  std::mt19937_64 random(14);
  for (int round = 0; round < 20; ++round) {
    std::vector<std::uint64_t> voxels(16 * 16 * 16);
    for (auto& v : voxels) v = random() % (1 + round * 50);
    const std::string block = encode(voxels, {16, 16, 16});
    expect_valid_dvid_block(block, {16, 16, 16});
    EXPECT_TRUE(decode(block, {16, 16, 16}) == voxels);
  }
}

TEST(LabelBlockFast, LabelListIsReadWithoutDecoding) {
  const std::string block = gunzip(read_fixture("dvid/fib19-64x64x64-sample1-block.dat.gz"));
  const auto labels = label_block_labels(block);
  ASSERT_TRUE(labels.ok());
  ASSERT_EQ(labels->size(), 18u);
  for (std::size_t i = 0; i < labels->size(); ++i) {
    EXPECT_EQ((*labels)[i], get_le<std::uint64_t>(block, 16 + 8 * i));
  }
  EXPECT_FALSE(label_block_labels(block.substr(0, 16 + 8 * 17)).ok());
  EXPECT_FALSE(label_block_labels(block.substr(0, 10)).ok());
}

// A small block with every kind of sub-block, cut at every length and corrupted at every byte:
// the fast decoder fails exactly when the reference does, with an offset inside the input, and
// otherwise agrees with it.
TEST(LabelBlockFast, CorruptBlocksFailExactlyWhenTheReferenceDoes) {
  std::mt19937_64 random(15);
  const LabelBlockShape shape{16, 16, 16};
  const std::string good = random_raw_block(shape, random, [](std::size_t i) {
    static const std::size_t kCounts[] = {0, 1, 2, 3, 5, 9, 100, 300};
    return kCounts[i];
  });
  std::vector<std::uint64_t> voxels(voxel_count(shape));
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    const std::string_view truncated = std::string_view(good).substr(0, cut);
    const auto decoded = decode_label_block(truncated, shape, voxels);
    ASSERT_FALSE(decoded.ok()) << cut;
    EXPECT_LE(decoded.error().offset, cut);
  }
  const std::size_t lists_end = 16 + 8 * 600 + 2 * 8 + 4 * (2 + 3 + 5 + 9 + 100 + 300 + 1);
  for (std::size_t at = 0; at < good.size(); at += at < lists_end ? 1 : 7) {
    for (const unsigned char value : {0x00, 0xFF, 0x7F, 0x02}) {
      std::string corrupt = good;
      corrupt[at] = static_cast<char>(value);
      const auto expected = reference_decode(corrupt, shape);
      const auto decoded = decode_label_block(corrupt, shape, voxels);
      ASSERT_EQ(decoded.ok(), expected.has_value()) << "byte " << at << " = " << int{value};
      if (decoded.ok()) {
        EXPECT_TRUE(voxels == *expected) << "byte " << at;
      } else {
        EXPECT_LE(decoded.error().offset, corrupt.size());
        EXPECT_FALSE(decoded.error().message.empty());
      }
    }
  }
}

TEST(LabelBlockFast, HugeCountsAndIndicesAreRefused) {
  std::string block;
  for (std::uint32_t v : {2u, 2u, 2u, 2u}) put_le(block, v);
  put_le(block, std::uint64_t{5});
  put_le(block, std::uint64_t{9});
  for (int i = 0; i < 8; ++i) put_le(block, std::uint16_t{1});
  for (int i = 0; i < 8; ++i) put_le(block, std::uint32_t{1});
  std::vector<std::uint64_t> voxels(16 * 16 * 16);
  ASSERT_TRUE(decode_label_block(block, {16, 16, 16}, voxels).ok());

  std::string huge_n = block;
  huge_n.replace(12, 4, "\xFF\xFF\xFF\xFF");
  EXPECT_FALSE(decode_label_block(huge_n, {16, 16, 16}, voxels).ok());
  std::string huge_ns = block;
  huge_ns.replace(32, 2, "\xFF\xFF");
  const auto too_many = decode_label_block(huge_ns, {16, 16, 16}, voxels);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().offset, 32u);
  std::string bad_index = block;
  bad_index.replace(48 + 12, 4, std::string("\x02\0\0\0", 4));
  const auto out_of_range = decode_label_block(bad_index, {16, 16, 16}, voxels);
  ASSERT_FALSE(out_of_range.ok());
  EXPECT_EQ(out_of_range.error().offset, 60u);
  std::string huge_shape = block;
  huge_shape.replace(0, 12, std::string(12, '\xFF'));
  EXPECT_FALSE(decode_label_block(huge_shape, {16, 16, 16}, voxels).ok());

  // A header stating 2^29 sub-blocks per side, expected as such, into a one-voxel window: the
  // sub-block count (2^87) must not wrap into a small one.
  huge_shape.replace(0, 12, std::string("\xFF\xFF\xFF\x1F\xFF\xFF\xFF\x1F\xFF\xFF\xFF\x1F", 12));
  const LabelBlockShape huge = label_block_shape(huge_shape).value();
  std::uint64_t one = 0;
  const LabelBlockWindow single{&one, 1, 1, {0, 0, 0}, {1, 1, 1}};
  const auto refused = decode_label_block_into(huge_shape, huge, single);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().offset, huge_shape.size());
}

}  // namespace
}  // namespace dvidxfer::codecs
