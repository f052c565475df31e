// labelmap and labelarray instances over loopback: creation settings and DVID's refusals, the
// info JSON, the type lists, maxlabel and nextlabel, and versions (children see their parent's
// blocks; committed nodes refuse writes).
#include <gtest/gtest.h>

#include "labelmap_test_support.hpp"

namespace dvidxfer::testing {
namespace {

// The "Extended" and "Extents" members of an info answer, as text.
std::string extended_part(const std::string& info) {
  const std::size_t start = info.find(",\"Extended\":");
  EXPECT_NE(start, std::string::npos) << info;
  return start == std::string::npos ? std::string() : info.substr(start + 1);
}

class LabelmapInstance : public LabelmapTest {
 protected:
  RawHttpResponse create_response(std::string_view settings, std::string_view type = "labelmap") {
    return post("/api/repo/" + uuid_ + "/instance", R"({"typename":")" + std::string(type) +
                                                        R"(","dataname":"labels")" +
                                                        std::string(settings) + "}");
  }
  std::string instance_path() const { return "/api/repo/" + uuid_ + "/instance"; }
};

TEST_F(LabelmapInstance, DefaultsAndInfoAsDvidWritesThem) {
  create();
  const std::string info = get(data("info")).body;
  EXPECT_NE(info.find(R"("Name":"labels")"), std::string::npos) << info;
  EXPECT_NE(info.find(R"("TypeName":"labelmap")"), std::string::npos) << info;
  EXPECT_NE(info.find(R"("Compression":"gzip compression, level -1")"), std::string::npos);
  EXPECT_EQ(extended_part(info),
            R"("Extended":{"Values":[{"DataType":"uint64","Label":"labelmap"}],)"
            R"("Interpolable":false,"BlockSize":[64,64,64],"VoxelSize":[8,8,8],)"
            R"("VoxelUnits":["nanometers","nanometers","nanometers"],"MinPoint":null,)"
            R"("MaxPoint":null,"MinIndex":null,"MaxIndex":null,"Background":0,"GridStore":"",)"
            R"("ScaleLevel":0,"MaxLabel":{},"MaxRepoLabel":0,"NextLabel":0,)"
            R"("IndexedLabels":true,"MaxDownresLevel":0},)"
            R"("Extents":{"MinPoint":null,"MaxPoint":null}})");
}

TEST_F(LabelmapInstance, SettingsShowInInfo) {
  create(R"(,"BlockSize":"32,48,16","MaxDownresLevel":"3","IndexedLabels":"FALSE",)"
         R"("VoxelSize":"4,4,40","VoxelUnits":"nm")");
  const std::string info = get(data("info")).body;
  EXPECT_NE(
      info.find(R"("BlockSize":[32,48,16],"VoxelSize":[4,4,40],"VoxelUnits":["nm","nm","nm"])"),
      std::string::npos)
      << info;
  EXPECT_NE(info.find(R"("IndexedLabels":false,"MaxDownresLevel":3})"), std::string::npos);

  create(R"(,"CountLabels":"0","BlockSize":"32,32,40")", "labelarray", "array");
  const std::string array = get(data("info", "array")).body;
  EXPECT_NE(array.find(R"("Values":[{"DataType":"uint64","Label":"labelarray"}])"),
            std::string::npos);
  EXPECT_NE(array.find(R"("BlockSize":[32,32,40])"), std::string::npos)
      << "labelarray does not check block sizes, as DVID";
  EXPECT_NE(
      array.find(
          R"("MaxLabel":{},"MaxRepoLabel":0,"IndexedLabels":true,"CountLabels":false,"MaxDownresLevel":0})"),
      std::string::npos)
      << array;
}

TEST_F(LabelmapInstance, RefusedSettings) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {R"(,"BlockSize":"32,32,40")", "BlockSize must be multiples of 16"},
      {R"(,"BlockSize":"8,16,16")", "BlockSize must be multiples of 16"},
      {R"(,"MaxDownresLevel":"256")",
       "illegal number of down-res levels specified (256): must be 0 <= n <= 255"},
      {R"(,"MaxDownresLevel":"-1")",
       "illegal number of down-res levels specified (-1): must be 0 <= n <= 255"},
      {R"(,"MaxDownresLevel":"two")", R"(strconv.Atoi: parsing "two": invalid syntax)"},
      {R"(,"IndexedLabels":"maybe")",
       "Cannot parse 'maybe' as a boolean.  Use 'true', 'false', '0', or '1'."},
  };
  for (const auto& [settings, message] : cases) {
    const auto response = create_response(settings);
    EXPECT_EQ(response.status, 400) << settings;
    EXPECT_EQ(response.body, dvid_error(message, instance_path())) << settings;
  }
  EXPECT_EQ(create_response(R"(,"CountLabels":"often")", "labelarray").body,
            dvid_error("Cannot parse 'often' as a boolean.  Use 'true', 'false', '0', or '1'.",
                       instance_path()));
}

