// Helpers for the labelmap and labelarray tests: DVID's fixture payloads, block records, Blocks
// made with the project's codec, and a fixture with one label instance in a fresh repo.
#pragma once

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dvid_volume_test_support.hpp"
#include "dvidxfer/codecs/dvid_lz4.hpp"
#include "dvidxfer/codecs/label_block.hpp"

namespace dvidxfer::testing {

inline std::string read_fixture(const std::string& relative_path) {
  const std::string path = std::string(DVIDXFER_FIXTURES_DIR) + "/dvid/" + relative_path;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open fixture " << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The fib19 64^3 sample: the dense volume and the gzip'd DVID Block that decodes to it.
inline const std::string& fib19_volume() {
  static const std::string volume =
      test_gunzip(read_fixture("fib19-64x64x64-sample1.dat.gz"), 64 * 64 * 64 * 8);
  return volume;
}
inline const std::string& fib19_gzip_block() {
  static const std::string block = read_fixture("fib19-64x64x64-sample1-block.dat.gz");
  return block;
}

// One block record: int32 LE x, y, z, uint32 LE length, payload.
inline std::string block_record(std::array<std::int32_t, 3> coord, std::string_view payload) {
  std::string out(16, '\0');
  const std::array<std::uint32_t, 4> header{
      static_cast<std::uint32_t>(coord[0]), static_cast<std::uint32_t>(coord[1]),
      static_cast<std::uint32_t>(coord[2]), static_cast<std::uint32_t>(payload.size())};
  std::memcpy(out.data(), header.data(), 16);
  return out.append(payload);
}

struct ParsedRecord {
  std::array<std::int32_t, 3> coord;
  std::string payload;
};

// The records of a block stream; fails the test on bad framing.
inline std::vector<ParsedRecord> parse_records(std::string_view body) {
  std::vector<ParsedRecord> records;
  while (!body.empty()) {
    if (body.size() < 16) {
      ADD_FAILURE() << "truncated record header";
      break;
    }
    const auto size = static_cast<std::uint32_t>(int32_at(body, 12));
    if (body.size() < 16 + size) {
      ADD_FAILURE() << "truncated record payload";
      break;
    }
    records.push_back({{int32_at(body, 0), int32_at(body, 4), int32_at(body, 8)},
                       std::string(body.substr(16, size))});
    body.remove_prefix(16 + size);
  }
  return records;
}

// The gzip'd Block of `labels` (a cube of `side`, ZYX) made with the project's codec.
inline std::string codec_gzip_block(std::string_view labels, std::uint32_t side) {
  std::vector<std::uint64_t> voxels(labels.size() / 8);
  std::memcpy(voxels.data(), labels.data(), labels.size());
  auto encoded = codecs::encode_label_block(voxels, {side, side, side});
  EXPECT_TRUE(encoded.ok());
  return encoded ? test_gzip(*encoded) : std::string();
}

// The voxels of an (un-gzipped) Block, through the project's codec.
inline std::string codec_decoded(std::string_view block, std::uint32_t side) {
  std::vector<std::uint64_t> voxels(std::size_t{side} * side * side);
  EXPECT_TRUE(codecs::decode_label_block(block, {side, side, side}, voxels).ok());
  return std::string(reinterpret_cast<const char*>(voxels.data()), voxels.size() * 8);
}

inline std::string lz4_decompressed(std::string_view block, std::size_t size) {
  std::string out(size, '\0');
  EXPECT_TRUE(codecs::decompress_lz4_block(block, out).ok());
  return out;
}

inline std::string labels_of(std::span<const std::uint64_t> labels) {
  return std::string(reinterpret_cast<const char*>(labels.data()), labels.size() * 8);
}

// A repo with a labelmap "labels" (64^3 blocks unless the creation settings say otherwise).
class LabelmapTest : public DvidVolumeTest {
 protected:
  void create(std::string_view extra = "", std::string_view type = "labelmap",
              std::string_view name = "labels") {
    new_instance(uuid_, name, type, extra);
  }
  std::string data(std::string_view rest, std::string_view name = "labels") const {
    return node(std::string(name) + "/" + std::string(rest));
  }
  RawHttpResponse post_blocks(std::string_view body, std::string_view query = "") {
    return post(data("blocks" + std::string(query)), body);
  }
  RawHttpResponse get_raw(const VolumeBox& box, std::string_view query = "") {
    return get(data("raw/0_1_2/" + box.url() + std::string(query)));
  }
  RawHttpResponse post_raw(const VolumeBox& box, std::string_view labels,
                           std::string_view query = "") {
    return post(data("raw/0_1_2/" + box.url() + std::string(query)), labels);
  }
};

}  // namespace dvidxfer::testing
