// The in-memory VersionedStore: every written version of every key, behind one shared_mutex.
#pragma once

#include <map>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "store/versioned_store.hpp"

namespace dvidxfer::server {

class MemoryStore final : public VersionedStore {
 public:
  void put(InstanceId instance, VersionId version, std::string_view key,
           StoredValue value) override;
  void erase(InstanceId instance, VersionId version, std::string_view key) override;
  StoredValue get(InstanceId instance, std::span<const VersionId> ancestry,
                  std::string_view key) const override;
  std::vector<KeyValueEntry> scan(InstanceId instance, std::span<const VersionId> ancestry,
                                  std::string_view first,
                                  std::optional<std::string_view> last) const override;

 private:
  // Per key: what each version wrote; a null value is a tombstone.
  using Versions = std::unordered_map<VersionId, StoredValue>;
  using Keys = std::map<std::string, Versions, std::less<>>;

  // The value the nearest version in `ancestry` wrote; null if that was a tombstone or none did.
  static StoredValue visible(const Versions& versions, std::span<const VersionId> ancestry);
  void write(InstanceId instance, VersionId version, std::string_view key, StoredValue value);

  mutable std::shared_mutex mutex_;
  std::unordered_map<InstanceId, Keys> instances_;
};

}  // namespace dvidxfer::server
