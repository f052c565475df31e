// roi's queries over loopback (dvid-api.md 6): masks, point queries and partitions with DVID's
// geometry, quirks and texts, and the Z extent and span keys they rely on.
#include <set>

#include "dvid_volume_test_support.hpp"

namespace dvidxfer::testing {
namespace {

class RoiQueriesTest : public DvidVolumeTest {
 protected:
  // `region` has 4^3-voxel blocks so masks stay small; `big` has DVID's default 32^3.
  RoiQueriesTest() {
    new_instance(uuid_, "region", "roi", R"(,"BlockSize":"4,4,4")");
    new_instance(uuid_, "big", "roi");
  }
};

TEST_F(RoiQueriesTest, MaskIsOneByteForEveryVoxelInsideTheRoiBlocks) {
  // Blocks (z,y,x): (0,0,1), (0,0,2), (1,1,0).
  ASSERT_EQ(post(node("region/roi"), "[[0,0,1,2],[1,1,0,0]]").status, 200);
  const VolumeBox box{{2, 1, 0}, {8, 6, 6}};
  const auto response = get(node("region/mask/0_1_2/" + box.url()));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.header("content-type"), "application/octet-stream");
  const std::set<std::array<int, 3>> blocks{{0, 0, 1}, {0, 0, 2}, {1, 1, 0}};
  std::string expected;
  for (int z = 0; z < 6; ++z)
    for (int y = 1; y < 7; ++y)
      for (int x = 2; x < 10; ++x) expected += blocks.contains({z / 4, y / 4, x / 4}) ? '\1' : '\0';
  EXPECT_EQ(response.body, expected);
  // Spot checks by hand: voxel (4,1,0) is in block (0,0,1); (2,5,4) in block (1,1,0).
  EXPECT_EQ(response.body[0 * 48 + 0 * 8 + 2], '\1');
  EXPECT_EQ(response.body[4 * 48 + 4 * 8 + 0], '\1');
  EXPECT_EQ(response.body[4 * 48 + 0 * 8 + 2], '\0');
}

TEST_F(RoiQueriesTest, MaskKeepsDvidsTruncatingBlockRangeAtNegativeEdges) {
  // Block x = -2 holds voxels -8..-5. A mask from x = -6 asks DVID for blocks from -6/4 = -1
  // (Go truncates), so that block is missed, while a block-aligned start at -8 finds it.
  ASSERT_EQ(post(node("region/roi"), "[[0,0,-2,-2]]").status, 200);
  EXPECT_EQ(get(node("region/mask/0_1_2/4_1_1/-6_0_0")).body, std::string(4, '\0'));
  EXPECT_EQ(get(node("region/mask/0_1_2/4_1_1/-8_0_0")).body, std::string("\1\1\1\1", 4));
  // ptquery uses floor division and finds voxel -6 inside.
  EXPECT_EQ(post(node("region/ptquery"), "[[-6,0,0]]").body, "[true]");
}

TEST_F(RoiQueriesTest, MaskRequestsOutsideDvidsShapesAreRefusedWithItsTexts) {
  const std::string slice = node("region/mask/0_1/4_4/0_0_0");
  EXPECT_EQ(get(slice).body,
            dvid_error("Currently only 3d masks ('0_1_2' shape) is supported", slice));
  const std::string shape = node("region/mask/9_9/4_4_4/0_0_0");
  EXPECT_EQ(get(shape).body, dvid_error("Unknown data shape specification (9_9)", shape));
  const std::string short_path = node("region/mask/0_1_2/4_4_4");
  EXPECT_EQ(get(short_path).body,
            dvid_error("\"mask\" must be followed by shape/size/offset", short_path));
  const std::string full = node("region/mask/0_1_2/4_4_4/0_0_0");
  EXPECT_EQ(post(full).body, dvid_error("ROI mask only supports GET", full));
  EXPECT_EQ(get(node("region/mask/0_1_2/0_4_4/0_0_0")).body, "");
  EXPECT_EQ(get(node("region/mask/0_1_2/-1_4_4/0_0_0")).status, 500);
}

TEST_F(RoiQueriesTest, PointQueryAnswersInRequestOrderWithFloorDivision) {
  // Blocks (z,y,x) of 32^3: (0,0,0..1), (-1,2,-1).
  ASSERT_EQ(post(node("big/roi"), "[[-1,2,-1,-1],[0,0,0,1]]").status, 200);
  const auto response =
      post(node("big/ptquery"), "[[63,31,0],[64,0,0],[-1,64,-1],[-1,64,0],[0,0,0],[-33,64,-1]]");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(response.body, "[true,false,true,false,true,false]");
  EXPECT_EQ(post(node("big/ptquery"), "[]").body, "[]");
  EXPECT_EQ(post(node("big/ptquery"), "null").body, "[]");
  // Go's unmarshal into [3]int32: short points are zero-filled, null is (0,0,0), elements past
  // the third are skipped unchecked.
  EXPECT_EQ(post(node("big/ptquery"), R"([[40],null,[1,2,3,"extra",[]]])").body,
            "[true,true,true]");
}

TEST_F(RoiQueriesTest, PointQueryRefusesGetAndBadPointsWithDvidsTexts) {
  const std::string path = node("big/ptquery");
  EXPECT_EQ(get(path).body, dvid_error("ptquery requires POST with list of points", path));
  EXPECT_EQ(post(path, "").body, dvid_error("unexpected end of JSON input", path));
  EXPECT_EQ(post(path, "{}").body,
            dvid_error("json: cannot unmarshal object into Go value of type []dvid.Point3d", path));
  EXPECT_EQ(post(path, "[3]").body,
            dvid_error("json: cannot unmarshal number into Go value of type dvid.Point3d", path));
  EXPECT_EQ(post(path, "[[1.5,0,0]]").body,
            dvid_error("json: cannot unmarshal number 1.5 into Go value of type int32", path));
  EXPECT_EQ(post(path, R"([[0,"a",0]])").body,
            dvid_error("json: cannot unmarshal string into Go value of type int32", path));
}

TEST_F(RoiQueriesTest, MalformedJsonGetsGoScannerTexts) {
  const std::string path = node("big/ptquery");
  const auto error = [&](std::string_view body) { return post(path, body).body; };
  EXPECT_EQ(error("  \n"), dvid_error("unexpected end of JSON input", path));
  EXPECT_EQ(error("[[1,2,3]"), dvid_error("unexpected end of JSON input", path));
  EXPECT_EQ(error("x"), dvid_error("invalid character 'x' looking for beginning of value", path));
  EXPECT_EQ(error("[[1,2,3]]]"), dvid_error("invalid character ']' after top-level value", path));
  EXPECT_EQ(error("[[1 2]]"), dvid_error("invalid character '2' after array element", path));
  EXPECT_EQ(error("[[1,2,3],]"),
            dvid_error("invalid character ']' looking for beginning of value", path));
  EXPECT_EQ(error("[[1.]]"),
            dvid_error("invalid character ']' after decimal point in numeric literal", path));
  EXPECT_EQ(error("[[-x]]"), dvid_error("invalid character 'x' in numeric literal", path));
  EXPECT_EQ(error("[tru"),
            dvid_error("invalid character ' ' in literal true (expecting 'e')", path));
  EXPECT_EQ(error("[nul1]"),
            dvid_error("invalid character '1' in literal null (expecting 'l')", path));
  EXPECT_EQ(error("{\"a\" 1}"), dvid_error("invalid character '1' after object key", path));
  EXPECT_EQ(error("{1:2}"),
            dvid_error("invalid character '1' looking for beginning of object key string", path));
  EXPECT_EQ(error("[\"\\q\"]"), dvid_error("invalid character 'q' in string escape code", path));
  EXPECT_EQ(error("[\"\t\"]"), dvid_error("invalid character '\\t' in string literal", path));
  EXPECT_EQ(error("[\"\\u12g4\"]"),
            dvid_error("invalid character 'g' in \\u hexadecimal character escape", path));
  EXPECT_EQ(error("[1e+]"),
            dvid_error("invalid character ']' in exponent of numeric literal", path));
  EXPECT_EQ(error("\x01"),
            dvid_error("invalid character '\\x01' looking for beginning of value", path));
  EXPECT_EQ(error("'"), dvid_error("invalid character '\\'' looking for beginning of value", path));
  // The same scanner guards POST .../roi.
  const std::string roi = node("big/roi");
  EXPECT_EQ(post(roi, "[[0,0,0,1]").body,
            dvid_error("Error trying to parse POSTed JSON: unexpected end of JSON input", roi));
}

TEST_F(RoiQueriesTest, PointQueryIsAllowedOnCommittedNodesButRoiWritesAreNot) {
  ASSERT_EQ(post(node("big/roi"), "[[0,0,0,0]]").status, 200);
  commit(uuid_);
  const auto query = post(node("big/ptquery"), "[[1,1,1],[32,0,0]]");
  EXPECT_EQ(query.status, 200) << query.body;
  EXPECT_EQ(query.body, "[true,false]");
  EXPECT_EQ(post(node("big/roi"), "[[0,0,0,1]]").status, 400);
}

// A hand-computed SimplePartition with batchsize 2 over blocks (z,y,x) (0,0,0..2), (0,0,6),
// (1,1,1), (3,0,5). MinZ 0, MaxZ 3: layers z 0..1 and 2..3. Layer 0 has rows y 0..1 and X
// 0..6, 7 blocks wide, so cubes x 0-1, 2-3, 4-5 (empty, counted, not listed) and 6-7. Layer 1
// holds block (3,0,5): Y 0..0 becomes 0..1, X 5..5 becomes 5..6.
constexpr std::string_view kSimplePartition = R"({
    "NumTotalBlocks": 40,
    "NumActiveBlocks": 6,
    "NumSubvolumes": 4,
    "ROI": {
        "MinChunk": [
            0,
            0,
            0
        ],
        "MaxChunk": [
            6,
            1,
            3
        ]
    },
    "Subvolumes": [
        {
            "MinPoint": [
                0,
                0,
                0
            ],
            "MaxPoint": [
                63,
                63,
                63
            ],
            "MinChunk": [
                0,
                0,
                0
            ],
            "MaxChunk": [
                1,
                1,
                1
            ],
            "TotalBlocks": 8,
            "ActiveBlocks": 3
        },
        {
            "MinPoint": [
                64,
                0,
                0
            ],
            "MaxPoint": [
                127,
                63,
                63
            ],
            "MinChunk": [
                2,
                0,
                0
            ],
            "MaxChunk": [
                3,
                1,
                1
            ],
            "TotalBlocks": 8,
            "ActiveBlocks": 1
        },
        {
            "MinPoint": [
                192,
                0,
                0
            ],
            "MaxPoint": [
                255,
                63,
                63
            ],
            "MinChunk": [
                6,
                0,
                0
            ],
            "MaxChunk": [
                7,
                1,
                1
            ],
            "TotalBlocks": 8,
            "ActiveBlocks": 1
        },
        {
            "MinPoint": [
                160,
                0,
                64
            ],
            "MaxPoint": [
                223,
                63,
                127
            ],
            "MinChunk": [
                5,
                0,
                2
            ],
            "MaxChunk": [
                6,
                1,
                3
            ],
            "TotalBlocks": 8,
            "ActiveBlocks": 1
        }
    ]
})";

