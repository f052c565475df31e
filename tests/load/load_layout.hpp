// Where each load-test client writes: its own keyvalue keys and its own block-aligned region of
// each volume, so that every object has exactly one writer and every read can be checked.
#pragma once

#include <cstdint>
#include <string>

#include "dvidxfer/volume.hpp"

namespace dvidxfer::load {

// A box of voxels.
struct Box {
  Point3 offset{};  // (z, y, x)
  Shape3 shape{};   // (z, y, x)
  std::int64_t voxels() const { return shape[0] * shape[1] * shape[2]; }
};

// A client's block-aligned box of a volume.
struct VolumeRegion {
  Point3 origin{};  // voxel (z, y, x) of its first corner
  Shape3 blocks{};  // blocks along z, y, x
  std::int64_t block_size = 0;

  Shape3 shape() const {
    return {blocks[0] * block_size, blocks[1] * block_size, blocks[2] * block_size};
  }
  std::int64_t block_count() const { return blocks[0] * blocks[1] * blocks[2]; }
  // The index of block (z, y, x), counted inside the region.
  std::int64_t block_index(const Point3& block_zyx) const {
    return (block_zyx[0] * blocks[1] + block_zyx[1]) * blocks[2] + block_zyx[2];
  }
};

struct LoadLayout {
  std::string kv_instance = "load_kv";
  std::string gray_instance = "load_gray";
  std::string labels_instance = "load_labels";
  int kv_keys_per_client = 4;
  std::int64_t gray_block_size = 32;    // 32 KiB blocks
  std::int64_t labels_block_size = 16;  // 32 KiB blocks of uint64
  Shape3 region_blocks{1, 2, 2};        // per client and volume
  std::int64_t grid_width = 16;         // clients per row of regions

  VolumeRegion gray_region(int client) const { return region(client, gray_block_size); }
  VolumeRegion labels_region(int client) const { return region(client, labels_block_size); }

 private:
  VolumeRegion region(int client, std::int64_t block_size) const {
    const Shape3 shape{region_blocks[0] * block_size, region_blocks[1] * block_size,
                       region_blocks[2] * block_size};
    return {{0, (client / grid_width) * shape[1], (client % grid_width) * shape[2]},
            region_blocks,
            block_size};
  }
};

}  // namespace dvidxfer::load
