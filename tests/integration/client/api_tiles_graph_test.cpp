// Tiles and label graphs through NodeService against the embedded server: tiles generated from a
// volume decode to its own pixels (scale 0) and to its 2x downsample (scale 1); graph weights
// from many threads sum exactly; bad input gets a clear error.
#include <gtest/gtest.h>

#include <thread>
#include <unordered_set>

#include "dvidxfer/errors.hpp"
#include "dvidxfer/node_service.hpp"
#include "dvidxfer/server/embedded_server.hpp"
#include "dvidxfer/server_service.hpp"

using namespace dvidxfer;

namespace {

std::uint8_t pixel_at(std::int64_t z, std::int64_t y, std::int64_t x) {
  return static_cast<std::uint8_t>((x * 3 + y * 5 + z * 11) % 251);
}

class TilesAndGraphs : public ::testing::Test {
 protected:
  void SetUp() override {
    uuid = ServerService(server.url()).create_new_repo("seed", "tiles and graphs");
    node = std::make_unique<NodeService>(server.url(), uuid, "tester", "seed-tests");
  }
  server::EmbeddedServer server;
  std::string uuid;
  std::unique_ptr<NodeService> node;
};

}  // namespace

TEST_F(TilesAndGraphs, GeneratedTilesDecodeToTheVolumeAndItsDownsample) {
  ASSERT_TRUE(node->create_grayscale8("grayscale"));
  Grayscale3D volume({32, 64, 64});
  for (std::int64_t z = 0; z < 32; ++z)
    for (std::int64_t y = 0; y < 64; ++y)
      for (std::int64_t x = 0; x < 64; ++x) volume.at(z, y, x) = pixel_at(z, y, x);
  node->put_gray3D("grayscale", volume, {0, 0, 0}, false);
  ASSERT_TRUE(
      node->create_instance("imagetile", "tiles", {{"Format", "png"}, {"Source", "grayscale"}}));
  node->custom_request("/tiles/generate", R"({"planes":["xy"],"scales":2,"tilesize":32})",
                       ConnectionMethod::POST);

  // Scale 0, tile (1, 0) of slice z = 7: full-resolution pixels x 32..63, y 0..31.
  const auto tile = node->get_tile_slice("tiles", Slice2D::XY, 0, {1, 0, 7});
  ASSERT_EQ(tile.width, 32);
  ASSERT_EQ(tile.height, 32);
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 32; ++x)
      ASSERT_EQ(tile.pixels[y * 32 + x], pixel_at(7, y, 32 + x)) << x << "," << y;

  // Scale 1: one 32x32 tile holds the 2x downsample (truncated mean of each 2x2) of the slice.
  const auto half = node->get_tile_slice("tiles", Slice2D::XY, 1, {0, 0, 7});
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 32; ++x) {
      const int sum = pixel_at(7, 2 * y, 2 * x) + pixel_at(7, 2 * y, 2 * x + 1) +
                      pixel_at(7, 2 * y + 1, 2 * x) + pixel_at(7, 2 * y + 1, 2 * x + 1);
      ASSERT_EQ(half.pixels[y * 32 + x], sum / 4) << x << "," << y;
    }

  const auto binary = node->get_tile_slice_binary("tiles", Slice2D::XY, 0, {1, 0, 7});
  EXPECT_EQ(binary.substr(1, 3), "PNG");
  EXPECT_THROW(node->get_tile_slice("tiles", Slice2D::XY, 0, {1, 0}), ArgumentError);
  EXPECT_THROW(node->get_tile_slice("nosuchtiles", Slice2D::XY, 0, {0, 0, 0}), HttpError);
}

