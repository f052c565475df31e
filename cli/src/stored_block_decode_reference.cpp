#include "stored_block_decode_reference.hpp"

#include <fmt/format.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string_view>
#include <vector>

#include "dvid_axis_order.hpp"
#include "dvidxfer/codecs/block_records.hpp"
#include "dvidxfer/codecs/dvid_lz4.hpp"
#include "dvidxfer/codecs/gzip_label_block.hpp"
#include "dvidxfer/codecs/image_decode.hpp"
#include "dvidxfer/errors.hpp"

namespace dvidxfer::cli {

namespace {

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
  return value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor);
}

// The box in block coordinates: first block and block count per axis (z, y, x).
struct BlockGrid {
  Shape3 block{};
  Point3 first{};
  Shape3 count{};

  std::size_t index(std::int64_t bz, std::int64_t by, std::int64_t bx) const {
    return static_cast<std::size_t>(((bz - first[0]) * count[1] + (by - first[1])) * count[2] +
                                    (bx - first[2]));
  }
  bool contains(std::int64_t bz, std::int64_t by, std::int64_t bx) const {
    return bz >= first[0] && bz < first[0] + count[0] && by >= first[1] &&
           by < first[1] + count[1] && bx >= first[2] && bx < first[2] + count[2];
  }
};

// Where the part of block (bz, by, bx) inside the box goes: block-local [begin, end) (z, y, x)
// and the box's voxel index of its first voxel, with the box's row and plane strides in voxels.
struct Placement {
  std::array<std::uint32_t, 3> begin{};
  std::array<std::uint32_t, 3> end{};
  std::size_t first = 0;
  std::size_t row_stride = 0;
  std::size_t plane_stride = 0;

  // The box's voxel index of block-local row (z, y) at x = begin[2].
  std::size_t row(std::uint32_t z, std::uint32_t y) const {
    return first + (z - begin[0]) * plane_stride + (y - begin[1]) * row_stride;
  }
  std::size_t row_voxels() const { return end[2] - begin[2]; }
};

Placement place_of(const BlockGrid& grid, Shape3 shape, Point3 offset, std::int64_t bz,
                   std::int64_t by, std::int64_t bx) {
  const Point3 block_origin{bz * grid.block[0], by * grid.block[1], bx * grid.block[2]};
  Placement place;
  Point3 box_first{};
  for (int axis = 0; axis < 3; ++axis) {
    const auto begin = std::max(offset[axis], block_origin[axis]);
    const auto end = std::min(offset[axis] + shape[axis], block_origin[axis] + grid.block[axis]);
    place.begin[axis] = static_cast<std::uint32_t>(begin - block_origin[axis]);
    place.end[axis] = static_cast<std::uint32_t>(end - block_origin[axis]);
    box_first[axis] = begin - offset[axis];
  }
  place.row_stride = static_cast<std::size_t>(shape[2]);
  place.plane_stride = static_cast<std::size_t>(shape[1] * shape[2]);
  place.first = static_cast<std::size_t>(box_first[0]) * place.plane_stride +
                static_cast<std::size_t>(box_first[1]) * place.row_stride +
                static_cast<std::size_t>(box_first[2]);
  return place;
}

// A uint8blk block as stored (JPEG, or a DVID lz4 value) decoded into `scratch` (one block), then
// its rows inside the box copied into `box` (the box's bytes).
codecs::CodecResult<Unit> decode_gray_block(std::string_view stored, Shape3 block,
                                            std::string& scratch, const Placement& place,
                                            char* box) {
  if (codecs::is_jpeg(stored)) {
    auto decoded = codecs::decode_gray_image_into(
        stored, block[2], block[0] * block[1],
        {reinterpret_cast<std::uint8_t*>(scratch.data()), scratch.size()});
    if (!decoded) return decoded;
  } else {
    auto voxels = codecs::decode_dvid_lz4_value(stored, scratch.size());
    if (!voxels) return fail(std::move(voxels).error());
    if (voxels->size() != scratch.size())
      return fail(codecs::CodecError{"a stored block of the wrong size", 0});
    scratch = std::move(*voxels);
  }
  const std::size_t row = static_cast<std::size_t>(block[2]);
  const std::size_t plane = row * static_cast<std::size_t>(block[1]);
  for (auto z = place.begin[0]; z < place.end[0]; ++z)
    for (auto y = place.begin[1]; y < place.end[1]; ++y)
      std::memcpy(box + place.row(z, y), scratch.data() + z * plane + y * row + place.begin[2],
                  place.row_voxels());
  return Unit{};
}

}  // namespace

double DecodeReference::seconds_per_gib() const {
  return voxel_bytes == 0 ? 0 : cpu_seconds / (static_cast<double>(voxel_bytes) / (1ull << 30));
}

