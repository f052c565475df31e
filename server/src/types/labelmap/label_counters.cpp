#include "types/labelmap/label_counters.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <vector>

#include "dvid/dvid_errors.hpp"
#include "gocompat/go_format.hpp"

namespace dvidxfer::server {

std::optional<std::uint64_t> LabelCounters::inherited_locked(
    std::span<const VersionId> ancestry) const {
  std::optional<std::uint64_t> max;
  for (VersionId version : ancestry)
    if (auto found = max_label_.find(version); found != max_label_.end())
      if (!max || found->second > *max) max = found->second;
  return max;
}

void LabelCounters::raise(std::span<const VersionId> ancestry, std::uint64_t label) {
  if (label == 0) return;
  std::lock_guard lock(mutex_);
  const VersionId version = ancestry.front();
  const auto own = max_label_.find(version);
  if (own != max_label_.end() && own->second >= label) return;
  const std::uint64_t value = std::max(label, inherited_locked(ancestry).value_or(0));
  max_label_[version] = value;
  max_repo_label_ = std::max(max_repo_label_, value);
}

std::optional<std::uint64_t> LabelCounters::inherited_max(
    std::span<const VersionId> ancestry) const {
  std::lock_guard lock(mutex_);
  return inherited_locked(ancestry);
}

std::optional<std::uint64_t> LabelCounters::own_max(VersionId version) const {
  std::lock_guard lock(mutex_);
  const auto found = max_label_.find(version);
  if (found == max_label_.end()) return std::nullopt;
  return found->second;
}

std::uint64_t LabelCounters::repo_max() const {
  std::lock_guard lock(mutex_);
  return max_repo_label_;
}

std::pair<std::uint64_t, std::uint64_t> LabelCounters::allocate(std::span<const VersionId> ancestry,
                                                                std::uint64_t count,
                                                                const std::string& name) {
  if (count == 0) throw DvidError("cannot request 0 new labels, must be 1 or more");
  std::lock_guard lock(mutex_);
  // Labels stay below 2^64 - 1, which DVID reserves as a range sentinel.
  if (count >= std::numeric_limits<std::uint64_t>::max() - max_repo_label_)
    throw DvidError(fmt::format(
        "allocating {} new labels for data {} would overflow uint64 label space (repo max {})",
        count, go_json_string(name), max_repo_label_));
  const std::uint64_t begin = max_repo_label_ + 1;
  max_repo_label_ += count;
  max_label_[ancestry.front()] = max_repo_label_;
  return {begin, max_repo_label_};
}

std::string LabelCounters::info_json() const {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::string, std::uint64_t>> entries;
  for (const auto& [version, label] : max_label_)
    entries.emplace_back(std::to_string(version), label);
  std::sort(entries.begin(), entries.end());
  std::string out = "\"MaxLabel\":{";
  for (const auto& [version, label] : entries) {
    if (out.back() != '{') out += ',';
    out += fmt::format("\"{}\":{}", version, label);
  }
  return out + fmt::format("}},\"MaxRepoLabel\":{}", max_repo_label_);
}

}  // namespace dvidxfer::server
