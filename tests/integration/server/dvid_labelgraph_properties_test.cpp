// labelgraph properties over loopback (dvid-api.md 8): raw byte properties of vertices and edges,
// and the binary property-transaction protocol with its optimistic per-vertex transaction ids.
#include "dvid_labelgraph_test_support.hpp"

namespace dvidxfer::testing {
namespace {

class LabelgraphPropertiesTest : public DvidLabelgraphTest {
 protected:
  LabelgraphPropertiesTest() {
    const auto response = post(node("subgraph"), R"({"Vertices":[{"Id":1},{"Id":2},{"Id":3}],
        "Edges":[{"Id1":1,"Id2":2,"Weight":1}]})");
    EXPECT_EQ(response.status, 200) << response.body;
  }

  // A GET propertytransaction reading `property` of `vertices`; returns the transaction ids.
  std::string read_transaction(std::string_view kind, std::string_view property,
                               const std::string& body) {
    const auto response = request(
        "GET", node("propertytransaction/" + std::string(kind) + "/" + std::string(property)),
        body);
    EXPECT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.header("content-type"), "application/octet-stream");
    return response.body;
  }
};

TEST_F(LabelgraphPropertiesTest, VertexAndEdgePropertiesRoundTripAsBytes) {
  const std::string bytes("\x00\x01\xfe\xff binary", 11);
  ASSERT_EQ(post(node("property/1/color"), bytes).status, 200);
  ASSERT_EQ(post(node("property/2/1/overlap"), "edge bytes").status, 200);
  auto response = get(node("property/1/color"));
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type"), "application/octet-stream");
  EXPECT_EQ(response.body, bytes);
  // Edges are unordered.
  EXPECT_EQ(get(node("property/1/2/overlap")).body, "edge bytes");
  EXPECT_EQ(get(node("property/2/1/overlap")).body, "edge bytes");
  // Deleted properties, and properties never set, read as no bytes, as DVID answered them.
  ASSERT_EQ(request("DELETE", node("property/1/color")).status, 200);
  response = get(node("property/1/color"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "");
  // Properties of a vertex or edge that does not exist are not stored.
  ASSERT_EQ(post(node("property/9/color"), "x").status, 200);
  EXPECT_EQ(get(node("property/9/color")).body, "");
  ASSERT_EQ(post(node("property/1/3/overlap"), "x").status, 200);
  EXPECT_EQ(get(node("property/1/3/overlap")).body, "");
}

TEST_F(LabelgraphPropertiesTest, PropertiesGoWithTheirVertex) {
  ASSERT_EQ(post(node("property/2/color"), "red").status, 200);
  ASSERT_EQ(post(node("property/1/2/overlap"), "lots").status, 200);
  ASSERT_EQ(request("DELETE", node("subgraph"), R"({"Vertices":[{"Id":2}],"Edges":[]})").status,
            200);
  ASSERT_EQ(post(node("subgraph"), R"({"Vertices":[{"Id":2}],"Edges":[{"Id1":1,"Id2":2}]})").status,
            200);
  EXPECT_EQ(get(node("property/2/color")).body, "");
  EXPECT_EQ(get(node("property/1/2/overlap")).body, "");
}

TEST_F(LabelgraphPropertiesTest, PropertyUrlsAreChecked) {
  std::string path = node("property/1");
  EXPECT_EQ(get(path).body,
            dvid_error("Incorrect number of parameters specified for handling properties", path));
  path = node("property/one/color");
  EXPECT_EQ(get(path).body, dvid_error("Vertex number not provided", path));
}

TEST_F(LabelgraphPropertiesTest, ReadingHandsOutTransactionIdsAndWritingNeedsThem) {
  // Read "size" of vertices 1 and 2: both are locked for the read and get fresh ids.
  std::string reply = read_transaction("vertices", "size", le64({2, 1, 0, 2, 0}) + le64({2, 1, 2}));
  ASSERT_EQ(reply.size(), 8u * (1 + 4 + 1 + 1 + 2 * 2));
  EXPECT_EQ(le64_at(reply, 0), 2u);
  EXPECT_EQ(le64_at(reply, 1), 1u);
  const std::uint64_t id1 = le64_at(reply, 2);
  EXPECT_EQ(le64_at(reply, 3), 2u);
  const std::uint64_t id2 = le64_at(reply, 4);
  EXPECT_NE(id1, 0u);
  EXPECT_NE(id2, 0u);
  EXPECT_NE(id1, id2);
  EXPECT_EQ(le64_at(reply, 5), 0u);  // no failed vertices
  EXPECT_EQ(le64_at(reply, 6), 2u);  // two properties returned, both empty
  EXPECT_EQ(reply.substr(7 * 8), le64({1, 0, 2, 0}));

  // Write with vertex 1's id and a stale id for vertex 2: only vertex 1 is written.
  const auto written =
      post(node("propertytransaction/vertices/size"),
           le64({2, 1, id1, 2, id2 + 100}) + le64({2, 1, 3}) + "abc" + le64({2, 2}) + "de");
  ASSERT_EQ(written.status, 200) << written.body;
  ASSERT_EQ(written.body.size(), 8u * 5);
  EXPECT_EQ(le64_at(written.body, 0), 1u);
  EXPECT_EQ(le64_at(written.body, 1), 1u);
  const std::uint64_t next1 = le64_at(written.body, 2);
  EXPECT_NE(next1, id1);  // a write moves the vertex to a new id
  EXPECT_EQ(le64_at(written.body, 3), 1u);
  EXPECT_EQ(le64_at(written.body, 4), 2u);
  EXPECT_EQ(get(node("property/1/size")).body, "abc");
  EXPECT_EQ(get(node("property/2/size")).body, "");

  // The old id no longer writes; the new one does.
  auto stale =
      post(node("propertytransaction/vertices/size"), le64({1, 1, id1}) + le64({1, 1, 1}) + "x");
  EXPECT_EQ(stale.body, le64({0, 1, 1}));
  EXPECT_EQ(get(node("property/1/size")).body, "abc");
  auto fresh =
      post(node("propertytransaction/vertices/size"), le64({1, 1, next1}) + le64({1, 1, 1}) + "y");
  EXPECT_EQ(le64_at(fresh.body, 0), 1u);
  EXPECT_EQ(get(node("property/1/size")).body, "y");

  // A read returns the stored bytes and leaves the id as it was (libdvid adds a trailing '/').
  reply = read_transaction("vertices", "size/", le64({1, 1, 0}) + le64({1, 1}));
  const std::uint64_t current = le64_at(reply, 2);
  EXPECT_EQ(current, le64_at(fresh.body, 2));
  EXPECT_EQ(reply.substr(8 * 4), le64({1, 1, 1}) + "y");
}

TEST_F(LabelgraphPropertiesTest, EdgeTransactionsNeedBothVerticesLocked) {
  std::string reply = read_transaction("edges", "overlap", le64({2, 1, 0, 2, 0}) + le64({0}));
  const std::uint64_t id1 = le64_at(reply, 2), id2 = le64_at(reply, 4);
  const auto written =
      post(node("propertytransaction/edges/overlap"),
           le64({2, 1, id1, 2, id2}) + le64({2, 1, 2, 4}) + "1234" + le64({2, 3, 1}) + "z");
  ASSERT_EQ(written.status, 200) << written.body;
  EXPECT_EQ(le64_at(written.body, 0), 2u);
  EXPECT_EQ(get(node("property/2/1/overlap")).body, "1234");
  // Vertex 3 was not locked, so the 2-3 record was skipped.
  EXPECT_EQ(get(node("property/2/3/overlap")).body, "");
  reply = read_transaction("edges", "overlap", le64({2, 1, 0, 2, 0}) + le64({1, 2, 1}));
  EXPECT_EQ(reply.substr(8 * 6), le64({1, 2, 1, 4}) + "1234");
}

TEST_F(LabelgraphPropertiesTest, TransactionsAreLimitedAndChecked) {
  std::string body = le64({1001});
  for (std::uint64_t id = 1; id <= 1001; ++id) body += le64({id, 0});
  std::string path = node("propertytransaction/vertices/size");
  auto response = request("GET", path, body + le64({0}));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body,
            dvid_error("Failed to create property transaction: Do not support transaction with "
                       "over 1000 ids",
                       path));
  EXPECT_EQ(request("DELETE", path).body, dvid_error("Transactional delete not supported", path));
  path = node("propertytransaction/faces/size");
  EXPECT_EQ(get(path).body, dvid_error("Must specify edges or vertices in URI", path));
  path = node("propertytransaction/vertices");
  EXPECT_EQ(get(path).body,
            dvid_error("Must specify edges or vertices in URI and property name", path));
}

}  // namespace
}  // namespace dvidxfer::testing
