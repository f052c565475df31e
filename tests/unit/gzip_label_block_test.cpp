// gzip'd label Blocks (POST /blocks payloads, GET /blocks?compression=blocks) and the gzip codec
// under them: real gzip members as Go's reader wants them, concatenated members, size limits and
// corrupt streams.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "codecs_fixture_files.hpp"
#include "dvidxfer/codecs/gzip.hpp"
#include "dvidxfer/codecs/gzip_label_block.hpp"
#include "dvidxfer/codecs/label_block.hpp"

namespace dvidxfer::codecs {
namespace {

using testing::as_labels;
using testing::gunzip;
using testing::read_fixture;

constexpr LabelBlockShape k64{64, 64, 64};

std::uint32_t get_u32(std::string_view bytes, std::size_t at) {
  std::uint32_t value;
  std::memcpy(&value, bytes.data() + at, 4);
  return value;
}

LabelBlockWindow whole(std::vector<std::uint64_t>& voxels) {
  return {voxels.data(), 64, 64 * 64, {0, 0, 0}, {64, 64, 64}};
}

LabelBlockWindowConst whole(const std::vector<std::uint64_t>& voxels) {
  return {voxels.data(), 64, 64 * 64, {0, 0, 0}, {64, 64, 64}};
}

std::vector<std::uint64_t> fib19() {
  return as_labels(gunzip(read_fixture("dvid/fib19-64x64x64-sample1.dat.gz")));
}

// The gzip'd Block of stream_1block.dat's one record (x, y, z, length, payload).
std::string stream_payload() {
  const std::string stream = read_fixture("dvid/stream_1block.dat");
  return stream.substr(16, get_u32(stream, 12));
}

TEST(GzipLabelBlock, DvidFixtureDecodesToTheReferenceVolume) {
  std::vector<std::uint64_t> voxels(64 * 64 * 64, 0xDEAD);
  const auto decoded = decode_gzip_label_block_into(
      read_fixture("dvid/fib19-64x64x64-sample1-block.dat.gz"), k64, whole(voxels));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_TRUE(voxels == fib19());
}

TEST(GzipLabelBlock, StreamRecordPayloadRoundTrips) {
  std::vector<std::uint64_t> voxels(64 * 64 * 64);
  ASSERT_TRUE(decode_gzip_label_block_into(stream_payload(), k64, whole(voxels)).ok());
  const auto member = encode_gzip_label_block(whole(std::as_const(voxels)), k64);
  ASSERT_TRUE(member.ok()) << member.error().message;
  std::vector<std::uint64_t> again(64 * 64 * 64);
  ASSERT_TRUE(decode_gzip_label_block_into(*member, k64, whole(again)).ok());
  EXPECT_TRUE(again == voxels);
}

TEST(GzipLabelBlock, EncodesOneRealGzipMember) {
  const std::vector<std::uint64_t> volume = fib19();
  const auto member = encode_gzip_label_block(whole(volume), k64);
  ASSERT_TRUE(member.ok());
  const std::string block = encode_label_block(volume, k64).value();
  // RFC 1952: magic, deflate, and a trailer of CRC32 and ISIZE over the Block.
  ASSERT_GE(member->size(), 18u);
  EXPECT_EQ(static_cast<unsigned char>((*member)[0]), 0x1F);
  EXPECT_EQ(static_cast<unsigned char>((*member)[1]), 0x8B);
  EXPECT_EQ((*member)[2], 8);
  const auto crc =
      crc32(0, reinterpret_cast<const Bytef*>(block.data()), static_cast<uInt>(block.size()));
  EXPECT_EQ(get_u32(*member, member->size() - 8), crc);
  EXPECT_EQ(get_u32(*member, member->size() - 4), block.size());
  EXPECT_EQ(gunzip(*member), block);  // zlib reads it whole, as Go's gzip.NewReader would
}

TEST(GzipLabelBlock, DecodesIntoAWindowOfALargerVolume) {
  const std::vector<std::uint64_t> volume = fib19();
  const std::string member = gzip_compress(encode_label_block(volume, k64).value()).value();
  // Voxels z 10..63, y 0..19, x 33..63 of the block land at the corner of a 54 x 20 x 40 buffer.
  std::vector<std::uint64_t> buffer(54 * 20 * 40, 7);
  const LabelBlockWindow window{buffer.data(), 40, 20 * 40, {10, 0, 33}, {64, 20, 64}};
  ASSERT_TRUE(decode_gzip_label_block_into(member, k64, window).ok());
  std::size_t wrong = 0;
  for (std::size_t z = 0; z < 54; ++z) {
    for (std::size_t y = 0; y < 20; ++y) {
      for (std::size_t x = 0; x < 40; ++x) {
        const std::uint64_t want = x < 31 ? volume[((z + 10) * 64 + y) * 64 + x + 33] : 7;
        wrong += buffer[(z * 20 + y) * 40 + x] != want;
      }
    }
  }
  EXPECT_EQ(wrong, 0u);
}

TEST(GzipLabelBlock, ConcatenatedMembersAreJoined) {
  const std::string block = encode_label_block(fib19(), k64).value();
  const std::size_t half = block.size() / 2;
  const std::string two =
      gzip_compress(block.substr(0, half)).value() + gzip_compress(block.substr(half)).value();
  EXPECT_EQ(gzip_decompress(two, 1 << 20).value(), block);
  std::vector<std::uint64_t> voxels(64 * 64 * 64);
  ASSERT_TRUE(decode_gzip_label_block_into(two, k64, whole(voxels)).ok());
  EXPECT_TRUE(voxels == fib19());
}

TEST(GzipLabelBlock, CorruptStreamsGiveErrors) {
  const std::string member = read_fixture("dvid/fib19-64x64x64-sample1-block.dat.gz");
  std::vector<std::uint64_t> voxels(64 * 64 * 64);
  for (std::size_t cut = 0; cut < member.size(); ++cut) {
    const auto decoded =
        decode_gzip_label_block_into(std::string_view(member).substr(0, cut), k64, whole(voxels));
    ASSERT_FALSE(decoded.ok()) << cut;
    EXPECT_FALSE(decoded.error().message.empty());
  }
  std::mt19937 random(3);
  for (int round = 0; round < 300; ++round) {
    std::string corrupt = member;
    corrupt[random() % corrupt.size()] ^= static_cast<char>(1 << (random() % 8));
    // A flipped bit fails the CRC or the inflate, or (in the header's flags/time) is harmless.
    const auto decoded = decode_gzip_label_block_into(corrupt, k64, whole(voxels));
    if (decoded.ok()) {
      EXPECT_TRUE(voxels == fib19());
    }
  }
  EXPECT_FALSE(decode_gzip_label_block_into(member + "junk", k64, whole(voxels)).ok());
  EXPECT_FALSE(decode_gzip_label_block_into(member, {32, 64, 64}, whole(voxels)).ok());
  // A valid gzip member holding something other than a Block fails in the Block decoder.
  const auto not_a_block =
      decode_gzip_label_block_into(gzip_compress("not a block").value(), k64, whole(voxels));
  ASSERT_FALSE(not_a_block.ok());
  EXPECT_EQ(not_a_block.error().offset, 11u);
}

TEST(GzipLabelBlock, InflatingPastTheLargestBlockIsRefused) {
  // 64^3 zero bytes (a bomb for a 16^3 block: more than any 16^3 Block can take).
  const std::string bomb = gzip_compress(std::string(64 * 64 * 64, '\0')).value();
  std::vector<std::uint64_t> voxels(16 * 16 * 16);
  const LabelBlockWindow window{voxels.data(), 16, 256, {0, 0, 0}, {16, 16, 16}};
  const auto decoded = decode_gzip_label_block_into(bomb, {16, 16, 16}, window);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error().message.find("expands past"), std::string::npos)
      << decoded.error().message;
}

TEST(GzipLabelBlock, ThreadsDecodeConcurrently) {
  const std::string member = read_fixture("dvid/fib19-64x64x64-sample1-block.dat.gz");
  const std::vector<std::uint64_t> expected = fib19();
  std::vector<int> good(2, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      std::vector<std::uint64_t> voxels(64 * 64 * 64);
      for (int i = 0; i < 20; ++i) {
        const auto encoded = encode_gzip_label_block(whole(expected), k64);
        good[t] += encoded.ok() && decode_gzip_label_block_into(member, k64, whole(voxels)).ok() &&
                   voxels == expected;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(good, (std::vector<int>{20, 20}));
}

TEST(Gzip, SizeLimitsAndOutputBuffers) {
  const std::string data(100000, 'x');
  const std::string member = gzip_compress(data).value();
  EXPECT_EQ(gzip_decompress(member, data.size()).value(), data);
  const auto over = gzip_decompress(member, data.size() - 1);
  ASSERT_FALSE(over.ok());
  EXPECT_NE(over.error().message.find("expands past"), std::string::npos);

  std::vector<char> out(data.size());
  EXPECT_EQ(gzip_decompress_into(member, out).value(), data.size());
  EXPECT_EQ(std::string(out.begin(), out.end()), data);
  EXPECT_FALSE(gzip_decompress_into(member, std::span<char>(out).first(10)).ok());

  EXPECT_EQ(gzip_decompress(gzip_compress("").value(), 10).value(), "");
  EXPECT_FALSE(gzip_decompress("", 10).ok());
  EXPECT_FALSE(gzip_decompress("\x1f\x8b garbage", 100).ok());
}

TEST(Gzip, ALyingTrailerDoesNotBreakDecoding) {
  // ISIZE is only a hint: a wrong one sends decoding down the growing path, which still works
  // and still refuses the stream (libdeflate checks ISIZE) rather than returning wrong data.
  std::string member = gzip_compress(std::string(5000, 'y')).value();
  member.replace(member.size() - 4, 4, std::string("\x10\x00\x00\x00", 4));
  EXPECT_FALSE(gzip_decompress(member, 1 << 20).ok());
}

TEST(Gzip, ZlibReadsOurMembersAndWeReadZlibs) {
  std::mt19937 random(4);
  std::string data(300000, '\0');
  for (auto& c : data) c = static_cast<char>(random() % 16);
  EXPECT_EQ(gunzip(gzip_compress(data).value()), data);
  // zlib's own gzip writer (compress2 makes zlib format, so go through deflateInit2).
  z_stream stream{};
  ASSERT_EQ(deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(data.data());
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  ASSERT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  EXPECT_EQ(gzip_decompress(out, data.size()).value(), data);
}

}  // namespace
}  // namespace dvidxfer::codecs
