// dvidxfer demo: the main job end to end on a DVID (by default the embedded server, in-process):
// create a repo and a keyvalue instance, write and read back N keys, report requests/s; then
// write, read back and verify a grayscale and a label volume and benchmark them against the
// libdvid-style baseline; then the same for a labelmap with a lower scale (demo_labelmap.cpp).
#include <fmt/format.h>

#include <chrono>
#include <deque>
#include <future>
#include <memory>
#include <optional>

#include "arguments.hpp"
#include "client_arguments.hpp"
#include "commands.hpp"
#include "config_file.hpp"
#include "demo_volumes.hpp"
#include "dvidxfer/node_service.hpp"
#include "dvidxfer/server/embedded_server.hpp"
#include "dvidxfer/server_service.hpp"
#include "volume_arguments.hpp"

namespace dvidxfer::cli {

namespace {

using Clock = std::chrono::steady_clock;

// A value that differs per key so a mixed-up read is caught.
std::string value_for(std::size_t index, std::size_t bytes) {
  std::string value(bytes, '\0');
  std::uint64_t state = 0x9E3779B97F4A7C15ull * (index + 1);
  for (auto& byte : value) {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    byte = static_cast<char>(state);
  }
  return value;
}

std::string key_for(std::size_t index) {
  return fmt::format("demo-key-{:06}", index);
}

// Runs `start(i)` for i in [0, count) with at most `window` futures outstanding.
template <class Start>
void run_windowed(std::size_t count, std::size_t window, Start start) {
  std::deque<decltype(start(0))> in_flight;
  for (std::size_t i = 0; i < count; ++i) {
    if (in_flight.size() >= window) {
      in_flight.front().get();
      in_flight.pop_front();
    }
    in_flight.push_back(start(i));
  }
  for (auto& future : in_flight) future.get();
}

}  // namespace

int run_demo(int argc, char** argv, int first) {
  Arguments args(argc, argv, first);
  apply_config_file(args);
  std::vector<std::string> known = {"server",       "keys",   "value-bytes",      "concurrency",
                                    "volume-shape", "config", "bench-repetitions"};
  known.insert(known.end(), client_option_names().begin(), client_option_names().end());
  args.allow_only(known);
  const auto keys_asked = args.integer("keys", 10000);
  const auto value_bytes = static_cast<std::size_t>(args.bytes("value-bytes", 1024));
  const auto concurrency_asked = args.integer("concurrency", 8);
  if (keys_asked <= 0) throw UsageError(args.where("keys") + " must be positive");
  if (concurrency_asked <= 0) throw UsageError(args.where("concurrency") + " must be positive");
  const auto keys = static_cast<std::size_t>(keys_asked);
  const auto concurrency = static_cast<std::size_t>(concurrency_asked);
  const auto volume_shape = zyx_option(args, "volume-shape").value_or(Shape3{512, 512, 512});
  for (const auto size : volume_shape)
    if (size <= 0 || size % 32 != 0)
      throw UsageError(args.where("volume-shape") +
                       " sizes must be positive multiples of 32 (DVID's blocks)");
  const auto bench_repetitions = static_cast<int>(args.integer("bench-repetitions", 3));
  if (bench_repetitions <= 0)
    throw UsageError(args.where("bench-repetitions") + " must be positive");
  const ClientOptions options = client_options(args, concurrency);

  std::unique_ptr<server::EmbeddedServer> embedded;
  std::string address = args.text("server", "");
  if (address.empty()) {
    embedded = std::make_unique<server::EmbeddedServer>();
    address = embedded->url();
    fmt::print("started the embedded DVID server at {}\n", address);
  }

  ServerService server(address, "demo", "dvidxfer-demo", options);
  const auto uuid = server.create_new_repo("dvidxfer demo", "key-value round trip");
  NodeService node(address, uuid, "demo", "dvidxfer-demo", "", 0, options);
  node.create_keyvalue("demo_kv");
  fmt::print("repo {} with keyvalue instance 'demo_kv' on {}\n", uuid, address);

  const auto write_start = Clock::now();
  run_windowed(keys, concurrency, [&](std::size_t i) {
    return node.put_async("demo_kv", key_for(i), value_for(i, value_bytes));
  });
  const std::chrono::duration<double> write_time = Clock::now() - write_start;

  std::size_t mismatches = 0;
  const auto read_start = Clock::now();
  run_windowed(keys, concurrency, [&](std::size_t i) {
    return std::async(std::launch::deferred,
                      [&, i, value = node.get_async("demo_kv", key_for(i))]() mutable {
                        if (value.get() != value_for(i, value_bytes)) ++mismatches;
                      });
  });
  const std::chrono::duration<double> read_time = Clock::now() - read_start;
  const auto listed = node.get_keys("demo_kv").size();

  fmt::print("wrote {} keys of {} bytes: {:.0f} requests/s ({:.2f} s, {} in flight)\n", keys,
             value_bytes, keys / write_time.count(), write_time.count(), concurrency);
  fmt::print("read  {} keys of {} bytes: {:.0f} requests/s ({:.2f} s, {} in flight)\n", keys,
             value_bytes, keys / read_time.count(), read_time.count(), concurrency);
  fmt::print("verified: {} of {} values identical, {} keys listed\n\n", keys - mismatches, keys,
             listed);

  const auto volume_client = client_options(args, 0);
  const bool volumes_good =
      run_volume_demo(address, uuid, volume_shape, bench_repetitions, volume_client, !!embedded);
  const bool labelmap_good =
      run_labelmap_demo(address, uuid, volume_shape, bench_repetitions, volume_client, !!embedded);
  if (embedded) embedded->stop();
  return mismatches == 0 && listed == keys && volumes_good && labelmap_good ? 0 : 1;
}

}  // namespace dvidxfer::cli
