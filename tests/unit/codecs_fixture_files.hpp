// Reading DVID's fixture payloads (DVIDXFER_FIXTURES_DIR) in codec tests, gunzipping with zlib.
#pragma once

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace dvidxfer::codecs::testing {

inline std::string read_fixture(const std::string& relative_path) {
  const std::string path = std::string(DVIDXFER_FIXTURES_DIR) + "/" + relative_path;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open fixture " << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// One gzip member, fully decompressed; fails the test on corrupt input.
inline std::string gunzip(const std::string& compressed) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 16 + MAX_WBITS), Z_OK);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  int status = Z_OK;
  while (status == Z_OK) {
    char chunk[1 << 16];
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof chunk;
    status = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - stream.avail_out);
  }
  EXPECT_EQ(status, Z_STREAM_END) << "corrupt gzip data";
  inflateEnd(&stream);
  return out;
}

// A little-endian uint64 voxel file as labels.
inline std::vector<std::uint64_t> as_labels(const std::string& bytes) {
  std::vector<std::uint64_t> labels(bytes.size() / 8);
  std::memcpy(labels.data(), bytes.data(), labels.size() * 8);  // the test hosts are little-endian
  return labels;
}

}  // namespace dvidxfer::codecs::testing
