// The load test: many clients (256 by default), each a pipeline worker with its own NodeService,
// run mixed keyvalue and volume traffic for a while (60 s by default) against the embedded server
// while it injects faults (503s, 500s, connection resets, truncated answers, latency, a bandwidth
// cap) in changing phases. Then, faults off, every object is read back and judged against what
// its writer was told: an acknowledged write must never be lost, and no call may return wrong
// data as success. Prints a report whose lines start with "[load]"; exits 0 only when nothing
// was lost or wrong.
//
//   dvidxfer_load_test [--clients N] [--seconds S] [--seed N] [--phase-seconds S]
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <latch>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "dvidxfer/node_service.hpp"
#include "dvidxfer/server/embedded_server.hpp"
#include "dvidxfer/server_service.hpp"
#include "load_client.hpp"

using namespace dvidxfer;
using namespace dvidxfer::load;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  int clients = 256;
  double seconds = 60;
  std::uint64_t seed = 1;
  double phase_seconds = 5;
  // How long after the end the last call may take before the run is declared hung: generous,
  // since a call may spend its whole request timeout (120 s) retrying on a loaded machine.
  double hang_seconds = 300;
};

[[noreturn]] void usage(std::string_view problem) {
  fmt::print(stderr,
             "dvidxfer_load_test: {}\nusage: dvidxfer_load_test [--clients N] [--seconds S] "
             "[--seed N] [--phase-seconds S]\n",
             problem);
  std::exit(2);
}

template <class T>
T parse_number(std::string_view name, std::string_view text) {
  T value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= T{})
    usage(fmt::format("{} needs a positive number, not '{}'", name, text));
  return value;
}

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view name = argv[i];
    if (i + 1 >= argc) usage(fmt::format("{} needs a value", name));
    const std::string_view value = argv[++i];
    if (name == "--clients")
      options.clients = parse_number<int>(name, value);
    else if (name == "--seconds")
      options.seconds = parse_number<double>(name, value);
    else if (name == "--seed")
      options.seed = parse_number<std::uint64_t>(name, value);
    else if (name == "--phase-seconds")
      options.phase_seconds = parse_number<double>(name, value);
    else
      usage(fmt::format("unknown option {}", name));
  }
  return options;
}

// Each client holds up to max_connections sockets and the server as many: raise the soft limit
// on open files to what that needs (a CI box may start at 1024).
void ensure_file_descriptors(std::uint64_t needed) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur >= needed) return;
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < needed) {
    fmt::print(stderr, "[load] needs {} open files, but the hard limit is {}\n", needed,
               limit.rlim_max);
    std::exit(2);
  }
  limit.rlim_cur = needed;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    fmt::print(stderr, "[load] could not raise the open-file limit to {}\n", needed);
    std::exit(2);
  }
}

struct FaultPhase {
  const char* name;
  server::FaultConfig faults;
};

// The phases the server cycles through while the clients run, each with its own seed.
std::vector<FaultPhase> fault_phases(std::uint64_t seed) {
  return {
      {"mixed",
       {.seed = seed,
        .rate_503 = 0.05,
        .rate_500 = 0.002,
        .rate_reset = 0.02,
        .rate_truncate = 0.02}},
      {"slow",
       {.seed = seed + 1,
        .latency = 20ms,
        .rate_503 = 0.02,
        .rate_reset = 0.01,
        .rate_truncate = 0.01}},
      {"storm",
       {.seed = seed + 2,
        .rate_503 = 0.3,
        .rate_500 = 0.002,
        .rate_reset = 0.05,
        .rate_truncate = 0.05}},
      {"narrow",
       {.seed = seed + 3,
        .latency = 2ms,
        .bandwidth_bytes_per_second = 20'000'000,
        .rate_503 = 0.01,
        .rate_reset = 0.01,
        .rate_truncate = 0.01}},
  };
}

