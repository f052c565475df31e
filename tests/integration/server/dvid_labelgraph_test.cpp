// labelgraph over loopback, as DVID served it before 2023 (dvid-api.md 8): subgraph round trips,
// schema validation, neighbors, weight increments (also from 8 clients at once), merge, versions
// and DVID's refusals.
#include <fmt/format.h>

#include <thread>
#include <vector>

#include "dvid_labelgraph_test_support.hpp"

namespace dvidxfer::testing {
namespace {

class LabelgraphTest : public DvidLabelgraphTest {
 protected:
  // 1 - 2 - 3 and 2 - 4, with weights.
  void post_small_graph() {
    const auto response = post(node("subgraph"), R"({"Vertices":[
        {"Id":1,"Weight":1.5},{"Id":2,"Weight":2},{"Id":3,"Weight":3},{"Id":4,"Weight":0.25}],
      "Edges":[{"Id1":2,"Id2":1,"Weight":10},{"Id1":2,"Id2":3,"Weight":20},
               {"Id1":4,"Id2":2,"Weight":0.5}]})");
    ASSERT_EQ(response.status, 200) << response.body;
  }
};

TEST_F(LabelgraphTest, InfoHasOnlyTheBase) {
  const auto response = get(node("info"));
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.body.rfind(R"({"Base":{"TypeName":"labelgraph",)", 0), 0u) << response.body;
  EXPECT_EQ(response.body.find("Extended"), std::string::npos);
  EXPECT_EQ(response.body.back(), '}');
}

TEST_F(LabelgraphTest, SubgraphRoundTripsTheWholeGraph) {
  EXPECT_EQ(get(node("subgraph")).body, R"({"Transactions":[],"Vertices":[],"Edges":[]})");
  post_small_graph();
  const auto response = get(node("subgraph"));
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(response.body,
            R"({"Transactions":[],"Vertices":[{"Id":1,"Weight":1.5},{"Id":2,"Weight":2},)"
            R"({"Id":3,"Weight":3},{"Id":4,"Weight":0.25}],"Edges":[{"Id1":1,"Id2":2,"Weight":10},)"
            R"({"Id1":2,"Id2":3,"Weight":20},{"Id1":2,"Id2":4,"Weight":0.5}]})");
}

TEST_F(LabelgraphTest, SubgraphOfListedVerticesHasTheirEdgesOnce) {
  post_small_graph();
  const auto response =
      request("GET", node("subgraph"), R"({"Vertices":[{"Id":2},{"Id":3}],"Edges":[]})");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body,
            R"({"Transactions":[],"Vertices":[{"Id":2,"Weight":2},{"Id":3,"Weight":3}],)"
            R"("Edges":[{"Id1":1,"Id2":2,"Weight":10},{"Id1":2,"Id2":3,"Weight":20},)"
            R"({"Id1":2,"Id2":4,"Weight":0.5}]})");
  const std::string path = node("subgraph");
  const auto missing = request("GET", path, R"({"Vertices":[{"Id":9}],"Edges":[]})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.body, dvid_error("Failed to retrieve vertix 9: Vertex data empty\n", path));
}

TEST_F(LabelgraphTest, EdgeToAnUnknownVertexIsRefusedAfterTheVerticesLanded) {
  const std::string path = node("subgraph");
  const auto response =
      post(path, R"({"Vertices":[{"Id":5,"Weight":1}],"Edges":[{"Id1":5,"Id2":6,"Weight":1}]})");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body, dvid_error("Failed to add edge: Vertex data empty\n", path));
  EXPECT_EQ(get(path).body, R"({"Transactions":[],"Vertices":[{"Id":5,"Weight":1}],"Edges":[]})");
}

TEST_F(LabelgraphTest, BodiesMustPassDvidsSchema) {
  const std::string path = node("subgraph");
  for (std::string_view body :
       {R"({"Vertices":[{"Id":1}]})", R"({"Edges":[]})", R"({"vertices":[],"edges":[]})",
        R"({"Vertices":[{"Weight":1}],"Edges":[]})",
        R"({"Vertices":[{"Id":1},{"Id":1}],"Edges":[]})", R"({"Vertices":null,"Edges":[]})"}) {
    const auto response = post(path, body);
    EXPECT_EQ(response.status, 400) << body;
    EXPECT_EQ(response.body, dvid_error("JSON did not pass validation", path)) << body;
  }
  // unsafe=true skips the schema on /subgraph only.
  EXPECT_EQ(post(path + "?unsafe=true", R"({"Vertices":[{"Id":1,"Weight":4}]})").status, 200);
  EXPECT_EQ(get(path).body, R"({"Transactions":[],"Vertices":[{"Id":1,"Weight":4}],"Edges":[]})");
  EXPECT_EQ(post(node("weight?unsafe=true"), R"({"Vertices":[{"Id":1,"Weight":4}]})").body,
            dvid_error("JSON did not pass validation", node("weight")));
}

