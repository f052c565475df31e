// One hostile case run and reported: the call under test is timed, its peak memory rise measured
// and its failure classified; report_hostile_case prints one line starting "[hostile-server]"
// (the figures the README's reliability section quotes).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace dvidxfer::testing {

struct CaseOutcome {
  bool threw = false;                   // the call raised an exception
  bool dvidxfer_error = false;          // ... and it was a dvidxfer::Error
  std::string type;                     // "TransportError(timeout)", "DecodeError", ...
  std::string message;                  // what() of the exception
  double seconds = 0;                   // from the call to its end
  std::int64_t memory_rise_bytes = 0;   // peak resident set during the call, above the start
  bool memory_exact = false;            // see PeakMemory::exact
  std::int64_t virtual_rise_bytes = 0;  // see PeakMemory::virtual_rise_bytes
};

// Runs `call`, catching whatever it throws.
CaseOutcome run_hostile_case(const std::function<void()>& call);

// Prints "[hostile-server] <name> | server: <server_did> | client: <type>: <message excerpt> |
// <seconds> s | peak RSS +<MiB> MiB".
void report_hostile_case(std::string_view name, std::string_view server_did,
                         const CaseOutcome& outcome);

}  // namespace dvidxfer::testing
