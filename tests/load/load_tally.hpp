// LoadTally: what the load test's clients did and saw, summed over clients for the report.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dvidxfer::load {

enum class Operation { kv_put, kv_get, kv_keys, gray_put, gray_get, labels_put, labels_get };
inline constexpr std::size_t kOperationCount = 7;
const char* operation_name(Operation operation);

struct LoadTally {
  std::array<std::uint64_t, kOperationCount> completed{};
  std::array<std::uint64_t, kOperationCount> failed{};
  std::map<std::string, std::uint64_t> failure_reasons;  // "<operation>: <why>" -> calls
  std::uint64_t pipelined_steps = 0;  // steps with four calls in flight (counted above by kind)
  // Per object (a key, a block): writes the server acknowledged, writes whose call failed.
  std::uint64_t kv_writes_acknowledged = 0, block_writes_acknowledged = 0;
  std::uint64_t writes_unknown = 0;
  // Reads under load whose answer was checked, and those that returned wrong data as success.
  std::uint64_t reads_checked = 0, wrong_reads = 0;
  std::vector<std::string> problems;  // the first few wrong answers, described

  void add_problem(std::string description);
  void merge(const LoadTally& other);
};

// The final read-back (faults off) of every object.
struct FinalCheck {
  std::uint64_t objects = 0;
  std::uint64_t verified = 0;       // holding their last acknowledged write
  std::uint64_t never_written = 0;  // no write acknowledged, and none landed
  std::uint64_t later_unknown = 0;  // holding a write of unknown outcome issued after the last ack
  std::uint64_t lost = 0;           // an acknowledged write missing (stale value)
  std::uint64_t corrupt = 0;        // a value no write left
  std::uint64_t read_failures = 0;  // read-back calls that failed (faults are off: a bug)
  std::vector<std::string> problems;

  void add_problem(std::string description);
};

}  // namespace dvidxfer::load
