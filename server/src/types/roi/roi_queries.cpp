#include "types/roi/roi_queries.hpp"

#include <algorithm>
#include <climits>
#include <functional>
#include <span>
#include <stdexcept>
#include <utility>

namespace dvidxfer::server {
namespace {

// Go's int32 arithmetic wraps; the partitions compute in int64 and keep the low 32 bits where
// DVID's values are int32, so extents such as an empty ROI's MinZ = MaxInt32 come out as in DVID.
constexpr std::int32_t wrap32(std::int64_t value) {
  return static_cast<std::int32_t>(value);
}

// DVID's voxelRange: the voxels of blocks begin_block..end_block inside begin_voxel..end_voxel,
// relative to begin_voxel; empty when first > last.
std::pair<std::int64_t, std::int64_t> voxel_range(std::int32_t block_size, std::int32_t begin_block,
                                                  std::int32_t end_block, std::int64_t begin_voxel,
                                                  std::int64_t end_voxel) {
  const std::int64_t first =
      std::max<std::int64_t>(std::int64_t{begin_block} * block_size, begin_voxel);
  const std::int64_t last =
      std::min<std::int64_t>((std::int64_t{end_block} + 1) * block_size - 1, end_voxel);
  return {first - begin_voxel, last - begin_voxel};
}

using SpanRange = std::span<const RoiSpan>;

// A Z layer of the partition: the spans DVID's scan put into it and the Z range it claims.
struct Layer {
  std::int32_t min_z;
  std::int32_t max_z;
  SpanRange spans;
};

// DVID's scan over the sorted spans: a span past the layer's end closes the layer and opens the
// next one, whose end `next_end` gives. A span several layers further lands in that next layer
// anyway, as in DVID.
void for_each_layer(SpanRange spans, std::int32_t begin_z, std::int32_t end_z,
                    const std::function<std::int32_t(std::int32_t)>& next_end,
                    const std::function<void(const Layer&)>& add_layer) {
  std::size_t first = 0;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (spans[i][0] <= end_z) continue;
    add_layer({begin_z, end_z, spans.subspan(first, i - first)});
    begin_z = wrap32(std::int64_t{end_z} + 1);
    end_z = next_end(end_z);
    first = i;
  }
  if (first < spans.size()) add_layer({begin_z, end_z, spans.subspan(first)});
}

// The spans of a layer within rows y0..y1 and their X extent (DVID's getXRange).
struct Row {
  std::int32_t min_x = INT32_MAX;
  std::int32_t max_x = INT32_MIN;
  std::vector<RoiSpan> actives;
};

Row row_of(SpanRange layer, std::int64_t y0, std::int64_t y1) {
  Row row;
  for (const RoiSpan& span : layer)
    if (span[1] >= y0 && span[1] <= y1) {
      row.min_x = std::min(row.min_x, span[2]);
      row.max_x = std::max(row.max_x, span[3]);
      row.actives.push_back(span);
    }
  return row;
}

// DVID's findActives: ROI blocks of the row within x0..x1.
std::uint64_t active_blocks(const std::vector<RoiSpan>& actives, std::int64_t x0, std::int64_t x1) {
  std::uint64_t count = 0;
  for (const RoiSpan& span : actives) {
    if (span[2] > x1 || span[3] < x0) continue;
    count += static_cast<std::uint64_t>(std::min<std::int64_t>(x1, span[3]) -
                                        std::max<std::int64_t>(x0, span[2]) + 1);
  }
  return count;
}

// DVID's totalBlocks: int32 differences converted to uint64.
std::uint64_t total_blocks(const Point3& min, const Point3& max) {
  const auto edge = [](std::int32_t low, std::int32_t high) {
    return static_cast<std::uint64_t>(
        static_cast<std::int64_t>(wrap32(std::int64_t{high} - low + 1)));
  };
  return edge(min.x, max.x) * edge(min.y, max.y) * edge(min.z, max.z);
}

Point3 first_voxel(const Point3& block, const Point3& size) {
  return {wrap32(std::int64_t{block.x} * size.x), wrap32(std::int64_t{block.y} * size.y),
          wrap32(std::int64_t{block.z} * size.z)};
}

Point3 last_voxel(const Point3& block, const Point3& size) {
  return {wrap32((std::int64_t{block.x} + 1) * size.x - 1),
          wrap32((std::int64_t{block.y} + 1) * size.y - 1),
          wrap32((std::int64_t{block.z} + 1) * size.z - 1)};
}

// ChunkExtents3d.ExtendDim from zero-valued extents.
void extend_roi(RoiPartition& partition, std::int32_t Point3::*axis, std::int32_t value) {
  partition.roi_min_chunk.*axis = std::min(partition.roi_min_chunk.*axis, value);
  partition.roi_max_chunk.*axis = std::max(partition.roi_max_chunk.*axis, value);
}

RoiPartition partition_start(RoiZExtent extent) {
  RoiPartition partition;
  partition.roi_min_chunk.z = extent.min_z;
  partition.roi_max_chunk.z = extent.max_z;
  return partition;
}

// DVID's getYRange, with the ROI extents extended by it.
std::pair<std::int32_t, std::int32_t> y_range(SpanRange layer, RoiPartition& partition) {
  const auto [low, high] = std::minmax_element(
      layer.begin(), layer.end(), [](const RoiSpan& a, const RoiSpan& b) { return a[1] < b[1]; });
  extend_roi(partition, &Point3::y, (*low)[1]);
  extend_roi(partition, &Point3::y, (*high)[1]);
  return {(*low)[1], (*high)[1]};
}

RoiSubvolume subvolume_of(const Point3& min_chunk, const Point3& max_chunk,
                          const Point3& block_size, std::uint64_t total, std::uint64_t active) {
  return {first_voxel(min_chunk, block_size),
          last_voxel(max_chunk, block_size),
          min_chunk,
          max_chunk,
          total,
          active};
}

// Where DVID centres fixed cubes over low..high: the remainder of the extent split in two, the
// smaller half before.
std::pair<std::int64_t, std::int64_t> centred(std::int32_t low, std::int32_t high,
                                              std::int32_t batchsize) {
  const std::int32_t left = wrap32(std::int64_t{high} - low + 1) % batchsize;
  const std::int32_t before = left / 2;
  return {wrap32(std::int64_t{low} - before), wrap32(std::int64_t{high} + (left - before))};
}

// DVID's addSubvolumesGrid: fixed cubes centred on the layer's Y range, and along each row of
// cubes on that row's X range. Every cube of a row counts in the totals, listed or not.
void add_grid_layer(const Layer& layer, const Point3& block_size, std::int32_t batchsize,
                    RoiPartition& partition) {
  if (layer.spans.empty()) return;
  const auto [min_y, max_y] = y_range(layer.spans, partition);
  const auto [begin_y, end_y] = centred(min_y, max_y, batchsize);
  for (std::int64_t y0 = begin_y; y0 <= end_y; y0 += batchsize) {
    const std::int32_t y1 = wrap32(y0 + batchsize - 1);
    const Row row = row_of(layer.spans, y0, y1);
    if (row.actives.empty()) continue;
    extend_roi(partition, &Point3::x, row.min_x);
    extend_roi(partition, &Point3::x, row.max_x);
    const auto [begin_x, end_x] = centred(row.min_x, row.max_x, batchsize);
    for (std::int64_t x0 = begin_x; x0 <= end_x; x0 += batchsize) {
      const std::int32_t x1 = wrap32(x0 + batchsize - 1);
      const Point3 min_chunk{wrap32(x0), wrap32(y0), layer.min_z};
      const Point3 max_chunk{x1, y1, layer.max_z};
      const std::uint64_t total = total_blocks(min_chunk, max_chunk);
      const std::uint64_t active = active_blocks(row.actives, x0, x1);
      if (active > 0)
        partition.subvolumes.push_back(
            subvolume_of(min_chunk, max_chunk, block_size, total, active));
      partition.active_blocks += active;
      partition.total_blocks += total;
    }
  }
}

// DVID's findXHoles: the first longest run of x0..x1 without ROI blocks.
struct XHole {
  bool found = false;
  std::int64_t begin = 0;
  std::int64_t end = 0;
};

XHole largest_x_hole(const std::vector<RoiSpan>& actives, std::int64_t x0, std::int64_t x1) {
  std::vector<bool> used(static_cast<std::size_t>(x1 - x0 + 1), false);
  for (const RoiSpan& span : actives) {
    if (span[2] > x1 || span[3] < x0) continue;
    for (std::int64_t x = std::max<std::int64_t>(x0, span[2]);
         x <= std::min<std::int64_t>(x1, span[3]); ++x)
      used[static_cast<std::size_t>(x - x0)] = true;
  }
  XHole best;
  std::int64_t run_begin = 0;
  for (std::int64_t x = x0; x <= x1; ++x) {
    if (used[static_cast<std::size_t>(x - x0)]) {
      run_begin = x + 1;
      continue;
    }
    if (!best.found || x - run_begin > best.end - best.begin) best = {true, run_begin, x};
  }
  return best;
}

// A step of size batchsize that grows by one while the remainder of the extent lasts.
class GrowingStep {
 public:
  GrowingStep(std::int32_t extent, std::int32_t batchsize)
      : batchsize_(batchsize), left_(extent % batchsize) {}
  std::int64_t next() {
    if (left_ <= 0) return batchsize_;
    --left_;
    return std::int64_t{batchsize_} + 1;
  }

