#include "types/labelgraph/labelgraph_transactions.hpp"

#include <algorithm>

#include "dvid/dvid_errors.hpp"

namespace dvidxfer::server {
namespace {

void append_little_endian64(std::string& out, std::uint64_t value) {
  for (int shift = 0; shift < 64; shift += 8) out += static_cast<char>((value >> shift) & 0xff);
}

}  // namespace

TransactionGroup::~TransactionGroup() {
  if (log_) log_->close(locked_);
}

bool TransactionGroup::locked(std::uint64_t vertex) const {
  return std::any_of(locked_.begin(), locked_.end(),
                     [&](const auto& entry) { return entry.first == vertex; });
}

std::string TransactionGroup::binary() const {
  std::string out;
  append_little_endian64(out, locked_.size());
  for (const auto& [vertex, id] : locked_) {
    append_little_endian64(out, vertex);
    append_little_endian64(out, id);
  }
  append_little_endian64(out, failed_.size());
  for (std::uint64_t vertex : failed_) append_little_endian64(out, vertex);
  return out;
}

TransactionGroup TransactionLog::open(const std::vector<GraphTransaction>& vertices,
                                      bool read_only) {
  if (vertices.size() > kMaxTransactionVertices)
    throw DvidError("Do not support transaction with over 1000 ids");
  TransactionGroup group(*this);
  std::vector<std::uint64_t> busy, outdated;
  std::lock_guard lock(mutex_);
  for (const GraphTransaction& request : vertices) {
    auto found = transactions_.find(request.id);
    std::uint64_t current = found == transactions_.end() ? 0 : found->second;
    // The order of DVID's checks: a never-seen vertex gets an id when reading; a writer must
    // present the current id, and a locked vertex (0) is busy.
    if (found == transactions_.end() && read_only) {
      current = next_id_++;
    } else if (found == transactions_.end() || (!read_only && current != request.trans)) {
      outdated.push_back(request.id);
      continue;
    } else if (current == 0) {
      busy.push_back(request.id);
      continue;
    } else if (!read_only) {
      current = next_id_++;
    }
    transactions_[request.id] = 0;
    group.locked_.emplace_back(request.id, current);
  }
  group.failed_ = std::move(busy);
  group.failed_.insert(group.failed_.end(), outdated.begin(), outdated.end());
  return group;
}

void TransactionLog::close(const std::vector<std::pair<std::uint64_t, std::uint64_t>>& locked) {
  std::lock_guard lock(mutex_);
  for (const auto& [vertex, id] : locked) transactions_[vertex] = id;
}

}  // namespace dvidxfer::server
