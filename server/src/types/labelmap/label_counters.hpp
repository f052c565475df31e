// A label instance's label counters (DVID's MaxLabel, MaxRepoLabel): the largest label written
// at each version, the largest in the whole repo, and the allocation of new labels from it.
// Thread-safe; kept in memory, as DVID keeps them (it also persists them, which an in-memory
// server has no need for).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "store/versioned_store.hpp"

namespace dvidxfer::server {

class LabelCounters {
 public:
  // A write at ancestry[0] stored `label` (its largest label; 0 changes nothing). As DVID's
  // updateBlockMaxLabel, the version's entry never falls below what it inherits.
  void raise(std::span<const VersionId> ancestry, std::uint64_t label);
  // labelmap's max label of a version: the largest entry of the version and its ancestors.
  std::optional<std::uint64_t> inherited_max(std::span<const VersionId> ancestry) const;
  // labelarray's: the version's own entry only.
  std::optional<std::uint64_t> own_max(VersionId version) const;
  std::uint64_t repo_max() const;
  // Reserves `count` labels after the repo-wide max for ancestry[0]: the inclusive range.
  // Throws DvidError with DVID's texts (count 0, uint64 overflow); `name` is the instance's.
  std::pair<std::uint64_t, std::uint64_t> allocate(std::span<const VersionId> ancestry,
                                                   std::uint64_t count, const std::string& name);

  // "MaxLabel":{...},"MaxRepoLabel":N as DVID's info writes them (Go sorts the map's keys as
  // strings).
  std::string info_json() const;

 private:
  std::optional<std::uint64_t> inherited_locked(std::span<const VersionId> ancestry) const;

  mutable std::mutex mutex_;
  std::map<VersionId, std::uint64_t> max_label_;
  std::uint64_t max_repo_label_ = 0;
};

}  // namespace dvidxfer::server
