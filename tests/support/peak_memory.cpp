#include "peak_memory.hpp"

#include <fstream>
#include <string>

namespace dvidxfer::testing {

namespace {

// A "Name:   1234 kB" field of /proc/self/status, in bytes (0 when absent).
std::int64_t status_field(const std::string& name) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.starts_with(name + ":")) return std::stoll(line.substr(name.size() + 1)) * 1024;
  return 0;
}

}  // namespace

PeakMemory::PeakMemory() {
  std::ofstream clear_refs("/proc/self/clear_refs");
  clear_refs << "5" << std::flush;
  exact_ = clear_refs.good();
  baseline_ = exact_ ? status_field("VmRSS") : status_field("VmHWM");
  virtual_baseline_ = status_field("VmPeak");
}

std::int64_t PeakMemory::rise_bytes() const {
  return status_field("VmHWM") - baseline_;
}

std::int64_t PeakMemory::virtual_rise_bytes() const {
  return status_field("VmPeak") - virtual_baseline_;
}

}  // namespace dvidxfer::testing
