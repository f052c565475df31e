// The geometry behind roi's queries (datatype/roi/roi.go): the voxel mask of a box, which voxel
// points fall in the ROI, and the partitions of the ROI into subvolumes of blocks. Pure
// functions of the spans, which must be sorted and unique (sort_spans), as DVID's keys hold them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dvid/voxel_geometry.hpp"
#include "types/roi/roi_spans.hpp"

namespace dvidxfer::server {

// DVID's GetMask: one byte per voxel of `box` (z-y-x), 1 inside the ROI. The spans are chosen
// with truncating division of the box's corners by the block size, as DVID does, so a box whose
// start is negative and not block aligned misses the ROI blocks of that first partial block.
std::string roi_mask(const std::vector<RoiSpan>& spans, const Point3& block_size, const Box& box);

// DVID's PointQuery: for each voxel point, in order, whether its block (floor division) is in
// the ROI.
std::vector<bool> roi_contains_points(const std::vector<RoiSpan>& spans, const Point3& block_size,
                                      const std::vector<Point3>& voxels);

struct RoiSubvolume {
  Point3 min_point;  // voxels, inclusive
  Point3 max_point;
  Point3 min_chunk;  // blocks, inclusive
  Point3 max_chunk;
  std::uint64_t total_blocks = 0;
  std::uint64_t active_blocks = 0;
};

struct RoiPartition {
  std::uint64_t total_blocks = 0;
  std::uint64_t active_blocks = 0;
  Point3 roi_min_chunk;  // x and y start at 0, as DVID's zero-valued extents do
  Point3 roi_max_chunk;
  std::vector<RoiSubvolume> subvolumes;
};

// The ROI instance's Z extent in blocks, which DVID keeps per instance, not per version.
struct RoiZExtent {
  std::int32_t min_z = 0;
  std::int32_t max_z = 0;
};

// DVID's SimplePartition: batchsize^3-block cubes in layers of batchsize blocks along Z, each
// row of cubes centred on the occupied X range; only cubes holding ROI blocks are listed, but
// every cube of a row counts in total_blocks. batchsize must be positive.
RoiPartition simple_partition(const std::vector<RoiSpan>& spans, RoiZExtent extent,
                              const Point3& block_size, std::int32_t batchsize);

// DVID's Partition (optimized=true): layers and rows grow by one block while the remainder lasts,
// and the largest X hole of each cube is cut out, the part before it merged into the previously
// listed subvolume. DVID's quirks are kept: the merged subvolume's MaxPoint is the first voxel of
// its last block, and a hole cut from the very first cube is a Go index panic (thrown here as
// std::out_of_range with Go's text). batchsize must be positive.
RoiPartition optimized_partition(const std::vector<RoiSpan>& spans, RoiZExtent extent,
                                 const Point3& block_size, std::int32_t batchsize);

}  // namespace dvidxfer::server