 private:
  std::int32_t batchsize_;
  std::int32_t left_;
};

// DVID's addSubvolumes with merging: rows and cubes start at the layer's and row's minimum and
// grow by one block while the remainder lasts; the largest X hole of a cube is skipped and the
// part of the cube before it merged into the subvolume listed last.
void add_merged_layer(const Layer& layer, const Point3& block_size, std::int32_t batchsize,
                      RoiPartition& partition) {
  if (layer.spans.empty()) return;
  const auto [min_y, max_y] = y_range(layer.spans, partition);
  GrowingStep y_step(wrap32(std::int64_t{max_y} - min_y + 1), batchsize);
  for (std::int64_t begin_y = min_y; begin_y <= max_y;) {
    const std::int32_t end_y = wrap32(begin_y + y_step.next() - 1);
    const Row row = row_of(layer.spans, begin_y, end_y);
    if (!row.actives.empty()) {
      extend_roi(partition, &Point3::x, row.min_x);
      extend_roi(partition, &Point3::x, row.max_x);
      GrowingStep x_step(wrap32(std::int64_t{row.max_x} - row.min_x + 1), batchsize);
      for (std::int64_t begin_x = row.min_x; begin_x <= row.max_x;) {
        const std::int32_t end_x = wrap32(begin_x + x_step.next() - 1);
        const Point3 min_chunk{wrap32(begin_x), wrap32(begin_y), layer.min_z};
        const XHole hole = largest_x_hole(row.actives, begin_x, end_x);
        std::uint64_t total = 0, active = 0;
        if (hole.found) {
          if (hole.begin - 1 >= begin_x) {
            if (partition.subvolumes.empty())
              throw std::out_of_range("runtime error: index out of range [-1]");
            RoiSubvolume& last = partition.subvolumes.back();
            const Point3 last_chunk{wrap32(hole.begin - 1), end_y, layer.max_z};
            last.max_point = first_voxel(last_chunk, block_size);  // sic: DVID's MinPoint
            last.max_chunk = last_chunk;
            total = total_blocks(min_chunk, last_chunk);
            active = active_blocks(row.actives, begin_x, hole.begin - 1);
            last.total_blocks += total;
            last.active_blocks += active;
          }
          begin_x = hole.end + 1;
        } else {
          const Point3 max_chunk{end_x, end_y, layer.max_z};
          total = total_blocks(min_chunk, max_chunk);
          active = active_blocks(row.actives, begin_x, end_x);
          partition.subvolumes.push_back(
              subvolume_of(min_chunk, max_chunk, block_size, total, active));
          begin_x = std::int64_t{end_x} + 1;
        }
        partition.active_blocks += active;
        partition.total_blocks += total;
      }
    }
    begin_y = std::int64_t{end_y} + 1;
  }
}

}  // namespace

