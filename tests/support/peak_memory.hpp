// PeakMemory: how far this process's resident memory rose during a stretch of a test. Linux keeps
// the peak resident set (VmHWM in /proc/self/status); writing 5 to /proc/self/clear_refs resets
// it to the current resident set, so the rise is measured from the start of the stretch even
// when earlier work in the process peaked higher. The peak virtual size (VmPeak) cannot be reset;
// its rise shows address space reserved without being touched (a huge up-front allocation).
#pragma once

#include <cstdint>

namespace dvidxfer::testing {

class PeakMemory {
 public:
  // Resets the peak and notes the resident set now.
  PeakMemory();
  // Peak resident set since construction minus the resident set at construction, in bytes.
  std::int64_t rise_bytes() const;
  // Peak virtual size now minus the peak virtual size at construction, in bytes.
  std::int64_t virtual_rise_bytes() const;
  // False when the kernel refused the reset: then rise_bytes() only counts growth beyond the
  // process's earlier peak, and can understate.
  bool exact() const noexcept { return exact_; }

 private:
  std::int64_t baseline_ = 0;
  std::int64_t virtual_baseline_ = 0;
  bool exact_ = false;
};

}  // namespace dvidxfer::testing
