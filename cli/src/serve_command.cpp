// dvidxfer serve: the embedded DVID-compatible server until SIGINT or SIGTERM.
#include <fmt/format.h>

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>

#include "arguments.hpp"
#include "commands.hpp"
#include "dvidxfer/server/embedded_server.hpp"

namespace dvidxfer::cli {

namespace {

server::ServerConfig config_from(const Arguments& args) {
  server::ServerConfig config;
  const auto listen = args.text("listen", "127.0.0.1:8000");
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw UsageError("--listen expects HOST:PORT, e.g. 127.0.0.1:0");
  config.host = listen.substr(0, colon);
  if (config.host.size() >= 2 && config.host.front() == '[' && config.host.back() == ']')
    config.host = config.host.substr(1, config.host.size() - 2);
  const auto port_text = listen.substr(colon + 1);
  try {
    std::size_t used = 0;
    const long port = std::stol(port_text, &used);
    if (used != port_text.size() || port < 0 || port > 65535) throw std::out_of_range("port");
    config.port = static_cast<std::uint16_t>(port);
  } catch (const std::exception&) {
    throw UsageError(fmt::format("--listen: port '{}' is not in 0..65535", port_text));
  }
  config.threads = static_cast<unsigned>(args.integer("threads", 2));
  if (config.threads < 1 || config.threads > 256) throw UsageError("--threads must be in 1..256");
  config.admin_token = args.text("admin-token", "");
  config.auth_token = args.text("auth-token", "");
  config.tls_cert_file = args.text("tls-cert", "");
  config.tls_key_file = args.text("tls-key", "");
  if (config.tls_cert_file.empty() != config.tls_key_file.empty())
    throw UsageError("--tls-cert and --tls-key go together");
  config.throttle_limit = static_cast<int>(args.integer("throttle", 1));
  config.max_body_bytes = args.bytes("max-body-bytes", config.max_body_bytes);
  config.max_header_bytes = static_cast<std::size_t>(
      args.bytes("max-header-bytes", static_cast<std::uint64_t>(config.max_header_bytes)));
  const auto seconds = [&](const char* name, std::chrono::milliseconds fallback) {
    const double value = args.number(name, static_cast<double>(fallback.count()) / 1000.0);
    if (!(value > 0.0) || value > 86400.0)
      throw UsageError(fmt::format("--{} must be in (0, 86400] seconds", name));
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(value * 1000.0)));
  };
  config.idle_timeout = seconds("idle-timeout", config.idle_timeout);
  config.header_timeout = seconds("header-timeout", config.header_timeout);
  config.body_timeout = seconds("body-timeout", config.body_timeout);
  config.request_timeout = seconds("request-timeout", config.request_timeout);
  config.response_timeout = seconds("response-timeout", config.response_timeout);
  const std::int64_t max_connections =
      args.integer("max-connections", static_cast<std::int64_t>(config.max_connections));
  if (max_connections < 1) throw UsageError("--max-connections must be at least 1");
  config.max_connections = static_cast<std::size_t>(max_connections);
  config.max_pending_response_bytes =
      args.bytes("max-pending-response-bytes", config.max_pending_response_bytes);

  auto& faults = config.faults;
  faults.seed = static_cast<std::uint64_t>(args.integer("seed", 1));
  faults.latency = std::chrono::milliseconds(args.integer("latency-ms", 0));
  faults.bandwidth_bytes_per_second = args.bytes("bandwidth", 0);
  const auto rate = [&](const char* name) {
    const double value = args.number(name, 0.0);
    if (value < 0.0 || value > 1.0) throw UsageError(fmt::format("--{} must be in [0, 1]", name));
    return value;
  };
  faults.rate_503 = rate("fault-503");
  faults.rate_500 = rate("fault-500");
  faults.rate_reset = rate("fault-reset");
  faults.rate_truncate = rate("fault-truncate");
  return config;
}

// Raises the soft limit on open files (up to the hard one) so that the connection cap, not the
// default of 1024 descriptors, is what bounds the connections.
void allow_open_files(std::size_t max_connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t wanted = std::min<rlim_t>(limit.rlim_max, static_cast<rlim_t>(max_connections) + 64);
  if (wanted <= limit.rlim_cur) return;
  limit.rlim_cur = wanted;
  setrlimit(RLIMIT_NOFILE, &limit);
}

}  // namespace

int run_serve(int argc, char** argv, int first) {
  const Arguments args(argc, argv, first);
  args.allow_only({"listen",
                   "threads",
                   "admin-token",
                   "auth-token",
                   "tls-cert",
                   "tls-key",
                   "throttle",
                   "max-body-bytes",
                   "max-header-bytes",
                   "idle-timeout",
                   "header-timeout",
                   "body-timeout",
                   "request-timeout",
                   "response-timeout",
                   "max-connections",
                   "max-pending-response-bytes",
                   "seed",
                   "latency-ms",
                   "bandwidth",
                   "fault-503",
                   "fault-500",
                   "fault-reset",
                   "fault-truncate"});
  if (!args.positional().empty())
    throw UsageError(fmt::format("unexpected argument '{}'", args.positional().front()));

  // Block the stop signals before any thread starts so that only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const server::ServerConfig config = config_from(args);
  allow_open_files(config.max_connections);
  server::EmbeddedServer server(config);
  std::printf("listening on %s\n", server.url().c_str());
  std::fflush(stdout);

  int received = 0;
  sigwait(&stop_signals, &received);
  server.stop();
  const auto counters = server.fault_counters();
  std::fprintf(stderr, "dvidxfer serve: stopped on %s after %llu requests\n",
               received == SIGINT ? "SIGINT" : "SIGTERM",
               static_cast<unsigned long long>(counters.requests));
  return 0;
}

}  // namespace dvidxfer::cli
