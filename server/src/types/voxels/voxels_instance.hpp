// What uint8blk and labelblk share (DVID's imageblk code): block geometry and resolution
// settings, extents, info and metadata JSON, 3-D voxel reads at any alignment and block-aligned
// writes through the instance's VoxelBlockStore, roi= masking and the throttle. Coordinates are
// DVID's x,y,z; voxel arrays are ZYX with X fastest.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "dvid/data_instance.hpp"
#include "dvid/voxel_geometry.hpp"
#include "types/voxels/voxel_block_store.hpp"

namespace dvidxfer::server {

struct VoxelSettings {
  Point3 block_size{32, 32, 32};
  std::array<double, 3> voxel_size{8, 8, 8};
  std::array<std::string, 3> voxel_units{"nanometers", "nanometers", "nanometers"};
  std::uint8_t background = 0;
  BlockEncoding encoding = BlockEncoding::lz4;  // jpeg for a uint8blk created with Compression jpeg
};

// BlockSize, VoxelSize, VoxelUnits and Background of a creation request; throws DvidError.
VoxelSettings parse_voxel_settings(const DvidConfig& config);

// Voxel-coordinate bounds of what was written (DVID's Extents).
struct VoxelExtents {
  std::optional<Point3> min_point;
  std::optional<Point3> max_point;
  bool grow(const Box& box);  // true if the bounds changed
};

// How the value type is described in "Values", e.g. {"DataType":"uint8","Label":"uint8"}.
struct VoxelValueType {
  std::string_view data_type;
  std::string_view label;
  std::size_t bytes;
  bool interpolable;
};

class VoxelsInstance : public DataInstance {
 public:
  VoxelsInstance(const DataType& type, InstanceIdentity identity, CommonSettings settings,
                 VoxelSettings voxels, VoxelValueType value_type);

  const Point3& block_size() const { return voxels_.block_size; }

  // What other datatypes read of this one (imagetile generates tiles from a uint8blk): the
  // resolution, and the extents and voxels a read at `request`'s node sees.
  std::array<double, 3> voxel_size() const;
  VoxelExtents extents_seen_by(const InstanceRequest& request) const {
    return versioned_extents(request);
  }
  std::string voxels_seen_by(const InstanceRequest& request, const Box& box) const {
    return read_volume(request, box, std::nullopt, '\0');
  }

 protected:
  // Holds a throttle slot for requests with throttle=true|on (empty otherwise); `refusal` is
  // the 503 when every slot is taken.
  struct ThrottleClaim {
    std::optional<Throttle::Slot> slot;
    std::optional<HttpResponse> refusal;
  };
  static ThrottleClaim claim_throttle(InstanceRequest& request);

  // "Extended" with the given extents.
  std::string properties_json(const VoxelExtents& extents) const;
  // Extents as DVID keeps them per instance (grown by every voxel POST at any node).
  VoxelExtents instance_extents() const;
  // Extents as DVID keeps them per version node (read through the ancestry).
  VoxelExtents versioned_extents(const InstanceRequest& request) const;
  HttpResponse metadata(const InstanceRequest& request) const;
  void set_versioned_extents(const InstanceRequest& request) const;
  // POST .../resolution: a JSON [x, y, z] of voxel sizes; throws DvidError.
  void set_resolution(const InstanceRequest& request);

  // A 3-D GET's box with DVID's checks: size <= 0, then the 3 GiB limit.
  Box readable_box(const InstanceRequest& request) const;
  // The box's voxels; stored blocks outside the ROI read as `outside` repeated, or attenuated
  // (see VoxelBlockStore::read_box). Their size is reserved first (HttpRequest::reserve_response),
  // so a volume the server cannot hold is refused 503 before it is allocated.
  std::string read_volume(const InstanceRequest& request, const Box& box,
                          const std::optional<BlockFilter>& roi, char outside,
                          unsigned attenuation = 0) const;
  // Grows the instance and versioned extents to hold `box` (voxels).
  void grow_extents(const InstanceRequest& request, const Box& box);
  // A block-aligned POST (the alignment error is DVID's), which grows the extents.
  void write_volume(InstanceRequest& request, const Box& box, std::string_view voxels,
                    const std::optional<BlockFilter>& roi,
                    const VoxelBlockStore::OnBlockWritten& on_written);

  // The box in parts[4] (size) and parts[5] (offset) of a block-stream request (/blocks,
  // /subvolblocks); throws DvidError with DVID's text when it is not block aligned.
  Box block_aligned_box(const InstanceRequest& request) const;
  // Records (int32 bx, by, bz, N, payload) of the existing blocks of the block-aligned `box`, in
  // z,y,x order, with payloads made from the stored values in parallel.
  using PayloadOf = std::function<std::string(const StoredBlock& block)>;
  std::string block_records(const InstanceRequest& request, const Box& box,
                            const PayloadOf& payload_of) const;
  // The stored value's voxels.
  std::string decoded(const StoredValue& value) const;

  const VoxelSettings voxels_;
  const VoxelValueType value_type_;
  VoxelBlockStore blocks_;

 private:
  mutable std::mutex extents_mutex_;  // guards extents_, voxel_size_ and extents read-modify-writes
  VoxelExtents extents_;
  std::array<double, 3> voxel_size_;  // the creation VoxelSize until POST .../resolution
};

}  // namespace dvidxfer::server
