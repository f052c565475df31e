// A labelgraph's transaction log (datatype/labelgraph transactionLog): optimistic locking of
// vertices for property transactions. Each vertex has a transaction id; a reading group locks
// the vertices it names and hands their ids out, a writing group locks only vertices whose id the
// client presents and gives them a new id when it closes. A locked vertex (id 0) cannot join
// another group. Per instance, not per version, as in DVID. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "types/labelgraph/labelgraph_json.hpp"

namespace dvidxfer::server {

// DVID's limit on the vertices of one transaction.
inline constexpr std::size_t kMaxTransactionVertices = 1000;

class TransactionLog;

// The vertices one request locked, released (with their new ids) when it is destroyed.
class TransactionGroup {
 public:
  TransactionGroup(TransactionGroup&& other) noexcept
      : log_(std::exchange(other.log_, nullptr)),
        locked_(std::move(other.locked_)),
        failed_(std::move(other.failed_)) {}
  TransactionGroup& operator=(TransactionGroup&&) = delete;
  ~TransactionGroup();

  bool locked(std::uint64_t vertex) const;
  // uint64 LE: nLocked, (vertex, transaction id) each, nFailed, vertex each.
  std::string binary() const;

 private:
  friend class TransactionLog;
  explicit TransactionGroup(TransactionLog& log) : log_(&log) {}

  TransactionLog* log_;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> locked_;  // in request order
  std::vector<std::uint64_t> failed_;  // busy vertices first, then outdated ones, as DVID lists
};

class TransactionLog {
 public:
  // Locks what it can of `vertices` (id, presented transaction id). Throws DvidError "Do not
  // support transaction with over 1000 ids" for more than 1000.
  TransactionGroup open(const std::vector<GraphTransaction>& vertices, bool read_only);

 private:
  friend class TransactionGroup;
  void close(const std::vector<std::pair<std::uint64_t, std::uint64_t>>& locked);

  std::mutex mutex_;
  std::unordered_map<std::uint64_t, std::uint64_t> transactions_;  // 0 while locked
  std::uint64_t next_id_ = 1;
};

}  // namespace dvidxfer::server
