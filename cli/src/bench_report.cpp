#include "bench_report.hpp"

#include <fmt/format.h>

#include <vector>

#include "dvidxfer/codecs/json_writer.hpp"
#include "percentiles.hpp"

namespace dvidxfer::cli {

namespace {

std::string operation_name(BenchOperation operation) {
  return operation == BenchOperation::get ? "GET" : "PUT";
}

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

std::string wire_name(const BenchScenario& scenario) {
  const bool get = scenario.operation == BenchOperation::get;
  const auto& labels = scenario.switches;
  if (has_label_blocks(scenario.type)) {
    const std::string dense = labels.compress ? "raw lz4" : "raw";
    if (get && labels.label_read.wire == LabelWire::raw) return dense;
    const std::string blocks =
        !get ? (labels.label_write.ingest_supervoxels ? "gzip'd blocks to /ingest-supervoxels"
                                                      : "gzip'd blocks")
             : "stored blocks";
    return fmt::format("{} (baseline: {})", blocks, dense);
  }
  if (!labels.compress) return "raw";
  if (is_label_type(scenario.type)) return "lz4";
  return get ? "stored blocks: lz4 or JPEG (baseline: raw)" : "raw";
}

// ", scale 1, supervoxels, downres": the labelarray/labelmap options that are not defaults.
std::string label_settings(const BenchScenario& scenario) {
  if (!has_label_blocks(scenario.type)) return "";
  const auto& switches = scenario.switches;
  std::string out = fmt::format(", scale {}", switches.label_read.scale);
  if (scenario.operation == BenchOperation::get) {
    if (switches.label_read.supervoxels) out += ", supervoxels";
  } else {
    if (switches.label_write.downres) out += ", downres";
    if (switches.label_write.noindexing) out += ", noindexing";
  }
  return out;
}

std::string volume_name(VolumeSource volume) {
  switch (volume) {
    case VolumeSource::synthetic:
      return "synthetic";
    case VolumeSource::fixtures:
      return "fixtures";
    case VolumeSource::stored:
      return "stored";
  }
  return "?";
}
std::string count_text(std::uint64_t value) {
  return value == 0 ? "auto" : std::to_string(value);
}

std::string cell(const std::optional<double>& value, int precision) {
  return value ? fmt::format("{:.{}f}", *value, precision) : "-";
}

std::string json_number(const std::optional<double>& value) {
  return value ? fmt::format("{}", *value) : "null";
}

const ModeFigures* mode_named(const BenchResult& result, const std::string& name) {
  for (const auto& mode : result.modes)
    if (mode.mode == name) return &mode;
  return nullptr;
}

}  // namespace

ModeSummary summarize(const ModeFigures& figures) {
  ModeSummary summary;
  summary.mode = figures.mode;
  summary.repetitions = static_cast<int>(figures.repetitions.size());
  std::vector<double> seconds, voxel_bytes, wire_bytes, requests, latencies;
  double cpu_seconds = 0, cpu_voxel_bytes = 0;
  for (const auto& repetition : figures.repetitions) {
    summary.retries += repetition.retries;
    summary.errors += repetition.errors;
    if (summary.first_error.empty()) summary.first_error = repetition.error_message;
    if (!repetition.succeeded) continue;
    ++summary.succeeded;
    seconds.push_back(repetition.seconds);
    voxel_bytes.push_back(static_cast<double>(repetition.voxel_bytes));
    wire_bytes.push_back(static_cast<double>(repetition.wire_bytes));
    requests.push_back(static_cast<double>(repetition.requests));
    cpu_seconds += repetition.cpu_seconds;
    cpu_voxel_bytes += static_cast<double>(repetition.voxel_bytes);
    latencies.insert(latencies.end(), repetition.request_latency_ms.begin(),
                     repetition.request_latency_ms.end());
  }
  summary.median_seconds = percentile(seconds, 50);
  if (summary.median_seconds && *summary.median_seconds > 0) {
    const double median = *summary.median_seconds;
    summary.voxel_megabytes_per_second = *percentile(voxel_bytes, 50) / 1e6 / median;
    summary.wire_megabytes_per_second = *percentile(wire_bytes, 50) / 1e6 / median;
    summary.requests_per_second = *percentile(requests, 50) / median;
  }
  if (cpu_voxel_bytes > 0) summary.cpu_seconds_per_gib = cpu_seconds / (cpu_voxel_bytes / kGiB);
  summary.latency_p50_ms = percentile(latencies, 50);
  summary.latency_p90_ms = percentile(latencies, 90);
  summary.latency_p99_ms = percentile(latencies, 99);
  return summary;
}

std::optional<double> speedup_over_baseline(const BenchResult& result) {
  const auto* dvidxfer = mode_named(result, "dvidxfer");
  const auto* baseline = mode_named(result, "baseline");
  if (!dvidxfer || !baseline) return std::nullopt;
  const auto fast = summarize(*dvidxfer).median_seconds;
  const auto slow = summarize(*baseline).median_seconds;
  if (!fast || !slow || *fast <= 0) return std::nullopt;
  return *slow / *fast;
}

std::optional<double> cpu_over_decode_reference(const BenchResult& result) {
  const auto* dvidxfer = mode_named(result, "dvidxfer");
  if (!dvidxfer || !result.decode_reference) return std::nullopt;
  const auto cpu = summarize(*dvidxfer).cpu_seconds_per_gib;
  const double reference = result.decode_reference->seconds_per_gib();
  if (!cpu || reference <= 0) return std::nullopt;
  return *cpu / reference;
}

std::string bench_table(const BenchResult& result) {
  const auto& s = result.scenario;
  std::string out = fmt::format(
      "{} {} of '{}': shape z,y,x {},{},{} at {},{},{}{}, {} volume, {}, throttle {}, concurrency "
      "{}, chunk bytes {}, {} repetition{}\n",
      type_name(s.type), operation_name(s.operation), s.instance, s.shape[0], s.shape[1],
      s.shape[2], s.offset[0], s.offset[1], s.offset[2], label_settings(s), volume_name(s.volume),
      wire_name(s), s.switches.throttle ? "on" : "off", count_text(s.concurrency),
      count_text(s.chunk_bytes), s.repetitions, s.repetitions == 1 ? "" : "s");
  out += fmt::format("{:<9} {:>10} {:>9} {:>10} {:>8} {:>8} {:>8} {:>7} {:>6} {:>9} {:>9}\n",
                     "mode", "voxel MB/s", "wire MB/s", "requests/s", "p50 ms", "p90 ms", "p99 ms",
                     "retries", "errors", "s/rep", "CPU s/GiB");
  std::string failures;
  for (const auto& mode : result.modes) {
    const auto m = summarize(mode);
    out +=
        fmt::format("{:<9} {:>10} {:>9} {:>10} {:>8} {:>8} {:>8} {:>7} {:>6} {:>9} {:>9}\n", m.mode,
                    cell(m.voxel_megabytes_per_second, 1), cell(m.wire_megabytes_per_second, 1),
                    cell(m.requests_per_second, 1), cell(m.latency_p50_ms, 1),
                    cell(m.latency_p90_ms, 1), cell(m.latency_p99_ms, 1), m.retries, m.errors,
                    cell(m.median_seconds, 3), cell(m.cpu_seconds_per_gib, 3));
    if (!m.first_error.empty())
      failures += fmt::format("{}: {} of {} repetitions failed; first: {}\n", m.mode,
                              m.repetitions - m.succeeded, m.repetitions, m.first_error);
  }
  if (const auto speedup = speedup_over_baseline(result))
    out += fmt::format("dvidxfer is {:.2f}x the baseline's speed (median seconds per repetition)\n",
                       *speedup);
  if (const auto& reference = result.decode_reference) {
    out += fmt::format(
        "one thread's gunzip + decode of the same {} stored blocks ({:.2f} MB): {:.3f} CPU s/GiB "
        "({:.3f} s of its CPU, {:.3f} s wall){}\n",
        reference->blocks, static_cast<double>(reference->stored_bytes) / 1e6,
        reference->seconds_per_gib(), reference->cpu_seconds, reference->wall_seconds,
        reference->matches ? "" : " (DECODED VOXELS DIFFER)");
    if (const auto ratio = cpu_over_decode_reference(result))
      out += fmt::format(
          "dvidxfer's client CPU is {:.2f}x that (process user+sys per GiB{}; goal <= 1.25x)\n",
          *ratio, s.server_in_process ? ", the in-process server's included" : "");
  }
  if (!result.decode_reference_error.empty())
    failures += "decode reference failed: " + result.decode_reference_error + "\n";
  return out + failures;
}

std::string bench_json(const BenchResult& result) {
  const auto& s = result.scenario;
  std::string out = "{\"scenario\":{";
  out += fmt::format(
      "\"server\":{},\"uuid\":{},\"instance\":{},\"type\":\"{}\",\"op\":\"{}\","
      "\"shape_zyx\":[{},{},{}],\"offset_zyx\":[{},{},{}],\"voxel_bytes\":{},\"compress\":{},"
      "\"throttle\":{},\"concurrency\":{},\"chunk_bytes\":{},\"repetitions\":{},"
      "\"volume\":\"{}\",\"wire\":{},\"scale\":{},\"supervoxels\":{}}}",
      codecs::json_quote(s.server), codecs::json_quote(s.uuid), codecs::json_quote(s.instance),
      type_name(s.type), s.operation == BenchOperation::get ? "get" : "put", s.shape[0], s.shape[1],
      s.shape[2], s.offset[0], s.offset[1], s.offset[2], volume_bytes(s.type, s.shape),
      s.switches.compress, s.switches.throttle,
      s.concurrency == 0 ? "\"auto\"" : std::to_string(s.concurrency),
      s.chunk_bytes == 0 ? "\"auto\"" : std::to_string(s.chunk_bytes), s.repetitions,
      volume_name(s.volume), codecs::json_quote(wire_name(s)), s.switches.label_read.scale,
      s.switches.label_read.supervoxels);
  if (const auto& network = s.emulated_network)
    out +=
        fmt::format(",\"emulated_network\":{{\"latency_ms\":{},\"bandwidth_bytes_per_second\":{}}}",
                    network->latency.count(), network->bandwidth_bytes_per_second);
  else
    out += ",\"emulated_network\":null";
  // The ClientOptions dvidxfer's mode ran with, as a --config file or the flags set them.
  const auto& c = s.client;
  out += fmt::format(
      ",\"client\":{{\"max_connections\":{},\"io_threads\":{},\"connect_timeout_ms\":{},"
      "\"inactivity_timeout_ms\":{},\"request_timeout_ms\":{},\"max_attempts\":{},"
      "\"initial_backoff_ms\":{},\"max_backoff_ms\":{},\"max_response_bytes\":{}}}",
      c.max_connections, c.io_threads, c.connect_timeout.count(), c.inactivity_timeout.count(),
      c.request_timeout.count(), c.max_attempts, c.initial_backoff.count(), c.max_backoff.count(),
      c.max_response_bytes);
  out += ",\"modes\":[";
  for (std::size_t i = 0; i < result.modes.size(); ++i) {
    const auto& mode = result.modes[i];
    const auto m = summarize(mode);
    std::string seconds;
    for (const auto& repetition : mode.repetitions)
      seconds += (seconds.empty() ? "" : ",") + fmt::format("{}", repetition.seconds);
    out += fmt::format(
        "{}{{\"mode\":{},\"repetitions\":{},\"succeeded\":{},\"seconds_median\":{},"
        "\"voxel_mb_per_s\":{},\"wire_mb_per_s\":{},\"requests_per_s\":{},"
        "\"latency_ms\":{{\"p50\":{},\"p90\":{},\"p99\":{}}},\"retries\":{},\"errors\":{},"
        "\"cpu_seconds_per_gib\":{},\"seconds_per_repetition\":[{}],\"first_error\":{}}}",
        i == 0 ? "" : ",", codecs::json_quote(m.mode), m.repetitions, m.succeeded,
        json_number(m.median_seconds), json_number(m.voxel_megabytes_per_second),
        json_number(m.wire_megabytes_per_second), json_number(m.requests_per_second),
        json_number(m.latency_p50_ms), json_number(m.latency_p90_ms), json_number(m.latency_p99_ms),
        m.retries, m.errors, json_number(m.cpu_seconds_per_gib), seconds,
        m.first_error.empty() ? "null" : codecs::json_quote(m.first_error));
  }
  out += "],\"speedup_over_baseline\":" + json_number(speedup_over_baseline(result));
  if (const auto& reference = result.decode_reference)
    out += fmt::format(
        ",\"decode_reference\":{{\"blocks\":{},\"stored_bytes\":{},\"cpu_seconds\":{},"
        "\"wall_seconds\":{},\"cpu_seconds_per_gib\":{},\"matches\":{}}}",
        reference->blocks, reference->stored_bytes, reference->cpu_seconds, reference->wall_seconds,
        reference->seconds_per_gib(), reference->matches);
  else
    out += ",\"decode_reference\":null";
  out += ",\"cpu_over_decode_reference\":" + json_number(cpu_over_decode_reference(result)) + "}\n";
  return out;
}

}  // namespace dvidxfer::cli