TEST_F(LabelgraphTest, PostingAVertexAgainOverwritesItAndItsAdjacency) {
  post_small_graph();
  ASSERT_EQ(post(node("subgraph"), R"({"Vertices":[{"Id":2,"Weight":7}],"Edges":[]})").status, 200);
  const auto response = get(node("neighbors/2"));
  EXPECT_EQ(response.body,
            R"({"Transactions":null,"Vertices":[{"Id":2,"Weight":7}],"Edges":null})");
}

TEST_F(LabelgraphTest, DeleteRemovesListedVerticesWithTheirEdgesOrEverything) {
  post_small_graph();
  ASSERT_EQ(request("DELETE", node("subgraph"), R"({"Vertices":[{"Id":2}],"Edges":[]})").status,
            200);
  EXPECT_EQ(get(node("subgraph")).body,
            R"({"Transactions":[],"Vertices":[{"Id":1,"Weight":1.5},{"Id":3,"Weight":3},)"
            R"({"Id":4,"Weight":0.25}],"Edges":[]})");
  ASSERT_EQ(request("DELETE", node("subgraph")).status, 200);
  EXPECT_EQ(get(node("subgraph")).body, R"({"Transactions":[],"Vertices":[],"Edges":[]})");
}

TEST_F(LabelgraphTest, NeighborsListsTheVertexThenEachNeighbourAndEdge) {
  post_small_graph();
  auto response = get(node("neighbors/2"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body,
            R"({"Transactions":null,"Vertices":[{"Id":2,"Weight":2},{"Id":1,"Weight":1.5},)"
            R"({"Id":3,"Weight":3},{"Id":4,"Weight":0.25}],"Edges":[{"Id1":1,"Id2":2,"Weight":10},)"
            R"({"Id1":2,"Id2":3,"Weight":20},{"Id1":2,"Id2":4,"Weight":0.5}]})");
  std::string path = node("neighbors/8");
  EXPECT_EQ(get(path).body, dvid_error("Failed to retrieve vertix 8: Vertex data empty\n", path));
  path = node("neighbors/x");
  EXPECT_EQ(get(path).body, dvid_error("Vertex number not provided", path));
  path = node("neighbors/2");
  EXPECT_EQ(post(path).body, dvid_error("Only supports GETs", path));
}

TEST_F(LabelgraphTest, WeightAddsIncrementsAndCreatesWhatIsMissing) {
  post_small_graph();
  const auto response = post(node("weight"), R"({"Vertices":[{"Id":1,"Weight":0.5},
      {"Id":7,"Weight":3}],"Edges":[{"Id1":1,"Id2":2,"Weight":-4},{"Id1":7,"Id2":3,"Weight":1}]})");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(get(node("neighbors/1")).body,
            R"({"Transactions":null,"Vertices":[{"Id":1,"Weight":2},{"Id":2,"Weight":2}],)"
            R"("Edges":[{"Id1":1,"Id2":2,"Weight":6}]})");
  EXPECT_EQ(get(node("neighbors/7")).body,
            R"({"Transactions":null,"Vertices":[{"Id":7,"Weight":3},{"Id":3,"Weight":3}],)"
            R"("Edges":[{"Id1":3,"Id2":7,"Weight":1}]})");
  // A new edge needs both vertices, existing or in the same request.
  const std::string path = node("weight");
  EXPECT_EQ(post(path, R"({"Vertices":[],"Edges":[{"Id1":1,"Id2":99,"Weight":1}]})").body,
            dvid_error("Failed to add edge: Vertex data empty\n", path));
  EXPECT_EQ(get(path).body, dvid_error("Only supports POSTs", path));
}

TEST_F(LabelgraphTest, WeightRefusesMoreThanAThousandVertices) {
  std::string body = R"({"Vertices":[)";
  for (int id = 1; id <= 1001; ++id)
    body += (id > 1 ? "," : "") + fmt::format(R"({{"Id":{}}})", id);
  body += R"(],"Edges":[]})";
  const std::string path = node("weight");
  const auto response = post(path, body);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body, dvid_error("Could not create transaction group", path));
  EXPECT_EQ(get(node("subgraph")).body, R"({"Transactions":[],"Vertices":[],"Edges":[]})");
  // A thousand is fine.
  body = R"({"Vertices":[)";
  for (int id = 1; id <= 1000; ++id)
    body += (id > 1 ? "," : "") + fmt::format(R"({{"Id":{}}})", id);
  EXPECT_EQ(post(path, body + R"(],"Edges":[]})").status, 200);
}

