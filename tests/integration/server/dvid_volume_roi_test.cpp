// roi over loopback (dvid-api.md 6): spans replaced, sorted, deleted, and used as a block mask
// by uint8blk with its Background.
#include "dvid_volume_test_support.hpp"

namespace dvidxfer::testing {
namespace {

class RoiTest : public DvidVolumeTest {
 protected:
  RoiTest() { new_instance(uuid_, "region", "roi"); }
};

TEST_F(RoiTest, SpansAreReplacedSortedAndDeleted) {
  EXPECT_EQ(get(node("region/roi")).body, "[]");
  EXPECT_NE(
      get(node("region/info"))
          .body.find(R"("Extended":{"BlockSize":[32,32,32],"MinZ":2147483647,"MaxZ":-2147483648})"),
      std::string::npos);
  ASSERT_EQ(post(node("region/roi"), "[[3,1,5,9],[-2,0,0,0],[3,1,2,4],[3,-1,7,7]]").status, 200);
  const auto response = get(node("region/roi"));
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(response.body, "[[-2,0,0,0],[3,-1,7,7],[3,1,2,4],[3,1,5,9]]");
  EXPECT_NE(get(node("region/info")).body.find(R"("MinZ":-2,"MaxZ":3)"), std::string::npos);

  ASSERT_EQ(post(node("region/roi"), "[[1,1,1,1]]").status, 200);
  EXPECT_EQ(get(node("region/roi")).body, "[[1,1,1,1]]");
  ASSERT_EQ(request("DELETE", node("region/roi")).status, 200);
  EXPECT_EQ(get(node("region/roi")).body, "[]");
}

TEST_F(RoiTest, ReversedSpanIsRefusedAfterTheOldRoiWasCleared) {
  const std::string path = node("region/roi");
  ASSERT_EQ(post(path, "[[7,7,7,7]]").status, 200);
  const auto response = post(path, "[[0,0,0,3],[1,2,5,4],[2,2,2,2]]");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body,
            dvid_error("Got weird span [1 2 5 4].  span[3] (X1) < span[2] (X0)", path));
  // The span before it was in DVID's uncommitted batch.
  EXPECT_EQ(get(path).body, "[]");
}

TEST_F(RoiTest, ReversedSpanKeepsTheFullBatchesBeforeIt) {
  std::string body = "[";
  for (int i = 0; i < 10001; ++i) body += fmt::format("[0,{},0,0],", i);
  body += "[1,0,5,4]]";
  const std::string path = node("region/roi");
  EXPECT_EQ(post(path, body).status, 400);
  const std::string kept = get(path).body;
  EXPECT_NE(kept.find("[0,9999,0,0]]"), std::string::npos) << kept.substr(kept.size() - 40);
  EXPECT_EQ(kept.find("[0,10000,0,0]"), std::string::npos);
}

TEST_F(RoiTest, ChildNodesSeeTheParentsRoi) {
  ASSERT_EQ(post(node("region/roi"), "[[0,0,0,3]]").status, 200);
  commit(uuid_);
  const std::string child = new_version(uuid_);
  EXPECT_EQ(get("/api/node/" + child + "/region/roi").body, "[[0,0,0,3]]");
  ASSERT_EQ(request("DELETE", "/api/node/" + child + "/region/roi").status, 200);
  EXPECT_EQ(get("/api/node/" + child + "/region/roi").body, "[]");
  EXPECT_EQ(get(node("region/roi")).body, "[[0,0,0,3]]");
}

TEST_F(RoiTest, MasksUint8ReadsWithTheBackgroundAndSkipsWritesOutside) {
  new_instance(uuid_, "gray", "uint8blk", R"(,"Background":"9")");
  const VolumeBox box{{0, 0, 0}, {64, 32, 32}};
  const std::string voxels = random_gray(box.voxels(), 11);
  ASSERT_EQ(post(node("gray/raw/0_1_2/" + box.url()), voxels).status, 200);
  // Only block (1,0,0), voxels x 32..63.
  ASSERT_EQ(post(node("region/roi"), "[[0,0,1,1]]").status, 200);

  const VolumeBox asked{{20, 0, 0}, {30, 2, 1}};
  const auto masked = get(node("gray/raw/0_1_2/" + asked.url() + "?roi=region"));
  ASSERT_EQ(masked.status, 200) << masked.body;
  std::string expected = ReferenceVolume::slice_of(voxels, box, asked);
  for (std::size_t row = 0; row < 2; ++row)
    for (std::size_t x = 0; x < 12; ++x) expected[row * 30 + x] = '\x09';
  EXPECT_EQ(masked.body, expected);

  // DVID masks the blocks it reads: a never-written block outside the ROI stays 0.
  EXPECT_EQ(get(node("gray/raw/0_1_2/4_1_1/62_0_0?roi=region")).body,
            ReferenceVolume::slice_of(voxels, box, {{62, 0, 0}, {2, 1, 1}}) + std::string(2, '\0'));

  // attenuation=n shifts the stored voxels outside the ROI instead.
  const auto attenuated = get(node("gray/raw/0_1_2/" + asked.url() + "?roi=region&attenuation=2"));
  ASSERT_EQ(attenuated.status, 200) << attenuated.body;
  expected = ReferenceVolume::slice_of(voxels, box, asked);
  for (std::size_t row = 0; row < 2; ++row)
    for (std::size_t x = 0; x < 12; ++x)
      expected[row * 30 + x] =
          static_cast<char>(static_cast<unsigned char>(expected[row * 30 + x]) >> 2);
  EXPECT_EQ(attenuated.body, expected);
  const std::string path = node("gray/raw/0_1_2/" + asked.url());
  EXPECT_EQ(get(path + "?roi=region&attenuation=8").body,
            dvid_error("Attenuation should be from 1 to 7 (divides by 2^n)", path));
  EXPECT_EQ(get(path + "?roi=region&attenuation=x").body,
            dvid_error("strconv.Atoi: parsing \"x\": invalid syntax", path));

  const std::string fresh = random_gray(box.voxels(), 12);
  ASSERT_EQ(post(node("gray/raw/0_1_2/" + box.url() + "?roi=region"), fresh).status, 200);
  const std::string now = get(node("gray/raw/0_1_2/" + box.url())).body;
  EXPECT_EQ(ReferenceVolume::slice_of(now, box, {{0, 0, 0}, {32, 32, 32}}),
            ReferenceVolume::slice_of(voxels, box, {{0, 0, 0}, {32, 32, 32}}));
  EXPECT_EQ(ReferenceVolume::slice_of(now, box, {{32, 0, 0}, {32, 32, 32}}),
            ReferenceVolume::slice_of(fresh, box, {{32, 0, 0}, {32, 32, 32}}));
}

TEST_F(RoiTest, UnknownAndWrongTypeRoiNamesAreRefused) {
  new_instance(uuid_, "gray", "uint8blk");
  new_instance(uuid_, "kv", "keyvalue");
  const std::string path = node("gray/raw/0_1_2/32_32_32/0_0_0");
  EXPECT_EQ(get(path + "?roi=nothing").body,
            dvid_error("Can't get ROI with name \"nothing\": invalid data instance name", path));
  EXPECT_EQ(get(path + "?roi=kv").body,
            dvid_error("Data name \"kv\" was not of roi data type\n", path));
}

}  // namespace
}  // namespace dvidxfer::testing
