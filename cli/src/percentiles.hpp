// Percentiles of measured samples (latencies, durations) by linear interpolation between the
// closest ranks, as numpy's default does.
#pragma once

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

namespace dvidxfer::cli {

// The p-th percentile (p in [0, 100]) of `samples`; std::nullopt when there are none.
inline std::optional<double> percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return std::nullopt;
  std::sort(samples.begin(), samples.end());
  const double rank = p / 100.0 * static_cast<double>(samples.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(rank));
  const auto above = std::min(below + 1, samples.size() - 1);
  return samples[below] + (samples[above] - samples[below]) * (rank - static_cast<double>(below));
}

}  // namespace dvidxfer::cli
