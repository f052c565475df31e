// Helpers for the volume datatype tests: a dense reference volume to compare server reads
// against, deterministic voxel patterns, and little-endian label access. Coordinates are DVID's
// x,y,z; arrays are ZYX with X fastest.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <zlib.h>

#include "dvid_test_server.hpp"
#include "dvidxfer/codecs/block_records.hpp"

namespace dvidxfer::testing {

struct VolumeBox {
  std::array<std::int32_t, 3> offset;
  std::array<std::int32_t, 3> size;
  std::int64_t voxels() const { return std::int64_t{size[0]} * size[1] * size[2]; }
  // "nx_ny_nz/x_y_z" as raw URLs take it.
  std::string url() const {
    return fmt::format("{}_{}_{}/{}_{}_{}", size[0], size[1], size[2], offset[0], offset[1],
                       offset[2]);
  }
};

// Voxels of a box that the test wrote, zero elsewhere: what the server must return.
class ReferenceVolume {
 public:
  ReferenceVolume(VolumeBox bounds, std::size_t bytes_per_voxel)
      : bounds_(bounds),
        bytes_(bytes_per_voxel),
        data_(static_cast<std::size_t>(bounds.voxels()) * bytes_per_voxel, '\0') {}

  void paste(const VolumeBox& box, std::string_view voxels) { copy(box, voxels.data(), true); }
  // The part `part` of voxels laid out over `box`.
  static std::string slice_of(const std::string& voxels, const VolumeBox& box,
                              const VolumeBox& part) {
    const std::size_t bytes = voxels.size() / static_cast<std::size_t>(box.voxels());
    ReferenceVolume whole(box, bytes);
    whole.paste(box, voxels);
    return whole.extract(part);
  }

  std::string extract(const VolumeBox& box) const {
    std::string out(static_cast<std::size_t>(box.voxels()) * bytes_, '\0');
    const_cast<ReferenceVolume*>(this)->copy(box, out.data(), false);
    return out;
  }

 private:
  void copy(const VolumeBox& box, const char* from_or_to, bool into_reference) {
    char* buffer = const_cast<char*>(from_or_to);
    for (std::int32_t z = 0; z < box.size[2]; ++z)
      for (std::int32_t y = 0; y < box.size[1]; ++y)
        for (std::int32_t x = 0; x < box.size[0]; ++x) {
          const std::int64_t rx = box.offset[0] + x - bounds_.offset[0];
          const std::int64_t ry = box.offset[1] + y - bounds_.offset[1];
          const std::int64_t rz = box.offset[2] + z - bounds_.offset[2];
          if (rx < 0 || ry < 0 || rz < 0 || rx >= bounds_.size[0] || ry >= bounds_.size[1] ||
              rz >= bounds_.size[2])
            continue;
          char* reference =
              data_.data() + ((rz * bounds_.size[1] + ry) * bounds_.size[0] + rx) * bytes_;
          char* other = buffer + ((std::int64_t{z} * box.size[1] + y) * box.size[0] + x) * bytes_;
          if (into_reference) {
            std::memcpy(reference, other, bytes_);
          } else {
            std::memcpy(other, reference, bytes_);
          }
        }
  }

  VolumeBox bounds_;
  std::size_t bytes_;
  std::string data_;
};

// Random uint8 voxels.
inline std::string random_gray(std::int64_t voxels, std::uint32_t seed) {
  std::mt19937 random(seed);
  std::string out(static_cast<std::size_t>(voxels), '\0');
  for (char& c : out) c = static_cast<char>(random() & 0xff);
  return out;
}

// Labels in small slabs, so labels span blocks and runs are longer than one voxel:
// label = 1 + (x / 5) + 7 * (y / 9) + 53 * (z / 4) + salt, 0 where (x + y + z) % 11 == 0.
inline std::string label_pattern(const VolumeBox& box, std::uint64_t salt) {
  std::string out(static_cast<std::size_t>(box.voxels()) * 8, '\0');
  char* to = out.data();
  auto floor_div = [](std::int64_t a, std::int64_t b) {
    return a >= 0 ? a / b : -((-a + b - 1) / b);
  };
  for (std::int32_t z = 0; z < box.size[2]; ++z)
    for (std::int32_t y = 0; y < box.size[1]; ++y)
      for (std::int32_t x = 0; x < box.size[0]; ++x, to += 8) {
        const std::int64_t vx = box.offset[0] + x, vy = box.offset[1] + y, vz = box.offset[2] + z;
        std::uint64_t label = 0;
        if (((vx + vy + vz) % 11 + 11) % 11 != 0)
          label = static_cast<std::uint64_t>(1000 + floor_div(vx, 5) + 7 * floor_div(vy, 9) +
                                             53 * floor_div(vz, 4)) +
                  salt;
        std::memcpy(to, &label, 8);
      }
  return out;
}

inline std::uint64_t label_at(std::string_view labels, std::size_t index) {
  std::uint64_t label = 0;
  std::memcpy(&label, labels.data() + index * 8, 8);
  return label;
}

inline std::int32_t int32_at(std::string_view bytes, std::size_t offset) {
  std::int32_t value = 0;
  std::memcpy(&value, bytes.data() + offset, 4);
  return value;
}

// gzip with zlib directly, independent of the server's codec.
inline std::string test_gzip(std::string_view data) {
  z_stream stream{};
  deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

inline std::string test_gunzip(std::string_view data, std::size_t expected_size) {
  z_stream stream{};
  inflateInit2(&stream, 15 + 16);
  std::string out(expected_size + 1, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  return out;
}

// A repo with one instance of a volume type, over loopback.
class DvidVolumeTest : public DvidServerTest {
 protected:
  explicit DvidVolumeTest(server::ServerConfig config = {}) : DvidServerTest(std::move(config)) {
    uuid_ = new_repo();
  }

  std::string node(std::string_view rest) const {
    return "/api/node/" + uuid_ + "/" + std::string(rest);
  }

  std::string uuid_;
};

// One record of a /blocks, /subvolblocks or /specificblocks answer, its payload copied.
struct BlockRecordCopy {
  codecs::BlockCoord coord;
  std::string payload;
};

// The records of a whole answer (the test fails if the stream is not whole records).
inline std::vector<BlockRecordCopy> parse_block_records(const std::string& body) {
  std::vector<BlockRecordCopy> records;
  codecs::BlockRecordParser parser(1 << 24);
  auto fed = parser.feed(body, [&](const codecs::BlockRecord& record) -> codecs::CodecResult<Unit> {
    records.push_back({record.coord, std::string(record.payload)});
    return Unit{};
  });
  EXPECT_TRUE(fed.ok());
  EXPECT_TRUE(parser.finish().ok());
  return records;
}

}  // namespace dvidxfer::testing
