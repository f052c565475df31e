// The rest of the seed at scale, against the embedded server on loopback:
//  - 512x512 PNG tiles fetched one at a time on one connection (libdvid's way) versus 8 in flight
//    through the pool;
//  - a 75,000-vertex, 500,000-edge label graph uploaded with update_vertices/update_edges on one
//    connection versus the pool (libdvid-cpp published 9.4 k vertices/s and 2.6 k edges/s).
#include <benchmark/benchmark.h>
#include <png.h>

#include <deque>
#include <future>
#include <random>

#include "dvidxfer/node_service.hpp"
#include "dvidxfer/server/embedded_server.hpp"
#include "dvidxfer/server_service.hpp"

namespace {

constexpr int kTileSide = 512;
constexpr int kTileCount = 64;

std::string encode_png(const std::vector<std::uint8_t>& pixels, int width, int height) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = width;
  image.height = height;
  image.format = PNG_FORMAT_GRAY;
  png_alloc_size_t size = 0;
  png_image_write_to_memory(&image, nullptr, &size, 0, pixels.data(), 0, nullptr);
  std::string out(size, '\0');
  png_image_write_to_memory(&image, out.data(), &size, 0, pixels.data(), 0, nullptr);
  out.resize(size);
  return out;
}

dvidxfer::NodeService make_node(const std::string& url, const std::string& uuid,
                                std::size_t connections) {
  dvidxfer::ClientOptions options;
  options.max_connections = connections;
  return dvidxfer::NodeService(url, uuid, "bench", "dvidxfer-bench", "", 0, options);
}

// One server with kTileCount stored 512x512 PNG tiles (EM-like noise, so they do not compress
// away).
struct TileServer {
  TileServer() {
    uuid = dvidxfer::ServerService(server.url()).create_new_repo("tiles", "tile bench");
    auto node = make_node(server.url(), uuid, 8);
    node.create_instance("imagetile", "tiles", {{"Format", "png"}});
    node.custom_request(
        "/tiles/metadata",
        R"({"MinTileCoord":[0,0,0],"MaxTileCoord":[7,7,0],"Levels":{"0":{"Resolution":[8,8,8],"TileSize":[512,512,512]}}})",
        dvidxfer::ConnectionMethod::POST);
    std::mt19937 random(7);
    std::vector<std::uint8_t> pixels(kTileSide * kTileSide);
    for (int t = 0; t < kTileCount; ++t) {
      for (auto& p : pixels) p = static_cast<std::uint8_t>(96 + random() % 64);
      node.custom_request(
          "/tiles/tile/xy/0/" + std::to_string(t % 8) + "_" + std::to_string(t / 8) + "_0",
          encode_png(pixels, kTileSide, kTileSide), dvidxfer::ConnectionMethod::POST);
    }
  }
  dvidxfer::server::EmbeddedServer server;
  std::string uuid;
};

TileServer& tile_server() {
  static TileServer instance;
  return instance;
}

std::vector<std::int64_t> tile_at(int t) {
  return {t % 8, (t / 8) % 8, 0};
}

void BM_Tiles512_OneConnection(benchmark::State& state) {
  auto node = make_node(tile_server().server.url(), tile_server().uuid, 1);
  int t = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(node.get_tile_slice("tiles", dvidxfer::Slice2D::XY, 0, tile_at(t++)));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Tiles512_OneConnection)->UseRealTime()->MinTime(2.0);

void BM_Tiles512_Pool8InFlight(benchmark::State& state) {
  auto node = make_node(tile_server().server.url(), tile_server().uuid, 8);
  std::deque<std::future<dvidxfer::GrayImage>> in_flight;
  int t = 0;
  for (auto _ : state) {
    if (in_flight.size() >= 8) {
      benchmark::DoNotOptimize(in_flight.front().get());
      in_flight.pop_front();
    }
    in_flight.push_back(node.get_tile_slice_async("tiles", dvidxfer::Slice2D::XY, 0, tile_at(t++)));
  }
  for (auto& f : in_flight) f.get();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Tiles512_Pool8InFlight)->UseRealTime()->MinTime(2.0);

// A graph shaped like agglomeration output: 75,000 bodies, 500,000 edges between nearby ids.
struct GraphData {
  GraphData() {
    std::mt19937_64 random(11);
    for (std::uint64_t id = 1; id <= 75000; ++id)
      vertices.push_back({id, double(1 + random() % 100000)});
    while (edges.size() < 500000) {
      const std::uint64_t a = 1 + random() % 75000;
      const std::uint64_t b = 1 + (a + 1 + random() % 200) % 75000;
      if (a != b) edges.push_back({a, b, double(1 + random() % 5000)});
    }
  }
  std::vector<dvidxfer::Vertex> vertices;
  std::vector<dvidxfer::Edge> edges;
};

void upload_graph(benchmark::State& state, std::size_t connections) {
  static const GraphData data;
  dvidxfer::server::EmbeddedServer server;
  const auto uuid = dvidxfer::ServerService(server.url()).create_new_repo("graph", "graph bench");
  auto node = make_node(server.url(), uuid, connections);
  double vertex_seconds = 0, edge_seconds = 0;
  int round = 0;
  for (auto _ : state) {
    const auto name = "graph" + std::to_string(round++);
    node.create_graph(name);
    const auto t0 = std::chrono::steady_clock::now();
    node.update_vertices(name, data.vertices);
    const auto t1 = std::chrono::steady_clock::now();
    node.update_edges(name, data.edges);
    const auto t2 = std::chrono::steady_clock::now();
    vertex_seconds += std::chrono::duration<double>(t1 - t0).count();
    edge_seconds += std::chrono::duration<double>(t2 - t1).count();
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["vertices_per_s"] = n * data.vertices.size() / vertex_seconds;
  state.counters["edges_per_s"] = n * data.edges.size() / edge_seconds;
}

void BM_GraphUpload75kVertices500kEdges_OneConnection(benchmark::State& state) {
  upload_graph(state, 1);
}
BENCHMARK(BM_GraphUpload75kVertices500kEdges_OneConnection)
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);

void BM_GraphUpload75kVertices500kEdges_Pool8(benchmark::State& state) {
  upload_graph(state, 8);
}
BENCHMARK(BM_GraphUpload75kVertices500kEdges_Pool8)
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace
