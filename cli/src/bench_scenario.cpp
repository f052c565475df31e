#include "bench_scenario.hpp"

#include <fmt/format.h>
#include <sys/resource.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>

#include "baseline_transfer.hpp"
#include "dvidxfer/errors.hpp"

namespace dvidxfer::cli {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// User + system CPU of the process so far: every thread's, the client's pools included.
double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& time) {
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// What every GET answer must equal: the written voxels, or else the first complete answer.
class AnswerCheck {
 public:
  explicit AnswerCheck(const VoxelBuffer* expected) : expected_(expected) {}

  // False when `answer` differs from the reference; the first answer becomes the reference when
  // there is none.
  bool accept(std::span<const char> answer, std::optional<VoxelBuffer>& owned_answer) {
    if (const auto* reference = expected_ ? expected_ : (first_ ? &*first_ : nullptr))
      return reference->size() == answer.size() &&
             std::memcmp(reference->data(), answer.data(), answer.size()) == 0;
    if (owned_answer) first_.emplace(std::move(*owned_answer));
    return true;
  }

  // What answers are checked against, once known.
  const VoxelBuffer* reference() const {
    return expected_ ? expected_ : (first_ ? &*first_ : nullptr);
  }

 private:
  const VoxelBuffer* expected_;
  std::optional<VoxelBuffer> first_;
};

void record_failure(RepetitionFigures& figures, std::uint64_t errors, const std::string& message) {
  figures.succeeded = false;
  figures.errors += errors;
  if (figures.error_message.empty()) figures.error_message = message;
}

RepetitionFigures dvidxfer_once(NodeService& node, const BenchScenario& scenario,
                                const VoxelBuffer* voxels, AnswerCheck& check) {
  RepetitionFigures figures;
  TransferOptions options;
  options.max_in_flight = scenario.concurrency;
  options.chunk_bytes = scenario.chunk_bytes;
  options.statistics = std::make_shared<TransferStatistics>();
  // A fresh buffer per call, as a caller of get_labels3D gets one (page faults included).
  std::optional<VoxelBuffer> answer;
  if (scenario.operation == BenchOperation::get)
    answer.emplace(volume_bytes(scenario.type, scenario.shape));
  const auto cpu_before = process_cpu_seconds();
  const auto started = Clock::now();
  try {
    if (scenario.operation == BenchOperation::get)
      get_volume(node, scenario.instance, scenario.type, scenario.shape, scenario.offset,
                 answer->bytes(), scenario.switches, options);
    else
      put_volume(node, scenario.instance, scenario.type, scenario.shape, scenario.offset,
                 voxels->bytes(), scenario.switches, options);
    figures.seconds = seconds_since(started);
    figures.cpu_seconds = process_cpu_seconds() - cpu_before;
    figures.succeeded = true;
  } catch (const VolumeTransferError& error) {
    figures.seconds = seconds_since(started);
    record_failure(figures, error.failed_chunks().size() + error.unsent_chunks().size(),
                   error.what());
    return figures;
  } catch (const Error& error) {
    figures.seconds = seconds_since(started);
    record_failure(figures, 1, error.what());
    return figures;
  }
  const auto& statistics = *options.statistics;
  figures.voxel_bytes = statistics.voxel_bytes;
  figures.wire_bytes = statistics.wire_bytes;
  figures.requests = statistics.requests;
  figures.retries = statistics.retries;
  figures.request_latency_ms = statistics.chunk_latency_ms;
  if (answer && !check.accept(answer->bytes(), answer))
    record_failure(figures, 1, "the voxels read differ from the reference");
  return figures;
}

RepetitionFigures baseline_once(NodeService& node, const BenchScenario& scenario,
                                const VoxelBuffer* voxels, AnswerCheck& check) {
  RepetitionFigures figures;
  const BaselineSwitches switches{scenario.switches.throttle, scenario.switches.compress,
                                  scenario.switches.mutate, scenario.switches.label_read.scale,
                                  scenario.switches.label_read.supervoxels};
  BaselineExchange exchange;
  std::string answer;
  const auto cpu_before = process_cpu_seconds();
  const auto started = Clock::now();
  try {
    if (scenario.operation == BenchOperation::get)
      answer = baseline_get(node, scenario.instance, scenario.type, scenario.shape, scenario.offset,
                            switches, exchange);
    else
      baseline_put(node, scenario.instance, scenario.type, scenario.shape, scenario.offset,
                   voxels->bytes(), switches, exchange);
    figures.seconds = seconds_since(started);
    figures.cpu_seconds = process_cpu_seconds() - cpu_before;
    figures.succeeded = true;
  } catch (const Error& error) {
    figures.seconds = seconds_since(started);
    figures.requests = 1;
    record_failure(figures, 1, error.what());
    return figures;
  }
  figures.voxel_bytes = volume_bytes(scenario.type, scenario.shape);
  figures.wire_bytes = exchange.wire_bytes;
  figures.requests = 1;
  figures.request_latency_ms = {exchange.request_ms};
  std::optional<VoxelBuffer> not_kept;
  if (scenario.operation == BenchOperation::get && !check.accept(answer, not_kept))
    record_failure(figures, 1, "the voxels read differ from the reference");
  return figures;
}

}  // namespace

BenchResult run_scenario(const BenchScenario& scenario, const VoxelBuffer* voxels) {
  if (scenario.operation == BenchOperation::put && !voxels)
    throw std::invalid_argument("run_scenario: a PUT needs the voxels to write");
  NodeService node(scenario.server, scenario.uuid, "anonymous", "dvidxfer-bench", "", 0,
                   scenario.client);
  // libdvid: one service, one curl handle, one connection.
  ClientOptions single_connection;
  single_connection.max_connections = 1;
  single_connection.auth_token = scenario.client.auth_token;
  single_connection.tls_ca_file = scenario.client.tls_ca_file;
  std::optional<NodeService> baseline_node;
  if (scenario.baseline)
    baseline_node.emplace(scenario.server, scenario.uuid, "anonymous", "dvidxfer-bench", "", 0,
                          single_connection);

  BenchResult result;
  result.scenario = scenario;
  result.modes.push_back({"dvidxfer", {}});
  if (scenario.baseline) result.modes.push_back({"baseline", {}});
  AnswerCheck check(scenario.operation == BenchOperation::get ? voxels : nullptr);
  // Alternating, so that both modes see the same state of the machine.
  for (int repetition = 0; repetition < scenario.repetitions; ++repetition) {
    result.modes[0].repetitions.push_back(dvidxfer_once(node, scenario, voxels, check));
    if (baseline_node)
      result.modes[1].repetitions.push_back(baseline_once(*baseline_node, scenario, voxels, check));
  }
  const bool stored_blocks = has_label_blocks(scenario.type) ||
                             (scenario.type == VolumeType::uint8blk && scenario.switches.compress);
  if (stored_blocks && scenario.operation == BenchOperation::get) {
    try {
      result.decode_reference = measure_decode_reference(
          node, scenario.instance, scenario.type, scenario.shape, scenario.offset,
          scenario.switches.label_read, check.reference());
    } catch (const Error& error) {
      result.decode_reference_error = error.what();
    }
  }
  return result;
}

}  // namespace dvidxfer::cli
