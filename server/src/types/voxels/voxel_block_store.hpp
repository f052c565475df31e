// The voxel blocks of one instance in the versioned store. Each block holds block_size voxels
// (ZYX order, X fastest) in the form DVID stores them, so subvolblocks can send it as stored:
// DVID's internal LZ4 value (uint32 LE uncompressed length + raw LZ4 block), or, for a uint8blk
// created with Compression jpeg, one grayscale JPEG of width bx and height by*bz (the voxels'
// rows in order) at DVID's quality 80 (dvid/serialize.go SerializeData). Reads and writes of voxel
// boxes run over the blocks in parallel (oneTBB) and each block goes straight between its store
// value and its place in the caller's buffer.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dvid/voxel_geometry.hpp"
#include "store/versioned_store.hpp"

namespace dvidxfer::server {

// How stored blocks are compressed.
enum class BlockEncoding { lz4, jpeg };

struct StoredBlock {
  Point3 coord;
  StoredValue value;  // in the store's BlockEncoding
};

// Decides, per block coordinate, whether a read or write touches the block (an ROI).
using BlockFilter = std::function<bool(const Point3& block)>;

class VoxelBlockStore {
 public:
  // Precondition: jpeg only with one byte per voxel.
  VoxelBlockStore(InstanceId instance, Point3 block_size, std::size_t bytes_per_voxel,
                  BlockEncoding encoding = BlockEncoding::lz4);

  BlockEncoding encoding() const { return encoding_; }
  const Point3& block_size() const { return block_size_; }
  std::size_t bytes_per_voxel() const { return bytes_per_voxel_; }
  std::size_t block_bytes() const { return block_bytes_; }

  // The stored block visible at the read's ancestry, or null.
  StoredValue get(const VersionedStore& store, std::span<const VersionId> ancestry,
                  const Point3& block) const;
  // Existing blocks inside a box of block coordinates, in z,y,x order.
  std::vector<StoredBlock> existing(const VersionedStore& store,
                                    std::span<const VersionId> ancestry, const Box& blocks) const;
  // Decodes a stored block into exactly block_bytes() bytes; throws std::runtime_error on a
  // corrupt value.
  void decode(const StoredValue& value, std::span<char> voxels) const;
  // The stored form of one block of voxels.
  std::string encode(std::string_view voxels) const;

  // Fills all of `out` (box.voxels() * bytes_per_voxel bytes, ZYX) with the box's voxels, so it
  // may start uninitialized. Missing blocks read as zero, even outside the filter (DVID reads
  // stored blocks only); stored blocks the filter rejects read as `outside` (one byte repeated),
  // or, with `attenuation` n > 0, as their bytes shifted right by n (uint8 data).
  void read_box(const VersionedStore& store, std::span<const VersionId> ancestry, const Box& box,
                char* out, const BlockFilter& filter, char outside, unsigned attenuation = 0) const;

  // Called for every block a write stores, in parallel, with the block's new voxels.
  using OnBlockWritten = std::function<void(const Point3& block, std::string_view voxels)>;
  // Stores the blocks of a block-aligned box from `voxels` (ZYX), skipping blocks the filter
  // rejects; `on_written` runs before each block is stored.
  void write_box(VersionedStore& store, VersionId version, const Box& box, const char* voxels,
                 const BlockFilter& filter, const OnBlockWritten& on_written) const;

 private:
  InstanceId instance_;
  Point3 block_size_;
  std::size_t bytes_per_voxel_;
  std::size_t block_bytes_;
  BlockEncoding encoding_;
};

}  // namespace dvidxfer::server
