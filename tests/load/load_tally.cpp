#include "load_tally.hpp"

namespace dvidxfer::load {
namespace {
constexpr std::size_t kMaxProblems = 20;
}

const char* operation_name(Operation operation) {
  switch (operation) {
    case Operation::kv_put:
      return "kv put";
    case Operation::kv_get:
      return "kv get";
    case Operation::kv_keys:
      return "kv keys";
    case Operation::gray_put:
      return "gray put";
    case Operation::gray_get:
      return "gray get";
    case Operation::labels_put:
      return "labels put";
    case Operation::labels_get:
      return "labels get";
  }
  return "?";
}

void LoadTally::add_problem(std::string description) {
  if (problems.size() < kMaxProblems) problems.push_back(std::move(description));
}

void LoadTally::merge(const LoadTally& other) {
  for (std::size_t i = 0; i < kOperationCount; ++i) {
    completed[i] += other.completed[i];
    failed[i] += other.failed[i];
  }
  for (const auto& [reason, count] : other.failure_reasons) failure_reasons[reason] += count;
  pipelined_steps += other.pipelined_steps;
  kv_writes_acknowledged += other.kv_writes_acknowledged;
  block_writes_acknowledged += other.block_writes_acknowledged;
  writes_unknown += other.writes_unknown;
  reads_checked += other.reads_checked;
  wrong_reads += other.wrong_reads;
  for (const auto& problem : other.problems) add_problem(problem);
}

void FinalCheck::add_problem(std::string description) {
  if (problems.size() < kMaxProblems) problems.push_back(std::move(description));
}

}  // namespace dvidxfer::load
