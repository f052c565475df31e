#include "store/memory_store.hpp"

#include <mutex>

namespace dvidxfer::server {

StoredValue MemoryStore::visible(const Versions& versions, std::span<const VersionId> ancestry) {
  for (VersionId version : ancestry) {
    auto it = versions.find(version);
    if (it != versions.end()) return it->second;
  }
  return nullptr;
}

void MemoryStore::write(InstanceId instance, VersionId version, std::string_view key,
                        StoredValue value) {
  std::unique_lock lock(mutex_);
  Keys& keys = instances_[instance];
  auto it = keys.find(key);
  if (it == keys.end()) it = keys.emplace(std::string(key), Versions{}).first;
  it->second[version] = std::move(value);
}

void MemoryStore::put(InstanceId instance, VersionId version, std::string_view key,
                      StoredValue value) {
  if (!value) value = std::make_shared<const std::string>();
  write(instance, version, key, std::move(value));
}

void MemoryStore::erase(InstanceId instance, VersionId version, std::string_view key) {
  write(instance, version, key, nullptr);
}

StoredValue MemoryStore::get(InstanceId instance, std::span<const VersionId> ancestry,
                             std::string_view key) const {
  std::shared_lock lock(mutex_);
  auto keys = instances_.find(instance);
  if (keys == instances_.end()) return nullptr;
  auto it = keys->second.find(key);
  if (it == keys->second.end()) return nullptr;
  return visible(it->second, ancestry);
}

std::vector<KeyValueEntry> MemoryStore::scan(InstanceId instance,
                                             std::span<const VersionId> ancestry,
                                             std::string_view first,
                                             std::optional<std::string_view> last) const {
  std::vector<KeyValueEntry> entries;
  std::shared_lock lock(mutex_);
  auto keys = instances_.find(instance);
  if (keys == instances_.end()) return entries;
  for (auto it = keys->second.lower_bound(first); it != keys->second.end(); ++it) {
    if (last && std::string_view(it->first) > *last) break;
    if (StoredValue value = visible(it->second, ancestry))
      entries.push_back({it->first, std::move(value)});
  }
  return entries;
}

}  // namespace dvidxfer::server