TEST_F(TilesAndGraphs, JpegTilesDecodeWithinJpegTolerance) {
  ASSERT_TRUE(node->create_grayscale8("grayscale"));
  Grayscale3D volume({32, 32, 32});
  for (std::int64_t z = 0; z < 32; ++z)
    for (std::int64_t y = 0; y < 32; ++y)
      for (std::int64_t x = 0; x < 32; ++x)
        volume.at(z, y, x) = static_cast<std::uint8_t>(100 + (x + y) / 2);
  node->put_gray3D("grayscale", volume, {0, 0, 0}, false);
  node->create_instance("imagetile", "jpegtiles", {{"Format", "jpg"}, {"Source", "grayscale"}});
  node->custom_request("/jpegtiles/generate",
                       R"({"planes":["xy"],"scales":1,"tilesize":32,"quality":95})",
                       ConnectionMethod::POST);
  const auto tile = node->get_tile_slice("jpegtiles", Slice2D::XY, 0, {0, 0, 3});
  ASSERT_EQ(tile.pixels.size(), 32u * 32u);
  int worst = 0;
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 32; ++x)
      worst = std::max(worst, std::abs(tile.pixels[y * 32 + x] - (100 + (x + y) / 2)));
  EXPECT_LE(worst, 4) << "a smooth gradient survives JPEG at quality 95 within a few levels";
}

TEST_F(TilesAndGraphs, GraphRoundTripsAndBatchesUnderTheVertexLimit) {
  ASSERT_TRUE(node->create_graph("agglo"));
  EXPECT_FALSE(node->create_graph("agglo"));
  std::vector<Vertex> vertices;
  for (std::uint64_t id = 1; id <= 2500; ++id) vertices.push_back({id, double(id)});
  node->update_vertices("agglo", vertices);
  std::vector<Edge> edges;
  for (std::uint64_t id = 1; id < 2500; ++id) edges.push_back({id, id + 1, 0.5});
  for (std::uint64_t id = 1; id + 7 <= 2500; id += 7) edges.push_back({id + 7, id, 2.0});
  node->update_edges("agglo", edges);

  const auto graph = node->get_subgraph("agglo");
  EXPECT_EQ(graph.vertices.size(), 2500u);
  EXPECT_EQ(graph.edges.size(), edges.size());
  std::unordered_set<Edge> stored(graph.edges.begin(), graph.edges.end());
  for (const auto& edge : edges) EXPECT_TRUE(stored.contains(edge)) << edge.id1 << "-" << edge.id2;

  const auto neighbors = node->get_vertex_neighbors("agglo", 8);
  std::unordered_set<std::uint64_t> ids;
  for (const auto& v : neighbors.vertices) ids.insert(v.id);
  EXPECT_TRUE(ids.contains(7) && ids.contains(9) && ids.contains(1) && ids.contains(15));
}

TEST_F(TilesAndGraphs, WeightIncrementsFromEightThreadsSumExactly) {
  node->create_graph("weights");
  node->update_vertices("weights", {{1, 0.0}, {2, 0.0}});
  node->update_edges("weights", {{1, 2, 0.0}});
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        node->update_vertices("weights", {{1, 1.0}, {2, 2.0}});
        node->update_edges("weights", {{2, 1, 0.5}});
      }
    });
  for (auto& thread : threads) thread.join();
  const auto graph = node->get_subgraph("weights");
  for (const auto& v : graph.vertices) EXPECT_EQ(v.weight, v.id == 1 ? 400.0 : 800.0) << v.id;
  ASSERT_EQ(graph.edges.size(), 1u);
  EXPECT_EQ(graph.edges[0].weight, 200.0);
}

TEST_F(TilesAndGraphs, AnEdgeToAnUnknownVertexIsRefused) {
  node->create_graph("strict");
  node->update_vertices("strict", {{1, 1.0}});
  try {
    node->update_edges("strict", {{1, 99, 1.0}});
    FAIL() << "an edge to a missing vertex was accepted";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 400u);
    EXPECT_NE(e.body_excerpt().find("Failed to add edge"), std::string::npos) << e.body_excerpt();
  }
}

TEST(GraphPrimitives, EdgeHashAgreesWithOrderFreeEquality) {
  const Edge forward{3, 9, 1.5}, backward{9, 3, 1.5};
  EXPECT_EQ(forward, backward);
  EXPECT_EQ(std::hash<Edge>{}(forward), std::hash<Edge>{}(backward));
  std::unordered_set<Edge> edges{forward};
  EXPECT_TRUE(edges.contains(backward));
  EXPECT_NE(forward, (Edge{3, 9, 2.5}));
}
