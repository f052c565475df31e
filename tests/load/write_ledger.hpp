// WriteLedger: the writes to one object (a keyvalue key, or one block of a volume) as its only
// writer saw them, and the rule a stored value is judged by: it must be what the last acknowledged
// write left, or what a write issued after it left when that write's outcome is unknown (the call
// failed, so it may or may not have landed). Sequence number 0 stands for "never written".
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace dvidxfer::load {

enum class Verdict {
  last_acknowledged,  // the last acknowledged write (or "never written" when none was)
  later_unknown,      // a write issued after it whose call failed
  stale,              // an older write, or nothing, where an acknowledged write should be: lost
  corrupt,            // no write ever left this
};

class WriteLedger {
 public:
  // Write `seq` (> 0, increasing) was acknowledged by the server.
  void acknowledged(std::uint64_t seq);
  // Write `seq` (> 0, increasing) failed: it may or may not have landed.
  void unknown(std::uint64_t seq);

  std::uint64_t last_acknowledged() const noexcept { return last_acknowledged_; }
  std::uint64_t acknowledged_count() const noexcept { return acknowledged_count_; }
  bool ever_written() const noexcept { return !issued_.empty(); }

  // Which write a stored value came from; `left_by(seq)` says whether the value is exactly what
  // write `seq` leaves (seq 0: what an object never written reads as).
  Verdict judge(const std::function<bool(std::uint64_t)>& left_by) const;

 private:
  std::uint64_t last_acknowledged_ = 0;
  std::uint64_t acknowledged_count_ = 0;
  std::vector<std::uint64_t> unknown_since_;  // failed writes issued after the last acknowledged
  std::vector<std::uint64_t> issued_;         // every write, for telling stale from corrupt
};

const char* verdict_name(Verdict verdict);

}  // namespace dvidxfer::load