std::string roi_mask(const std::vector<RoiSpan>& spans, const Point3& block_size, const Box& box) {
  const std::int64_t voxels = box.voxels();
  // Go's make() panics on a negative length; the router answers like DVID's panic handler.
  if (voxels < 0) throw std::length_error("runtime error: makeslice: len out of range");
  // DVID would allocate any size here; a GET's buffer is held to the limit of its voxel reads.
  check_payload_size(voxels);
  const std::int64_t x0 = box.offset.x, y0 = box.offset.y, z0 = box.offset.z;
  const std::int64_t x1 = x0 + box.size.x - 1, y1 = y0 + box.size.y - 1, z1 = z0 + box.size.z - 1;
  // Truncating division, as DVID's GetMask uses, not the floor that block coordinates need.
  const std::int64_t min_bx = x0 / block_size.x, max_bx = x1 / block_size.x;
  const std::int64_t min_by = y0 / block_size.y, max_by = y1 / block_size.y;
  const std::int64_t min_bz = z0 / block_size.z, max_bz = z1 / block_size.z;

  std::string mask(static_cast<std::size_t>(voxels), '\0');
  const std::int64_t nx = box.size.x;
  const std::int64_t nxy = std::int64_t{box.size.y} * nx;
  for (const RoiSpan& span : spans) {
    if (span[0] < min_bz) continue;
    if (span[0] > max_bz) break;
    if (span[1] < min_by || span[1] > max_by) continue;
    if (span[3] < min_bx || span[2] > max_bx) continue;
    const auto [vx0, vx1] = voxel_range(block_size.x, span[2], span[3], x0, x1);
    const auto [vy0, vy1] = voxel_range(block_size.y, span[1], span[1], y0, y1);
    const auto [vz0, vz1] = voxel_range(block_size.z, span[0], span[0], z0, z1);
    for (std::int64_t z = vz0; z <= vz1; ++z)
      for (std::int64_t y = vy0; y <= vy1; ++y)
        std::fill_n(mask.begin() + z * nxy + y * nx + vx0, vx1 - vx0 + 1, '\1');
  }
  return mask;
}

