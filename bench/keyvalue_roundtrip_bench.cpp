// 1 KiB keyvalue GET round trips against the embedded server on loopback: one connection with one
// request at a time (libdvid-cpp's model) versus the pool with 8 requests in flight.
#include <benchmark/benchmark.h>

#include <deque>
#include <future>
#include <memory>

#include "dvidxfer/node_service.hpp"
#include "dvidxfer/server/embedded_server.hpp"
#include "dvidxfer/server_service.hpp"

namespace {

constexpr int kKeys = 256;

struct Fixture {
  Fixture() {
    const auto uuid =
        dvidxfer::ServerService(server.url()).create_new_repo("bench", "kv round trips");
    dvidxfer::NodeService setup(server.url(), uuid);
    setup.create_keyvalue("kv");
    for (int i = 0; i < kKeys; ++i)
      setup.put("kv", key(i), std::string(1024, static_cast<char>(i)));
    this->uuid = uuid;
  }
  static std::string key(int i) { return "key" + std::to_string(i); }
  dvidxfer::server::EmbeddedServer server;
  std::string uuid;
};

Fixture& fixture() {
  static Fixture instance;
  return instance;
}

dvidxfer::NodeService make_node(std::size_t connections) {
  dvidxfer::ClientOptions options;
  options.max_connections = connections;
  return dvidxfer::NodeService(fixture().server.url(), fixture().uuid, "bench", "dvidxfer-bench",
                               "", 0, options);
}

void BM_KeyValueGet1KiB_OneConnection(benchmark::State& state) {
  auto node = make_node(1);
  int i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(node.get("kv", Fixture::key(i++ % kKeys)));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * 1024);
}
BENCHMARK(BM_KeyValueGet1KiB_OneConnection)->UseRealTime()->MinTime(2.0);

void BM_KeyValueGet1KiB_Pool8InFlight(benchmark::State& state) {
  constexpr std::size_t kInFlight = 8;
  auto node = make_node(kInFlight);
  std::deque<std::future<std::string>> in_flight;
  int i = 0;
  for (auto _ : state) {
    if (in_flight.size() >= kInFlight) {
      benchmark::DoNotOptimize(in_flight.front().get());
      in_flight.pop_front();
    }
    in_flight.push_back(node.get_async("kv", Fixture::key(i++ % kKeys)));
  }
  for (auto& f : in_flight) f.get();
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * 1024);
}
BENCHMARK(BM_KeyValueGet1KiB_Pool8InFlight)->UseRealTime()->MinTime(2.0);

}  // namespace
