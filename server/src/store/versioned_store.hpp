// The one storage interface the server's data types use: values keyed by (instance, key),
// written at a version and read through a version's ancestry, so a persistent store can replace
// the in-memory one without touching the handlers.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dvidxfer::server {

using InstanceId = std::uint64_t;  // server-local id of a data instance
using VersionId = std::uint32_t;   // server-local id of a version node (DVID's VersionID)

// Values are shared, not copied, so a read of a large value costs no copy under the lock.
using StoredValue = std::shared_ptr<const std::string>;

struct KeyValueEntry {
  std::string key;
  StoredValue value;
};

class VersionedStore {
 public:
  virtual ~VersionedStore() = default;

  virtual void put(InstanceId instance, VersionId version, std::string_view key,
                   StoredValue value) = 0;
  // Writes a tombstone: the key disappears at `version` and its descendants only.
  virtual void erase(InstanceId instance, VersionId version, std::string_view key) = 0;

  // `ancestry` lists the versions a read sees, nearest first (the node, then Parents[0] upward);
  // the first version holding a value or a tombstone for the key decides.
  virtual StoredValue get(InstanceId instance, std::span<const VersionId> ancestry,
                          std::string_view key) const = 0;

  // Live keys with first <= key <= last in byte order (no upper bound when `last` is empty),
  // in byte order, with their values.
  virtual std::vector<KeyValueEntry> scan(InstanceId instance, std::span<const VersionId> ancestry,
                                          std::string_view first,
                                          std::optional<std::string_view> last) const = 0;
};

}  // namespace dvidxfer::server
