// What a labelblk tells the instances synced to it (labelvol) about written label blocks:
// DVID's ingest and mutate block events, delivered synchronously during the write.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "dvid/voxel_geometry.hpp"
#include "store/versioned_store.hpp"

namespace dvidxfer::server {

class LabelIndexer {
 public:
  virtual ~LabelIndexer() = default;
  // One block's new labels (uint64 LE, ZYX) at `version`; with `previous` (its labels before a
  // mutate=true write) the runs of labels that were there are removed first. Returns the
  // largest label in the block. Called concurrently for different blocks.
  virtual std::uint64_t index_block(VersionedStore& store, VersionId version, const Point3& block,
                                    std::string_view labels,
                                    std::optional<std::string_view> previous) = 0;
  // After a write: the largest label it stored.
  virtual void note_max_label(VersionId version, std::uint64_t label) = 0;
};

}  // namespace dvidxfer::server
