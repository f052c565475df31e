// The labelmap and labelarray datatypes (dvid-api.md 5): uint64 supervoxel labels stored as
// gzip'd DVID compressed Blocks at several scales, read as volumes, points and block streams.
// labelarray is the same storage without labelmap's mapping layer, and differs in a few
// endpoints (maxlabel per version only, no label allocation, no ingest-supervoxels). What it
// shares with uint8blk and labelblk (settings, extents, info, throttle) is VoxelsInstance's.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "types/labelmap/block_payloads.hpp"
#include "types/labelmap/label_block_store.hpp"
#include "types/labelmap/label_counters.hpp"
#include "types/voxels/voxels_instance.hpp"

namespace dvidxfer::server {

enum class LabelFlavor { labelmap, labelarray };

class LabelmapType final : public DataType {
 public:
  explicit LabelmapType(LabelFlavor flavor) : flavor_(flavor) {}
  std::string_view name() const override;
  std::string_view url() const override;
  std::string_view version() const override { return "0.1"; }
  std::unique_ptr<DataInstance> create(InstanceIdentity identity,
                                       const DvidConfig& config) const override;

 private:
  LabelFlavor flavor_;
};

// The settings labelmap and labelarray add to imageblk's (dvid-api.md 5.1).
struct LabelSettings {
  bool indexed_labels = true;
  bool count_labels = true;  // labelarray only
  std::uint8_t max_downres_level = 0;
  // The stored-value format the Compression setting names ("gzip compression"); block POSTs
  // are refused unless it is gzip, as DVID refuses them.
  std::string compression_format = "gzip compression";
};

class LabelmapInstance final : public VoxelsInstance {
 public:
  LabelmapInstance(const DataType& type, InstanceIdentity identity, CommonSettings settings,
                   VoxelSettings voxels, LabelFlavor flavor, LabelSettings labels);

  std::string info_json() const override;
  HttpResponse serve(InstanceRequest& request) override;

 private:
  // {"Base":...,"Extended":...} with the given extents (the versioned ones for GET .../info).
  std::string info_with(const VoxelExtents& extents) const;
  HttpResponse post_info(const InstanceRequest& request);

  // labelmap_voxels.cpp: raw and isotropic volumes, points.
  HttpResponse raw(InstanceRequest& request);
  HttpResponse read_raw(InstanceRequest& request, const Box& box);
  HttpResponse write_raw(InstanceRequest& request, const Box& box);
  HttpResponse label_at(const InstanceRequest& request) const;
  HttpResponse labels(const InstanceRequest& request) const;

  // labelmap_blocks.cpp: block streams.
  HttpResponse blocks(InstanceRequest& request);
  HttpResponse read_blocks(const InstanceRequest& request);
  HttpResponse specific_blocks(const InstanceRequest& request) const;
  HttpResponse write_blocks(InstanceRequest& request, bool ingest);
  // The records of `stored`, payloads made in parallel.
  std::string records(const std::vector<StoredBlock>& stored, BlockCompression compression,
                      bool supervoxels) const;

  HttpResponse max_label(const InstanceRequest& request) const;
  HttpResponse next_label(const InstanceRequest& request);

  // Recomputes scales 1..MaxDownresLevel above the scale-0 blocks `changed` (labelmap_downres).
  void downres(const InstanceRequest& request, std::vector<Point3> changed) const;

  const LabelFlavor flavor_;
  const LabelSettings settings_;
  std::atomic<std::uint8_t> max_downres_level_;  // POST .../info may change it
  LabelBlockStore labels_;
  LabelCounters counters_;
  std::mutex write_mutex_;  // voxel writes one at a time, as DVID's voxelMu
};

}  // namespace dvidxfer::server