TEST_F(LabelgraphTest, ConcurrentWeightIncrementsSumExactly) {
  // Every request increments the same 200 vertices and the edges of a chain through them, so
  // unserialized read-modify-writes from the 8 clients would lose increments.
  constexpr int kClients = 8;
  constexpr int kRequests = 25;
  constexpr int kVertices = 200;
  std::string body = R"({"Vertices":[)";
  for (int id = 1; id <= kVertices; ++id)
    body += fmt::format(R"({}{{"Id":{},"Weight":0.5}})", id > 1 ? "," : "", id);
  body += R"(],"Edges":[)";
  for (int id = 1; id < kVertices; ++id)
    body += fmt::format(R"({}{{"Id1":{},"Id2":{},"Weight":0.25}})", id > 1 ? "," : "", id + 1, id);
  body += "]}";
  std::vector<std::thread> clients;
  std::vector<int> failures(kClients, 0);
  for (int c = 0; c < kClients; ++c)
    clients.emplace_back([&, c] {
      RawHttpClient client(server_->port());
      for (int i = 0; i < kRequests; ++i)
        if (client.request("POST", node("weight"), body).status != 200) ++failures[std::size_t(c)];
    });
  for (std::thread& client : clients) client.join();
  for (int c = 0; c < kClients; ++c) EXPECT_EQ(failures[std::size_t(c)], 0) << "client " << c;
  // 200 increments: each vertex weighs 100, each edge 50.
  std::string expected = R"({"Transactions":[],"Vertices":[)";
  for (int id = 1; id <= kVertices; ++id)
    expected += fmt::format(R"({}{{"Id":{},"Weight":100}})", id > 1 ? "," : "", id);
  expected += R"(],"Edges":[)";
  for (int id = 1; id < kVertices; ++id)
    expected +=
        fmt::format(R"({}{{"Id1":{},"Id2":{},"Weight":50}})", id > 1 ? "," : "", id, id + 1);
  EXPECT_EQ(get(node("subgraph")).body, expected + "]}");
}

TEST_F(LabelgraphTest, MergeFoldsVerticesIntoTheLastOne) {
  post_small_graph();
  // 1 and 3 merge into 4: weights sum, their edges to 2 become one edge 2-4 with summed weight.
  const auto response =
      post(node("merge"), R"({"Vertices":[{"Id":1},{"Id":3},{"Id":4}],"Edges":[]})");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(get(node("subgraph")).body,
            R"({"Transactions":[],"Vertices":[{"Id":2,"Weight":2},{"Id":4,"Weight":4.75}],)"
            R"("Edges":[{"Id1":2,"Id2":4,"Weight":30.5}]})");
}

TEST_F(LabelgraphTest, MergeTakesListedWeights) {
  post_small_graph();
  const auto response = post(node("merge"), R"({"Vertices":[{"Id":1},{"Id":3,"Weight":100}],
      "Edges":[{"Id1":3,"Id2":2,"Weight":0}]})");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(get(node("neighbors/3")).body,
            R"({"Transactions":null,"Vertices":[{"Id":3,"Weight":100},{"Id":2,"Weight":2}],)"
            R"("Edges":[{"Id1":2,"Id2":3,"Weight":0}]})");
  const std::string path = node("merge");
  EXPECT_EQ(post(path, R"({"Vertices":[{"Id":3}],"Edges":[]})").body,
            dvid_error("Must specify at least two vertices for merging", path));
  EXPECT_EQ(post(path, R"({"Vertices":[{"Id":3},{"Id":12}],"Edges":[]})").body,
            dvid_error("Failed to retrieve vertex 12: Vertex data empty\n", path));
}

TEST_F(LabelgraphTest, GraphsAreVersioned) {
  post_small_graph();
  commit(uuid_);
  const std::string child = new_version(uuid_);
  const std::string child_graph = "/api/node/" + child + "/graph/";
  ASSERT_EQ(post(child_graph + "weight", R"({"Vertices":[{"Id":1,"Weight":1}],"Edges":[]})").status,
            200);
  EXPECT_EQ(get(child_graph + "neighbors/1").body,
            R"({"Transactions":null,"Vertices":[{"Id":1,"Weight":2.5},{"Id":2,"Weight":2}],)"
            R"("Edges":[{"Id1":1,"Id2":2,"Weight":10}]})");
  EXPECT_EQ(get(node("neighbors/1")).body,
            R"({"Transactions":null,"Vertices":[{"Id":1,"Weight":1.5},{"Id":2,"Weight":2}],)"
            R"("Edges":[{"Id1":1,"Id2":2,"Weight":10}]})");
  EXPECT_EQ(post(node("weight"), R"({"Vertices":[],"Edges":[]})").status, 400);
}

TEST_F(LabelgraphTest, RefusesPutAndUndomerge) {
  std::string path = node("subgraph");
  auto response = request("PUT", path, "{}");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body, dvid_error("PUT requests not supported", path));
  path = node("undomerge");
  EXPECT_EQ(post(path).body, dvid_error("undomerge not yet implemented", path));
}

}  // namespace
}  // namespace dvidxfer::testing