constexpr std::string_view kPartitionSpans = "[[3,0,5,5],[0,0,6,6],[1,1,1,1],[0,0,0,2]]";

TEST_F(RoiQueriesTest, SimplePartitionMatchesTheHandComputedTiling) {
  ASSERT_EQ(post(node("big/roi"), kPartitionSpans).status, 200);
  const auto response = get(node("big/partition?batchsize=2"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(response.body, kSimplePartition);
  EXPECT_EQ(get(node("big/partition?batchsize=2&optimized=false")).body, kSimplePartition);
}

// Minimum chunks of the listed subvolumes, in order.
std::vector<std::string> min_chunks(const std::string& partition) {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(partition);
  std::vector<std::string> chunks;
  for (simdjson::dom::element subvolume : parser.parse(padded)["Subvolumes"].get_array()) {
    std::string chunk;
    for (simdjson::dom::element value : subvolume["MinChunk"].get_array())
      chunk += (chunk.empty() ? "" : ",") + std::to_string(value.get_int64().value());
    chunks.push_back(chunk);
  }
  return chunks;
}

TEST_F(RoiQueriesTest, SimplePartitionAdvancesOneLayerPerSpanAcrossZGaps) {
  // DVID's scan moves one layer on per span past the current layer, so after the empty layer
  // z 2..3 the span (5,0) is put in it and only (5,1) reaches layer z 4..5.
  ASSERT_EQ(post(node("big/roi"), "[[0,0,0,0],[5,0,0,0],[5,1,0,0]]").status, 200);
  const auto response = get(node("big/partition?batchsize=2"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(min_chunks(response.body), (std::vector<std::string>{"0,0,0", "0,0,2", "0,1,4"}));
}

TEST_F(RoiQueriesTest, OptimizedPartitionKeepsDvidsMerging) {
  // Layer 0: cube x 0..2 (the remainder widens it) is listed; x 3..4 is a hole; x 5..6 starts
  // with one; x 6..7 has its hole at 7, so x 6 merges into the last subvolume. Layer 1's row
  // (y 0..2, x 5..7) has its hole at 6..7: x 5 merges into that same subvolume, whose MaxPoint
  // DVID sets from the first voxel of its new last block.
  ASSERT_EQ(post(node("big/roi"), kPartitionSpans).status, 200);
  const auto response = get(node("big/partition?batchsize=2&optimized=true"));
  ASSERT_EQ(response.status, 200) << response.body;
  const std::string body = response.body;
  EXPECT_NE(body.find(R"("NumTotalBlocks": 22,)"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("NumActiveBlocks": 6,)"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("NumSubvolumes": 1,)"), std::string::npos) << body;
  EXPECT_NE(body.find("\"MaxPoint\": [\n                160,\n                64,\n"
                      "                96\n            ],"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("\"MaxChunk\": [\n                5,\n                2,\n"
                      "                3\n            ],\n            \"TotalBlocks\": 22,\n"
                      "            \"ActiveBlocks\": 6\n"),
            std::string::npos)
      << body;
  EXPECT_EQ(get(node("big/partition?batchsize=2&optimized=on")).body, body);
}

TEST_F(RoiQueriesTest, OptimizedPartitionPanicsLikeDvidOnAHoleInTheFirstCube) {
  // The first cube x 0..1 has a hole at 1; DVID merges x 0 into subvolume [-1].
  ASSERT_EQ(post(node("big/roi"), "[[0,0,0,0],[0,0,3,3]]").status, 200);
  const auto response = get(node("big/partition?batchsize=2&optimized=true"));
  EXPECT_EQ(response.status, 500);
  EXPECT_NE(response.body.find("runtime error: index out of range [-1]"), std::string::npos)
      << response.body;
}

TEST_F(RoiQueriesTest, EmptyRoiPartitionsIntoNothingWithTheEmptyExtent) {
  const auto response = get(node("big/partition?batchsize=8"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body, R"({
    "NumTotalBlocks": 0,
    "NumActiveBlocks": 0,
    "NumSubvolumes": 0,
    "ROI": {
        "MinChunk": [
            0,
            0,
            2147483647
        ],
        "MaxChunk": [
            0,
            0,
            -2147483648
        ]
    },
    "Subvolumes": []
})");
}

TEST_F(RoiQueriesTest, PartitionRefusesMissingOrBadBatchSizes) {
  ASSERT_EQ(post(node("big/roi"), "[[0,0,0,0]]").status, 200);
  const std::string path = node("big/partition");
  EXPECT_EQ(get(path).body,
            dvid_error("Error reading batchsize query string: strconv.Atoi: parsing \"\": "
                       "invalid syntax",
                       path));
  EXPECT_EQ(get(path + "?batchsize=x").body,
            dvid_error("Error reading batchsize query string: strconv.Atoi: parsing \"x\": "
                       "invalid syntax",
                       path));
  EXPECT_EQ(post(path + "?batchsize=2").body,
            dvid_error("partition only supports GET request", path));
  const auto zero = get(path + "?batchsize=0");
  EXPECT_EQ(zero.status, 500);
  EXPECT_NE(zero.body.find("runtime error: integer divide by zero"), std::string::npos);
  EXPECT_EQ(get(path + "?batchsize=-2").status, 400);
}

TEST_F(RoiQueriesTest, ReplacingOrDeletingTheRoiRestartsItsZExtent) {
  ASSERT_EQ(post(node("big/roi"), "[[-3,0,0,0],[5,0,0,0]]").status, 200);
  ASSERT_EQ(post(node("big/roi"), "[[2,0,0,0]]").status, 200);
  EXPECT_NE(get(node("big/info")).body.find(R"("MinZ":2,"MaxZ":2)"), std::string::npos);
  ASSERT_EQ(request("DELETE", node("big/roi")).status, 200);
  EXPECT_NE(get(node("big/info")).body.find(R"("MinZ":2147483647,"MaxZ":-2147483648)"),
            std::string::npos);
}

TEST_F(RoiQueriesTest, PostedSpansAreDecodedAsGoDecodesFourInt32s) {
  ASSERT_EQ(post(node("big/roi"), R"([[0,0,0,3,"extra",[]],[1,null,2,2]])").status, 200);
  EXPECT_EQ(get(node("big/roi")).body, "[[0,0,0,3],[1,0,2,2]]");
}

TEST_F(RoiQueriesTest, IdenticalSpansAreStoredOnceAsDvidsKeysAre) {
  ASSERT_EQ(post(node("big/roi"), "[[0,0,0,3],[0,0,0,3],[0,0,1,2]]").status, 200);
  EXPECT_EQ(get(node("big/roi")).body, "[[0,0,0,3],[0,0,1,2]]");
  // Overlapping spans stay two keys, and DVID's partition counts both.
  EXPECT_NE(get(node("big/partition?batchsize=4")).body.find(R"("NumActiveBlocks": 6,)"),
            std::string::npos);
}

}  // namespace
}  // namespace dvidxfer::testing
