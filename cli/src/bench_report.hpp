// A benchmark's figures as people read them (a table) and as programs read them (JSON): per mode,
// throughput as voxel and wire MB/s, requests/s, request latency percentiles, retries, errors and
// the median seconds per repetition; and dvidxfer's speed relative to the baseline of the run.
#pragma once

#include <optional>
#include <string>

#include "bench_scenario.hpp"

namespace dvidxfer::cli {

// One mode over its successful repetitions (rates use the median repetition time).
struct ModeSummary {
  std::string mode;
  int repetitions = 0;
  int succeeded = 0;
  std::optional<double> median_seconds;
  std::optional<double> voxel_megabytes_per_second;
  std::optional<double> wire_megabytes_per_second;
  std::optional<double> requests_per_second;
  // Process CPU (user + system) per GiB of voxels moved, over the successful repetitions.
  std::optional<double> cpu_seconds_per_gib;
  std::optional<double> latency_p50_ms, latency_p90_ms, latency_p99_ms;
  std::uint64_t retries = 0;
  std::uint64_t errors = 0;
  std::string first_error;
};

ModeSummary summarize(const ModeFigures& figures);

// Baseline median seconds over dvidxfer's: how many times faster dvidxfer moved the box.
std::optional<double> speedup_over_baseline(const BenchResult& result);

// dvidxfer's CPU seconds per GiB over the single-threaded decode reference's (labelarray and
// labelmap GETs): how much CPU the client spends beyond the unavoidable decoding.
std::optional<double> cpu_over_decode_reference(const BenchResult& result);

std::string bench_table(const BenchResult& result);
std::string bench_json(const BenchResult& result);

}  // namespace dvidxfer::cli
