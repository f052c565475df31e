#include "faults/fault_control.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <optional>
#include <string>
#include <variant>

namespace dvidxfer::server {
namespace {

constexpr std::string_view kPath = "/api/server/faults";

std::string describe(const FaultConfig& config, const FaultCounters& counters) {
  return fmt::format(
      "{{\"config\":{{\"seed\":{},\"latency_ms\":{},\"bandwidth_bytes_per_second\":{},"
      "\"rate_503\":{},\"rate_500\":{},\"rate_reset\":{},\"rate_truncate\":{}}},"
      "\"counters\":{{\"requests\":{},\"injected_503\":{},\"injected_500\":{},\"resets\":{},"
      "\"truncations\":{}}}}}",
      config.seed, config.latency.count(), config.bandwidth_bytes_per_second, config.rate_503,
      config.rate_500, config.rate_reset, config.rate_truncate, counters.requests,
      counters.injected_503, counters.injected_500, counters.resets, counters.truncations);
}

HttpResponse bad_request(std::string_view message) {
  return HttpResponse::text(400, fmt::format("{} ({}).\n", message, kPath));
}

// A non-negative JSON number that fits an unsigned 64-bit integer, or nullopt.
std::optional<std::uint64_t> read_count(simdjson::dom::element value) {
  std::uint64_t exact = 0;
  if (value.get_uint64().get(exact) == simdjson::SUCCESS) return exact;
  double number = 0;
  if (value.get_double().get(number) != simdjson::SUCCESS) return std::nullopt;
  if (!(number >= 0) || number >= 0x1.0p64) return std::nullopt;
  return static_cast<std::uint64_t>(number);
}

std::optional<double> read_rate(simdjson::dom::element value) {
  double rate = 0;
  if (value.get_double().get(rate) != simdjson::SUCCESS) return std::nullopt;
  if (!(rate >= 0 && rate <= 1)) return std::nullopt;
  return rate;
}

// Parses a POST body into a complete configuration, or returns the reason it is rejected.
std::variant<FaultConfig, std::string> parse_config(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(body).get(object) != simdjson::SUCCESS)
    return std::string("fault configuration must be a JSON object");
  FaultConfig config;
  for (const auto [key, value] : object) {
    if (key == "seed" || key == "latency_ms" || key == "bandwidth_bytes_per_second") {
      const auto count = read_count(value);
      if (!count) return fmt::format("'{}' must be a non-negative number", key);
      if (key == "seed") config.seed = *count;
      if (key == "latency_ms") config.latency = std::chrono::milliseconds(*count);
      if (key == "bandwidth_bytes_per_second") config.bandwidth_bytes_per_second = *count;
    } else if (key == "rate_503" || key == "rate_500" || key == "rate_reset" ||
               key == "rate_truncate") {
      const auto rate = read_rate(value);
      if (!rate) return fmt::format("'{}' must be a number between 0 and 1", key);
      if (key == "rate_503") config.rate_503 = *rate;
      if (key == "rate_500") config.rate_500 = *rate;
      if (key == "rate_reset") config.rate_reset = *rate;
      if (key == "rate_truncate") config.rate_truncate = *rate;
    } else {
      return fmt::format("unknown fault setting '{}'", key);
    }
  }
  return config;
}

}  // namespace

bool is_fault_control_request(const HttpRequest& request) {
  return request.path == kPath || request.path == std::string(kPath) + "/";
}

HttpResponse handle_fault_control(const HttpRequest& request, FaultInjector& faults) {
  if (request.method == "POST") {
    auto parsed = parse_config(request.body);
    if (auto* reason = std::get_if<std::string>(&parsed)) return bad_request(*reason);
    faults.configure(std::get<FaultConfig>(parsed));
  } else if (request.method != "GET" && request.method != "HEAD") {
    HttpResponse response = HttpResponse::text(405, "405 method not allowed\n");
    response.headers.emplace_back("Allow", "GET, HEAD, POST");
    return response;
  }
  return HttpResponse::json(describe(faults.config(), faults.counters()));
}

}  // namespace dvidxfer::server
