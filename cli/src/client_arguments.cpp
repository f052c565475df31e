#include "client_arguments.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdint>

namespace dvidxfer::cli {

namespace {

constexpr std::int64_t kOneDayMs = 24 * 3600 * 1000;
constexpr std::size_t kMaxConnections = 4096;  // ClientOptions::validate's bound

std::int64_t bounded(const Arguments& args, const std::string& name, std::int64_t fallback,
                     std::int64_t low, std::int64_t high) {
  const auto value = args.integer(name, fallback);
  if (value < low || value > high)
    throw UsageError(
        fmt::format("{} must be in {}..{}, got {}", args.where(name), low, high, value));
  return value;
}

std::chrono::milliseconds milliseconds(const Arguments& args, const std::string& name,
                                       std::chrono::milliseconds fallback, std::int64_t low) {
  return std::chrono::milliseconds(bounded(args, name, fallback.count(), low, kOneDayMs));
}

}  // namespace

const std::vector<std::string>& client_option_names() {
  static const std::vector<std::string> names = {
      "io-threads",   "connect-timeout-ms", "inactivity-timeout-ms", "request-timeout-ms",
      "max-attempts", "initial-backoff-ms", "max-backoff-ms",        "max-response-bytes",
      "token",        "tls-ca-file"};
  return names;
}

ClientOptions client_options(const Arguments& args, std::size_t max_connections) {
  ClientOptions options;
  if (max_connections > kMaxConnections)
    throw UsageError(fmt::format("{} must be at most {} (connections per server), got {}",
                                 args.where("concurrency"), kMaxConnections, max_connections));
  if (max_connections != 0) options.max_connections = max_connections;
  options.io_threads =
      static_cast<unsigned>(bounded(args, "io-threads", options.io_threads, 1, 256));
  options.connect_timeout = milliseconds(args, "connect-timeout-ms", options.connect_timeout, 1);
  options.inactivity_timeout =
      milliseconds(args, "inactivity-timeout-ms", options.inactivity_timeout, 1);
  options.request_timeout = milliseconds(args, "request-timeout-ms", options.request_timeout, 1);
  options.max_attempts =
      static_cast<int>(bounded(args, "max-attempts", options.max_attempts, 1, 1000));
  options.initial_backoff = milliseconds(args, "initial-backoff-ms", options.initial_backoff, 0);
  options.max_backoff = milliseconds(args, "max-backoff-ms", options.max_backoff, 0);
  if (options.max_backoff < options.initial_backoff)
    throw UsageError(fmt::format("{} ({}) must not be less than {} ({})",
                                 args.where("max-backoff-ms"), options.max_backoff.count(),
                                 args.where("initial-backoff-ms"),
                                 options.initial_backoff.count()));
  options.max_response_bytes = args.bytes("max-response-bytes", options.max_response_bytes);
  if (options.max_response_bytes == 0)
    throw UsageError(fmt::format("{} must be positive", args.where("max-response-bytes")));
  // Empty: the library falls back on DVID_TOKEN.
  options.auth_token = args.text("token", "");
  options.tls_ca_file = args.text("tls-ca-file", "");
  options.validate();
  return options;
}

}  // namespace dvidxfer::cli
