#include "label_decode_reference.hpp"

#include <fmt/format.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string_view>
#include <vector>

#include "dvid_axis_order.hpp"
#include "dvidxfer/codecs/block_records.hpp"
#include "dvidxfer/codecs/gzip_label_block.hpp"
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

// The part of block (bz, by, bx) inside the box, as a window into `out` (the box's voxels).
codecs::LabelBlockWindow window_of(const BlockGrid& grid, Shape3 shape, Point3 offset,
                                   std::int64_t bz, std::int64_t by, std::int64_t bx,
                                   std::uint64_t* out) {
  const Point3 block_origin{bz * grid.block[0], by * grid.block[1], bx * grid.block[2]};
  codecs::LabelBlockWindow window;
  Point3 box_first{};
  for (int axis = 0; axis < 3; ++axis) {
    const auto begin = std::max(offset[axis], block_origin[axis]);
    const auto end = std::min(offset[axis] + shape[axis], block_origin[axis] + grid.block[axis]);
    window.begin[axis] = static_cast<std::uint32_t>(begin - block_origin[axis]);
    window.end[axis] = static_cast<std::uint32_t>(end - block_origin[axis]);
    box_first[axis] = begin - offset[axis];
  }
  window.row_stride = static_cast<std::size_t>(shape[2]);
  window.plane_stride = static_cast<std::size_t>(shape[1] * shape[2]);
  window.origin =
      out + box_first[0] * window.plane_stride + box_first[1] * window.row_stride + box_first[2];
  return window;
}

}  // namespace

double DecodeReference::seconds_per_gib() const {
  return voxel_bytes == 0 ? 0 : cpu_seconds / (static_cast<double>(voxel_bytes) / (1ull << 30));
}

DecodeReference measure_decode_reference(NodeService& node, const std::string& instance,
                                         Shape3 shape_zyx, Point3 offset_zyx,
                                         const LabelReadOptions& read,
                                         const VoxelBuffer* expected) {
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
  std::string endpoint = fmt::format("/{}/blocks/{}/{}?compression=blocks&scale={}", instance,
                                     dvid_xyz(aligned_shape), dvid_xyz(aligned_offset), read.scale);
  if (read.supervoxels) endpoint += "&supervoxels=true";
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
  reference.voxel_bytes =
      static_cast<std::uint64_t>(shape_zyx[0]) * shape_zyx[1] * shape_zyx[2] * 8;
  const codecs::LabelBlockShape block_shape{static_cast<std::uint32_t>(grid.block[2]),
                                            static_cast<std::uint32_t>(grid.block[1]),
                                            static_cast<std::uint32_t>(grid.block[0])};
  std::vector<bool> present(
      static_cast<std::size_t>(grid.count[0] * grid.count[1] * grid.count[2]));
  // Fresh, untouched memory, as a GET's caller hands over: its page faults are in the clock too.
  VoxelBuffer answer(reference.voxel_bytes);
  auto* const out = reinterpret_cast<std::uint64_t*>(answer.data());

  const auto cpu_started = thread_cpu_seconds();
  const auto started = std::chrono::steady_clock::now();
  for (const auto& block : blocks) {
    if (!grid.contains(block.z, block.y, block.x)) continue;
    present[grid.index(block.z, block.y, block.x)] = true;
    const auto decoded = codecs::decode_gzip_label_block_into(
        block.gzip, block_shape,
        window_of(grid, shape_zyx, offset_zyx, block.z, block.y, block.x, out));
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
        const auto window = window_of(grid, shape_zyx, offset_zyx, bz, by, bx, out);
        for (auto z = window.begin[0]; z < window.end[0]; ++z)
          for (auto y = window.begin[1]; y < window.end[1]; ++y)
            std::fill_n(window.origin + (z - window.begin[0]) * window.plane_stride +
                            (y - window.begin[1]) * window.row_stride,
                        window.end[2] - window.begin[2], std::uint64_t{0});
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