TEST_F(LabelmapInstance, TypeListsNameBothTypes) {
  const std::string compiled = get("/api/server/compiled-types").body;
  EXPECT_NE(compiled.find(R"("labelarray":"github.com/janelia-flyem/dvid/datatype/labelarray")"),
            std::string::npos);
  EXPECT_NE(compiled.find(R"("labelmap":"github.com/janelia-flyem/dvid/datatype/labelmap")"),
            std::string::npos);
  create();
  EXPECT_EQ(get("/api/server/types").body,
            R"({"labelmap":"github.com/janelia-flyem/dvid/datatype/labelmap"})");
  EXPECT_EQ(get(data("help")).status, 200);
  const auto unknown = get(data("sparsevol-by-nothing"));
  EXPECT_EQ(unknown.status, 400);
}

TEST_F(LabelmapInstance, PostInfoChangesMaxDownresLevel) {
  create();
  const auto response = post(data("info"), R"({"MaxDownresLevel":"4"})");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body,
            "Changed 'labels' based on received configuration:\n{map[maxdownreslevel:4]}\n");
  EXPECT_NE(get(data("info")).body.find(R"("MaxDownresLevel":4})"), std::string::npos);
  EXPECT_EQ(post(data("info"), R"({"MaxDownresLevel":"300"})").body,
            dvid_error(R"(strconv.ParseUint: parsing "300": value out of range)",
                       "/api/node/" + uuid_ + "/labels/info"));
}

TEST_F(LabelmapInstance, MaxLabelAndNextLabel) {
  create();
  const std::string path = "/api/node/" + uuid_ + "/labels/";
  EXPECT_EQ(get(data("maxlabel")).body,
            dvid_error("No maximum label found for labels version 1\n", path + "maxlabel"));
  EXPECT_EQ(get(data("nextlabel")).body, R"({"nextlabel": 1})");
  ASSERT_EQ(post_blocks(block_record({0, 0, 0}, fib19_gzip_block())).status, 200);
  EXPECT_EQ(get(data("maxlabel")).body, R"({"maxlabel": 52043487570})");
  EXPECT_EQ(get(data("maxlabel")).header("content-type"), "application/json");
  EXPECT_EQ(get(data("nextlabel")).body, R"({"nextlabel": 52043487571})");
  EXPECT_EQ(post(data("nextlabel/10")).body, R"({"start": 52043487571, "end": 52043487580})");
  EXPECT_EQ(get(data("maxlabel")).body, R"({"maxlabel": 52043487580})");
  EXPECT_EQ(get(data("nextlabel")).body, R"({"nextlabel": 52043487581})");
  EXPECT_NE(
      get(data("info"))
          .body.find(R"("MaxLabel":{"1":52043487580},"MaxRepoLabel":52043487580,"NextLabel":0,)"),
      std::string::npos);
  // A smaller label written later never lowers it.
  const std::string small = codec_gzip_block(label_pattern({{64, 0, 0}, {64, 64, 64}}, 0), 64);
  ASSERT_EQ(post_blocks(block_record({1, 0, 0}, small)).status, 200);
  EXPECT_EQ(get(data("maxlabel")).body, R"({"maxlabel": 52043487580})");

  EXPECT_EQ(post(data("nextlabel/0")).body,
            dvid_error("cannot request 0 new labels, must be 1 or more", path + "nextlabel/0"));
  EXPECT_EQ(post(data("nextlabel")).body,
            dvid_error("DVID requires number of requested labels to follow POST /nextlabel",
                       path + "nextlabel"));
  EXPECT_EQ(post(data("nextlabel/x")).status, 400);
  EXPECT_EQ(post(data("nextlabel/18446744073709551000")).body,
            dvid_error("allocating 18446744073709551000 new labels for data \"labels\" would "
                       "overflow uint64 label space (repo max 52043487580)",
                       path + "nextlabel/18446744073709551000"));
  EXPECT_EQ(
      request("DELETE", data("maxlabel")).body,
      dvid_error("Unknown action \"DELETE\" requested: " + path + "maxlabel\n", path + "maxlabel"));
}