constexpr std::size_t kClientConnections = 2;

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  ensure_file_descriptors(static_cast<std::uint64_t>(options.clients) * kClientConnections * 2 +
                          512);

  server::ServerConfig config;
  config.threads = 2;
  config.throttle_limit = 1;  // DVID's default: a second throttled call at once gets 503
  server::EmbeddedServer server(config);
  const std::string uuid =
      ServerService(server.url()).create_new_repo("load", "load test under injected faults");
  const LoadLayout layout;
  {
    NodeService admin(server.url(), uuid, "load", "dvidxfer-load-test");
    admin.create_keyvalue(layout.kv_instance);
    admin.create_grayscale8(layout.gray_instance, static_cast<int>(layout.gray_block_size));
    admin.create_labelblk(layout.labels_instance, "", static_cast<int>(layout.labels_block_size));
  }

  // Independent clients: each its own NodeService, I/O thread and connections.
  std::vector<std::unique_ptr<LoadClient>> clients;
  for (int id = 0; id < options.clients; ++id) {
    ClientOptions client_options;
    client_options.io_threads = 1;
    client_options.max_connections = kClientConnections;
    NodeService node(server.url(), uuid, fmt::format("worker{}", id), "dvidxfer-load-test", "", 0,
                     client_options);
    clients.push_back(
        std::make_unique<LoadClient>(id, std::move(node), layout, options.seed * 1'000'003 + id));
  }

  // Every worker starts at once and stops starting calls at `end`.
  const auto duration =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.seconds));
  std::latch ready(options.clients + 1);
  std::mutex mutex;
  std::condition_variable all_done;
  int finished = 0;
  Clock::time_point start, end;
  std::vector<std::thread> workers;
  for (auto& client : clients)
    workers.emplace_back([&, client = client.get()] {
      ready.arrive_and_wait();
      client->run_until(end);
      std::lock_guard lock(mutex);
      if (++finished == options.clients) all_done.notify_all();
    });
  start = Clock::now();
  end = start + duration;
  ready.arrive_and_wait();

  // The fault phases, in turn, until the end; then faults off for the calls still running.
  const auto phases = fault_phases(options.seed);
  const auto phase_length = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options.phase_seconds));
  std::vector<Clock::duration> phase_time(phases.size());
  for (std::size_t turn = 0; Clock::now() < end; ++turn) {
    const auto& phase = phases[turn % phases.size()];
    server.set_faults(phase.faults);
    const auto phase_start = Clock::now();
    std::this_thread::sleep_until(std::min(phase_start + phase_length, end));
    phase_time[turn % phases.size()] += Clock::now() - phase_start;
  }
  server.set_faults({});

  {
    std::unique_lock lock(mutex);
    const auto hang_deadline = end + std::chrono::duration_cast<Clock::duration>(
                                         std::chrono::duration<double>(options.hang_seconds));
    if (!all_done.wait_until(lock, hang_deadline, [&] { return finished == options.clients; })) {
      fmt::print("[load] HANG: {} of {} clients still in a call {:.0f} s after the end:\n",
                 options.clients - finished, options.clients, options.hang_seconds);
      for (std::size_t id = 0; id < clients.size(); ++id)
        if (std::string_view(clients[id]->current_operation()) != "idle")
          fmt::print("[load]   client {}: {}\n", id, clients[id]->current_operation());
      std::fflush(stdout);
      std::_Exit(1);
    }
  }
  const auto stopped = Clock::now();
  for (auto& worker : workers) worker.join();
  const auto counters = server.fault_counters();

  LoadTally tally;
  ClientStatistics http;
  for (const auto& client : clients) {
    tally.merge(client->tally());
    const auto stats = client->statistics();
    http.requests += stats.requests;
    http.attempts += stats.attempts;
    http.retries += stats.retries;
    http.failures += stats.failures;
    http.connections_opened += stats.connections_opened;
  }

  // The read-back, faults off, through a client of its own.
  FinalCheck check;
  {
    ClientOptions reader_options;
    reader_options.max_connections = 8;
    NodeService reader(server.url(), uuid, "verifier", "dvidxfer-load-test", "", 0, reader_options);
    for (const auto& client : clients) client->verify(reader, check);
  }
  // The checker's own test: wrong values planted in client 0's objects must all be caught.
  FinalCheck planted_check;
  int planted = 0;
  {
    NodeService writer(server.url(), uuid, "planter", "dvidxfer-load-test");
    planted = clients.front()->plant_wrong_values(writer);
    clients.front()->verify(writer, planted_check);
  }
  const auto caught = planted_check.lost + planted_check.corrupt;

  // ---- the report ----
  const auto seconds = [](Clock::duration d) { return std::chrono::duration<double>(d).count(); };
  std::uint64_t completed = 0, failed = 0;
  for (std::size_t i = 0; i < kOperationCount; ++i) {
    completed += tally.completed[i];
    failed += tally.failed[i];
  }
  fmt::print(
      "[load] {} clients (each its own NodeService, 1 I/O thread, {} connections), "
      "embedded server in process ({} I/O threads, throttle limit {})\n",
      options.clients, kClientConnections, config.threads, config.throttle_limit);
  fmt::print("[load] duration: calls started for {:.1f} s, the last one ended at {:.1f} s\n",
             seconds(end - start), seconds(stopped - start));
  std::string by_kind;
  for (std::size_t i = 0; i < kOperationCount; ++i)
    by_kind += fmt::format("{}{} {}", i ? ", " : "", operation_name(static_cast<Operation>(i)),
                           tally.completed[i]);
  fmt::print(
      "[load] calls completed: {} ({:.0f}/s): {}; pipelined steps (four calls in flight through "
      "the future-based API): {}\n",
      completed, completed / seconds(stopped - start), by_kind, tally.pipelined_steps);
  std::vector<std::pair<std::string, std::uint64_t>> reasons(tally.failure_reasons.begin(),
                                                             tally.failure_reasons.end());
  std::sort(reasons.begin(), reasons.end(),
            [](const auto& a, const auto& b) { return a.second > b.second; });
  fmt::print("[load] calls failed: {}{}\n", failed, reasons.empty() ? "" : ", by reason:");
  for (const auto& [reason, count] : reasons) fmt::print("[load]   {} x {}\n", count, reason);
  fmt::print(
      "[load] faults injected over {} requests served: {} x 503, {} x 500, {} resets, "
      "{} truncations\n",
      counters.requests, counters.injected_503, counters.injected_500, counters.resets,
      counters.truncations);
  std::string phase_text;
  for (std::size_t i = 0; i < phases.size(); ++i)
    phase_text +=
        fmt::format("{}{} {:.1f} s (latency {} ms, bandwidth cap {})", i ? "; " : "",
                    phases[i].name, seconds(phase_time[i]), phases[i].faults.latency.count(),
                    phases[i].faults.bandwidth_bytes_per_second
                        ? fmt::format("{} MB/s", phases[i].faults.bandwidth_bytes_per_second / 1e6)
                        : std::string("none"));
  fmt::print("[load] fault phases: {}\n", phase_text);
  fmt::print(
      "[load] client HTTP: {} requests, {} attempts, {} retries, {} requests without an "
      "answer, {} connections opened\n",
      http.requests, http.attempts, http.retries, http.failures, http.connections_opened);
  fmt::print(
      "[load] writes acknowledged: {} (kv keys {}, volume blocks {}); writes of unknown "
      "outcome (call failed): {}\n",
      tally.kv_writes_acknowledged + tally.block_writes_acknowledged, tally.kv_writes_acknowledged,
      tally.block_writes_acknowledged, tally.writes_unknown);
  fmt::print("[load] reads checked under load: {}; wrong data returned as success: {}\n",
             tally.reads_checked, tally.wrong_reads);
  fmt::print(
      "[load] read-back (faults off): {} objects (keys and blocks); {} hold their last "
      "acknowledged write (verified), {} a later write of unknown outcome, {} were never "
      "written; writes lost: {}; wrong data: {}; read-back failures: {}\n",
      check.objects, check.verified, check.later_unknown, check.never_written, check.lost,
      check.corrupt, check.read_failures);
  fmt::print(
      "[load] checker self-test: {} of {} wrong values planted after the read-back were "
      "caught ({} as a lost write, {} as wrong data)\n",
      caught, planted, planted_check.lost, planted_check.corrupt);
  for (const auto& problem : tally.problems) fmt::print("[load] WRONG under load: {}\n", problem);
  for (const auto& problem : check.problems) fmt::print("[load] WRONG at read-back: {}\n", problem);

  // A run that injected no fault of some kind, or never completed some call, tested less than
  // it claims.
  std::vector<std::string> unexercised;
  if (counters.injected_503 == 0) unexercised.push_back("no 503 injected");
  if (counters.resets == 0) unexercised.push_back("no reset injected");
  if (counters.truncations == 0) unexercised.push_back("no truncation injected");
  for (std::size_t i = 0; i < kOperationCount; ++i)
    if (tally.completed[i] == 0)
      unexercised.push_back(
          fmt::format("no {} completed", operation_name(static_cast<Operation>(i))));
  for (const auto& what : unexercised) fmt::print("[load] NOT EXERCISED: {}\n", what);

  const bool pass = caught == static_cast<std::uint64_t>(planted) && check.lost == 0 &&
                    check.corrupt == 0 && check.read_failures == 0 && tally.wrong_reads == 0 &&
                    unexercised.empty();
  fmt::print("[load] {}\n", pass ? "PASS" : "FAIL");
  return pass ? 0 : 1;
}