DecodeReference measure_decode_reference(NodeService& node, const std::string& instance,
                                         VolumeType type, Shape3 shape_zyx, Point3 offset_zyx,
                                         const LabelReadOptions& read,
                                         const VoxelBuffer* expected) {
  const bool labels = has_label_blocks(type);
  BlockGrid grid;
  grid.block = node.get_blocksize(instance);
  Shape3 aligned_shape{};
  Point3 aligned_offset{};
  for (int axis = 0; axis < 3; ++axis) {
    grid.first[axis] = floor_div(offset_zyx[axis], grid.block[axis]);
    const auto last = floor_div(offset_zyx[axis] + shape_zyx[axis] - 1, grid.block[axis]);
    grid.count[axis] = last - grid.first[axis] + 1;
    aligned_offset[axis] = grid.first[axis] * grid.block[axis];
    aligned_shape[axis] = grid.count[axis] * grid.block[axis];
  }
  std::string endpoint =
      labels ? fmt::format("/{}/blocks/{}/{}?compression=blocks&scale={}", instance,
                           dvid_xyz(aligned_shape), dvid_xyz(aligned_offset), read.scale)
             : fmt::format("/{}/subvolblocks/{}/{}", instance, dvid_xyz(aligned_shape),
                           dvid_xyz(aligned_offset));
  if (labels && read.supervoxels) endpoint += "&supervoxels=true";
  const std::string body = node.custom_request(endpoint, {}, ConnectionMethod::GET);

  // One piece: every payload is a view into `body` (block_records.hpp), kept for the timed loop.
  struct StoredBlock {
    std::int64_t z, y, x;
    std::string_view gzip;
  };
  std::vector<StoredBlock> blocks;
  codecs::BlockRecordParser parser(body.size());
  auto parsed =
      parser.feed(body, [&](const codecs::BlockRecord& record) -> codecs::CodecResult<Unit> {
        blocks.push_back({record.coord.z, record.coord.y, record.coord.x, record.payload});
        return Unit{};
      });
  if (parsed) parsed = parser.finish();
  if (!parsed) throw DecodeError("block records: " + parsed.error().message, endpoint);

  DecodeReference reference;
  reference.blocks = blocks.size();
  for (const auto& block : blocks) reference.stored_bytes += block.gzip.size();
  const std::uint64_t voxel_size = labels ? 8 : 1;
  reference.voxel_bytes =
      static_cast<std::uint64_t>(shape_zyx[0]) * shape_zyx[1] * shape_zyx[2] * voxel_size;
  const codecs::LabelBlockShape block_shape{static_cast<std::uint32_t>(grid.block[2]),
                                            static_cast<std::uint32_t>(grid.block[1]),
                                            static_cast<std::uint32_t>(grid.block[0])};
  std::vector<bool> present(
      static_cast<std::size_t>(grid.count[0] * grid.count[1] * grid.count[2]));
  // Fresh, untouched memory, as a GET's caller hands over: its page faults are in the clock too.
  VoxelBuffer answer(reference.voxel_bytes);

  const auto cpu_started = thread_cpu_seconds();
  const auto started = std::chrono::steady_clock::now();
  const std::size_t gray_block_bytes =
      static_cast<std::size_t>(grid.block[0] * grid.block[1] * grid.block[2]);
  std::string gray_block(labels ? 0 : gray_block_bytes, '\0');
  for (const auto& block : blocks) {
    if (!grid.contains(block.z, block.y, block.x)) continue;
    present[grid.index(block.z, block.y, block.x)] = true;
    const auto place = place_of(grid, shape_zyx, offset_zyx, block.z, block.y, block.x);
    const auto decoded =
        labels ? codecs::decode_gzip_label_block_into(
                     block.gzip, block_shape,
                     {reinterpret_cast<std::uint64_t*>(answer.data()) + place.first,
                      place.row_stride, place.plane_stride, place.begin, place.end})
               : decode_gray_block(block.gzip, grid.block, gray_block, place, answer.data());
    if (!decoded)
      throw DecodeError(fmt::format("block ({}, {}, {}) (x, y, z): {}", block.x, block.y, block.z,
                                    decoded.error().message),
                        endpoint);
  }
  // Absent blocks read as 0, as a GET fills them.
  for (std::int64_t bz = grid.first[0]; bz < grid.first[0] + grid.count[0]; ++bz)
    for (std::int64_t by = grid.first[1]; by < grid.first[1] + grid.count[1]; ++by)
      for (std::int64_t bx = grid.first[2]; bx < grid.first[2] + grid.count[2]; ++bx) {
        if (present[grid.index(bz, by, bx)]) continue;
        const auto place = place_of(grid, shape_zyx, offset_zyx, bz, by, bx);
        for (auto z = place.begin[0]; z < place.end[0]; ++z)
          for (auto y = place.begin[1]; y < place.end[1]; ++y)
            std::memset(answer.data() + place.row(z, y) * voxel_size, 0,
                        place.row_voxels() * voxel_size);
      }
  reference.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  reference.cpu_seconds = thread_cpu_seconds() - cpu_started;
  if (expected)
    reference.matches = expected->size() == answer.size() &&
                        std::memcmp(expected->data(), answer.data(), answer.size()) == 0;
  return reference;
}

}  // namespace dvidxfer::cli