TEST_F(LabelmapInstance, UnindexedInstancesRefuseLabelEndpoints) {
  create(R"(,"IndexedLabels":"false")");
  const std::string path = "/api/node/" + uuid_ + "/labels/";
  EXPECT_EQ(get(data("maxlabel")).body,
            dvid_error(R"(data "labels" is not label indexed (IndexedLabels=false): "maxlabel" )"
                       "endpoint is not supported",
                       path + "maxlabel"));
  EXPECT_EQ(post(data("nextlabel/3")).status, 400);
  EXPECT_EQ(post_blocks(block_record({0, 0, 0}, fib19_gzip_block())).status, 200);
}

TEST_F(LabelmapInstance, LabelarrayCountsPerVersionAndAllocatesNothing) {
  create("", "labelarray");
  ASSERT_EQ(post_blocks(block_record({0, 0, 0}, fib19_gzip_block())).status, 200);
  EXPECT_EQ(get(data("maxlabel")).body, R"({"maxlabel": 52043487570})");
  EXPECT_EQ(post(data("nextlabel/5")).body,
            dvid_error("POST on maxlabel is not supported yet.\n",
                       "/api/node/" + uuid_ + "/labels/nextlabel/5"));
  EXPECT_EQ(post(data("ingest-supervoxels"), "").status, 400) << "labelmap only";
  commit(uuid_);
  const std::string child = new_version(uuid_);
  EXPECT_EQ(get("/api/node/" + child + "/labels/maxlabel").status, 400)
      << "labelarray's max label is the version's own";
  EXPECT_EQ(get("/api/node/" + child + "/labels/nextlabel").body, R"({"nextlabel": 52043487571})");
}

TEST_F(LabelmapInstance, ChildrenSeeParentBlocksAndCommittedNodesRefuseWrites) {
  create();
  ASSERT_EQ(post_blocks(block_record({0, 0, 0}, fib19_gzip_block())).status, 200);
  commit(uuid_);
  const auto locked = post_blocks(block_record({1, 0, 0}, fib19_gzip_block()));
  EXPECT_EQ(locked.body, dvid_error("Cannot do POST on endpoint \"blocks\" of locked node " + uuid_,
                                    "/api/node/" + uuid_ + "/labels/blocks"));
  EXPECT_EQ(post_raw({{0, 0, 0}, {64, 64, 64}}, fib19_volume()).status, 400);
  EXPECT_EQ(post(data("nextlabel/1")).status, 400);

  const std::string child = new_version(uuid_);
  const std::string at_child = "/api/node/" + child + "/labels/";
  const VolumeBox two{{0, 0, 0}, {128, 64, 64}};
  ReferenceVolume expected(two, 8);
  expected.paste({{0, 0, 0}, {64, 64, 64}}, fib19_volume());
  EXPECT_EQ(get(at_child + "raw/0_1_2/" + two.url()).body, expected.extract(two));
  EXPECT_EQ(get(at_child + "maxlabel").body, R"({"maxlabel": 52043487570})");

  const std::string replaced = label_pattern({{0, 0, 0}, {64, 64, 64}}, 5);
  const std::string added = label_pattern({{64, 0, 0}, {64, 64, 64}}, 6);
  ASSERT_EQ(post(at_child + "blocks", block_record({0, 0, 0}, codec_gzip_block(replaced, 64)) +
                                          block_record({1, 0, 0}, codec_gzip_block(added, 64)))
                .status,
            200);
  expected.paste({{0, 0, 0}, {64, 64, 64}}, replaced);
  expected.paste({{64, 0, 0}, {64, 64, 64}}, added);
  EXPECT_EQ(get(at_child + "raw/0_1_2/" + two.url()).body, expected.extract(two));
  EXPECT_EQ(get(data("raw/0_1_2/64_64_64/0_0_0")).body, fib19_volume())
      << "the parent keeps its own block";
  EXPECT_EQ(parse_records(get(data("blocks/128_64_64/0_0_0")).body).size(), 1u);
  EXPECT_EQ(get(at_child + "maxlabel").body, R"({"maxlabel": 52043487570})")
      << "a child's max never falls below what it inherits";
  EXPECT_NE(
      get(at_child + "info").body.find(R"("Extents":{"MinPoint":[0,0,0],"MaxPoint":[127,63,63]})"),
      std::string::npos);
  EXPECT_NE(get(data("info")).body.find(R"("Extents":{"MinPoint":[0,0,0],"MaxPoint":[63,63,63]})"),
            std::string::npos);
}

}  // namespace
}  // namespace dvidxfer::testing
