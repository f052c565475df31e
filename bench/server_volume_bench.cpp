// The embedded server's volume handlers alone: requests go straight into the Router (no sockets,
// no client), so the figures are what the server costs a benchmark that runs it on the same box.
// Bytes per second count the voxels (8 bytes per uint64 label, 1 per uint8), not the wire, over
// wall time; the CPU column is the whole process's CPU time (all of oneTBB's threads), which
// stays meaningful when other work shares the cores.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>

#include "dvid/router.hpp"

namespace {

using dvidxfer::server::HttpRequest;
using dvidxfer::server::HttpResponse;
using dvidxfer::server::Router;

HttpRequest make_request(std::string method, const std::string& target, std::string body = {}) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = target;
  const std::size_t question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) {
    request.raw_query = target.substr(question + 1);
    std::size_t at = 0;
    while (at <= request.raw_query.size()) {
      const std::size_t amp = std::min(request.raw_query.find('&', at), request.raw_query.size());
      const std::string pair = request.raw_query.substr(at, amp - at);
      const std::size_t equals = pair.find('=');
      request.query.emplace(pair.substr(0, equals),
                            equals == std::string::npos ? "" : pair.substr(equals + 1));
      at = amp + 1;
    }
  }
  request.body = std::move(body);
  return request;
}

// Labels constant over 16 x 16 x 64 bricks (like segmentation, blocks compress well).
std::string labels(int n) {
  std::string out(static_cast<std::size_t>(n) * n * n * 8, '\0');
  char* to = out.data();
  for (int z = 0; z < n; ++z)
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x, to += 8) {
        const std::uint64_t label = 1 + x / 16 + 1000ull * (y / 16) + 1000000ull * (z / 64);
        std::memcpy(to, &label, 8);
      }
  return out;
}

// Smooth grayscale: a gradient with a little texture, as EM data compresses somewhat.
std::string grayscale(int n) {
  std::string out(static_cast<std::size_t>(n) * n * n, '\0');
  std::size_t i = 0;
  for (int z = 0; z < n; ++z)
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x) out[i++] = static_cast<char>((x + y + z) / 8 + ((x * 7) & 3));
  return out;
}

struct Server {
  Server() : router(dvidxfer::server::DvidSettings{}) {
    const HttpResponse repo = router.handle(make_request("POST", "/api/repos", "{}"));
    // {"root": "<uuid>"}
    const std::size_t start = repo.body.find('"', repo.body.find(':')) + 1;
    uuid = repo.body.substr(start, repo.body.find('"', start) - start);
    for (const char* instance : {R"({"typename":"labelblk","dataname":"labels"})",
                                 R"({"typename":"uint8blk","dataname":"gray"})"})
      router.handle(make_request("POST", "/api/repo/" + uuid + "/instance", instance));
  }

  std::string raw(const std::string& name, int n) const {
    const std::string size = std::to_string(n);
    return "/api/node/" + uuid + "/" + name + "/raw/0_1_2/" + size + "_" + size + "_" + size +
           "/0_0_0";
  }

  // Writes an n^3 volume once per size, so GET benchmarks read real blocks.
  void ensure_written(const std::string& name, int n) {
    if (!written.emplace(name + std::to_string(n)).second) return;
    const HttpResponse response = router.handle(
        make_request("POST", raw(name, n), name == "labels" ? labels(n) : grayscale(n)));
    if (response.status != 200) throw std::runtime_error(response.body);
  }

  Router router;
  std::string uuid;
  std::set<std::string> written;
};

Server& server() {
  static Server instance;
  return instance;
}

void run_get(benchmark::State& state, const std::string& name, std::size_t bytes_per_voxel,
             const std::string& query) {
  const int n = static_cast<int>(state.range(0));
  server().ensure_written(name, n);
  const HttpRequest request = make_request("GET", server().raw(name, n) + query);
  std::size_t body_bytes = 0;
  for (auto _ : state) {
    HttpResponse response = server().router.handle(request);
    if (response.status != 200) state.SkipWithError(response.body.c_str());
    body_bytes = response.body.size();
    benchmark::DoNotOptimize(response.body.data());
  }
  const auto voxels = static_cast<std::int64_t>(n) * n * n;
  state.SetBytesProcessed(state.iterations() * voxels * static_cast<std::int64_t>(bytes_per_voxel));
  state.counters["body_MB"] = static_cast<double>(body_bytes) / 1e6;
}

void BM_LabelblkRawGet(benchmark::State& state) {
  run_get(state, "labels", 8, "");
}
void BM_LabelblkRawGetLz4(benchmark::State& state) {
  run_get(state, "labels", 8, "?compression=lz4");
}
void BM_Uint8blkRawGet(benchmark::State& state) {
  run_get(state, "gray", 1, "");
}

void BM_LabelblkRawPost(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const std::string volume = labels(n);
  for (auto _ : state) {
    state.PauseTiming();
    HttpRequest request = make_request("POST", server().raw("labels", n), volume);
    state.ResumeTiming();
    const HttpResponse response = server().router.handle(request);
    if (response.status != 200) state.SkipWithError(response.body.c_str());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(volume.size()));
}

}  // namespace

BENCHMARK(BM_LabelblkRawGet)
    ->Arg(256)
    ->Arg(512)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();
BENCHMARK(BM_LabelblkRawGetLz4)
    ->Arg(256)
    ->Arg(512)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();
BENCHMARK(BM_LabelblkRawPost)
    ->Arg(256)
    ->Arg(512)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();
BENCHMARK(BM_Uint8blkRawGet)
    ->Arg(512)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();
