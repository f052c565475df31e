// The label blocks of a labelmap or labelarray instance in the versioned store: one value per
// (scale, block), the gzip of a DVID compressed label Block exactly as it was posted or encoded
// (dvid-api.md 5.3), keyed by scale and then z,y,x (store/block_key.hpp). Voxel reads decode
// every block straight into its place in the caller's buffer, blocks in parallel (oneTBB).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dvid/voxel_geometry.hpp"
#include "dvidxfer/codecs/label_block.hpp"
#include "store/versioned_store.hpp"
#include "types/voxels/voxel_block_store.hpp"

namespace dvidxfer::server {

class LabelBlockStore {
 public:
  LabelBlockStore(InstanceId instance, Point3 block_size);

  const Point3& block_size() const { return block_size_; }
  codecs::LabelBlockShape shape() const { return shape_; }
  std::size_t block_voxels() const { return block_voxels_; }

  // The stored block visible at the read's ancestry, or null.
  StoredValue get(const VersionedStore& store, std::span<const VersionId> ancestry,
                  std::uint8_t scale, const Point3& block) const;
  // Existing blocks inside a box of block coordinates, in z,y,x order.
  std::vector<StoredBlock> existing(const VersionedStore& store,
                                    std::span<const VersionId> ancestry, std::uint8_t scale,
                                    const Box& blocks) const;
  void put(VersionedStore& store, VersionId version, std::uint8_t scale, const Point3& block,
           std::string gzip_block) const;

  // A stored block's voxels (block_voxels() labels, ZYX); throws std::runtime_error when the
  // value is corrupt.
  void decode(const StoredValue& value, std::span<std::uint64_t> voxels) const;
  // The stored form (gzip'd Block) of one block's voxels; throws std::runtime_error.
  std::string encode(std::span<const std::uint64_t> voxels) const;

  // Fills all of `out` (box.voxels() labels, ZYX) with the box at `scale`, as reads of
  // supervoxels (true) or bodies see it. Missing blocks and blocks the filter rejects read 0.
  void read_box(const VersionedStore& store, std::span<const VersionId> ancestry,
                std::uint8_t scale, bool supervoxels, const Box& box, std::uint64_t* out,
                const BlockFilter& filter) const;
  // The labels at voxels of `scale` (0 where no block is stored), each block decoded once.
  std::vector<std::uint64_t> labels_at(const VersionedStore& store,
                                       std::span<const VersionId> ancestry, std::uint8_t scale,
                                       bool supervoxels, std::span<const Point3> voxels) const;

  // Encodes and stores, at `scale`, every block of the block-aligned `box` whose voxels are
  // `voxels` (ZYX), except those the filter rejects; returns the blocks written, in z,y,x order.
  std::vector<Point3> write_box(VersionedStore& store, VersionId version, std::uint8_t scale,
                                const Box& box, const std::uint64_t* voxels,
                                const BlockFilter& filter) const;

 private:
  InstanceId instance_;
  Point3 block_size_;
  codecs::LabelBlockShape shape_;
  std::size_t block_voxels_;
};

}  // namespace dvidxfer::server
