// Client CPU per GiB delivered: a 512^3 uint64 label GET with lz4 through dvidxfer (server in a
// separate process, so only the client's CPU is counted) against the floor of the same work done
// by hand: lz4-decompress the same bytes and memcpy them once.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstring>
#include <memory>
#include <vector>

#include "dvidxfer/codecs/dvid_lz4.hpp"
#include "dvidxfer/node_service.hpp"
#include "dvidxfer/server_service.hpp"
#include "serve_process.hpp"

namespace {

constexpr std::int64_t kSide = 512;
constexpr std::uint64_t kBytes = kSide * kSide * kSide * 8;

double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

// Segmentation-like labels: piecewise-constant regions with large ids.
std::uint64_t label_at(std::int64_t z, std::int64_t y, std::int64_t x) {
  return 1 + static_cast<std::uint64_t>((z / 9) * 1000003 + (y / 11) * 1009 + (x / 13)) *
                 0x100000001ull;
}

dvidxfer::Labels3D make_labels() {
  dvidxfer::Labels3D volume({kSide, kSide, kSide});
  for (std::int64_t z = 0; z < kSide; ++z)
    for (std::int64_t y = 0; y < kSide; ++y)
      for (std::int64_t x = 0; x < kSide; ++x) volume.at(z, y, x) = label_at(z, y, x);
  return volume;
}

struct Setup {
  Setup() : server(DVIDXFER_CLI_PATH, {"--threads", "2"}), labels(make_labels()) {
    const auto uuid =
        dvidxfer::ServerService(server.url()).create_new_repo("cpu bench", "client CPU per GiB");
    node = std::make_unique<dvidxfer::NodeService>(server.url(), uuid, "bench", "dvidxfer-bench");
    node->create_labelblk("labels");
    node->put_labels3D("labels", labels, {0, 0, 0}, false, true);
  }
  dvidxfer::bench::ServeProcess server;
  dvidxfer::Labels3D labels;
  std::unique_ptr<dvidxfer::NodeService> node;
};

Setup& setup() {
  static Setup instance;
  return instance;
}

void report(benchmark::State& state, double cpu_seconds) {
  const double gib =
      static_cast<double>(kBytes) * static_cast<double>(state.iterations()) / (1ull << 30);
  state.counters["cpu_s_per_GiB"] = cpu_seconds / gib;
  state.SetBytesProcessed(static_cast<std::int64_t>(kBytes) * state.iterations());
}

void BM_ClientGetLabels512Lz4(benchmark::State& state) {
  auto& s = setup();
  std::vector<std::uint64_t> out(kBytes / 8);
  double cpu = 0;
  for (auto _ : state) {
    const double before = process_cpu_seconds();
    s.node->get_labels3D("labels", {kSide, kSide, kSide}, {0, 0, 0}, out, false, true);
    cpu += process_cpu_seconds() - before;
  }
  if (std::memcmp(out.data(), s.labels.data(), kBytes) != 0) state.SkipWithError("wrong labels");
  report(state, cpu);
}
BENCHMARK(BM_ClientGetLabels512Lz4)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

// The floor: decode the same data (as 16 MiB lz4 slabs, the engine's chunk size) and copy it once.
void BM_Lz4DecodePlusMemcpy512(benchmark::State& state) {
  auto& s = setup();
  const std::uint64_t slab = 16ull << 20;
  std::vector<std::string> blocks;
  for (std::uint64_t at = 0; at < kBytes; at += slab) {
    const std::string_view input(reinterpret_cast<const char*>(s.labels.data()) + at, slab);
    std::string block(dvidxfer::codecs::lz4_block_bound(slab), '\0');
    block.resize(dvidxfer::codecs::compress_lz4_block(input, block).value());
    blocks.push_back(std::move(block));
  }
  std::vector<char> decoded(kBytes), copied(kBytes);
  double cpu = 0;
  for (auto _ : state) {
    const double before = process_cpu_seconds();
    for (std::size_t i = 0; i < blocks.size(); ++i)
      benchmark::DoNotOptimize(dvidxfer::codecs::decompress_lz4_block(
          blocks[i], std::span<char>(decoded.data() + i * slab, slab)));
    std::memcpy(copied.data(), decoded.data(), kBytes);
    benchmark::ClobberMemory();
    cpu += process_cpu_seconds() - before;
  }
  report(state, cpu);
}
BENCHMARK(BM_Lz4DecodePlusMemcpy512)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

}  // namespace
