#include "write_ledger.hpp"

namespace dvidxfer::load {

void WriteLedger::acknowledged(std::uint64_t seq) {
  last_acknowledged_ = seq;
  ++acknowledged_count_;
  unknown_since_.clear();
  issued_.push_back(seq);
}

void WriteLedger::unknown(std::uint64_t seq) {
  unknown_since_.push_back(seq);
  issued_.push_back(seq);
}

Verdict WriteLedger::judge(const std::function<bool(std::uint64_t)>& left_by) const {
  if (left_by(last_acknowledged_)) return Verdict::last_acknowledged;
  for (const auto seq : unknown_since_)
    if (left_by(seq)) return Verdict::later_unknown;
  if (left_by(0)) return Verdict::stale;
  for (const auto seq : issued_)
    if (left_by(seq)) return Verdict::stale;
  return Verdict::corrupt;
}

const char* verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::last_acknowledged:
      return "the last acknowledged write";
    case Verdict::later_unknown:
      return "a later write of unknown outcome";
    case Verdict::stale:
      return "an older write (the acknowledged one is lost)";
    case Verdict::corrupt:
      return "bytes no write left";
  }
  return "?";
}

}  // namespace dvidxfer::load