std::vector<bool> roi_contains_points(const std::vector<RoiSpan>& spans, const Point3& block_size,
                                      const std::vector<Point3>& voxels) {
  const RoiBlockSet blocks(spans);
  std::vector<bool> inside;
  inside.reserve(voxels.size());
  for (const Point3& voxel : voxels)
    inside.push_back(
        blocks.contains({floor_div(voxel.x, block_size.x), floor_div(voxel.y, block_size.y),
                         floor_div(voxel.z, block_size.z)}));
  return inside;
}

RoiPartition simple_partition(const std::vector<RoiSpan>& spans, RoiZExtent extent,
                              const Point3& block_size, std::int32_t batchsize) {
  RoiPartition partition = partition_start(extent);
  const std::int32_t z_left = wrap32(std::int64_t{extent.max_z} - extent.min_z + 1) % batchsize;
  const std::int32_t begin_z = wrap32(std::int64_t{extent.min_z} - z_left / 2);
  for_each_layer(
      spans, begin_z, wrap32(std::int64_t{begin_z} + batchsize - 1),
      [batchsize](std::int32_t end_z) { return wrap32(std::int64_t{end_z} + batchsize); },
      [&](const Layer& layer) { add_grid_layer(layer, block_size, batchsize, partition); });
  return partition;
}

RoiPartition optimized_partition(const std::vector<RoiSpan>& spans, RoiZExtent extent,
                                 const Point3& block_size, std::int32_t batchsize) {
  RoiPartition partition = partition_start(extent);
  // Only the layers after the first grow by the remainder, as in DVID.
  GrowingStep z_step(wrap32(std::int64_t{extent.max_z} - extent.min_z + 1), batchsize);
  for_each_layer(
      spans, extent.min_z, wrap32(std::int64_t{extent.min_z} + batchsize - 1),
      [&z_step](std::int32_t end_z) { return wrap32(end_z + z_step.next()); },
      [&](const Layer& layer) { add_merged_layer(layer, block_size, batchsize, partition); });
  return partition;
}

}  // namespace dvidxfer::server
