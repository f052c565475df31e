// labelvol synced to a labelblk over loopback (dvid-api.md 4.5-4.6): sparse volumes decoded to
// voxel sets, HEAD, coarse block runs, max and next labels, mutations and DVID's error texts.
#include <set>
#include <tuple>

#include "dvid_volume_test_support.hpp"

namespace dvidxfer::testing {
namespace {

using Voxel = std::tuple<std::int32_t, std::int32_t, std::int32_t>;

// The voxels of `label` in labels laid out over `box`.
std::set<Voxel> voxels_of(const std::string& labels, const VolumeBox& box, std::uint64_t label) {
  std::set<Voxel> voxels;
  std::size_t index = 0;
  for (std::int32_t z = 0; z < box.size[2]; ++z)
    for (std::int32_t y = 0; y < box.size[1]; ++y)
      for (std::int32_t x = 0; x < box.size[0]; ++x, ++index)
        if (label_at(labels, index) == label)
          voxels.emplace(box.offset[0] + x, box.offset[1] + y, box.offset[2] + z);
  return voxels;
}

// Decodes a legacy RLE body (12-byte header, 16-byte runs) into its voxels.
std::set<Voxel> decode_rles(const std::string& body) {
  std::set<Voxel> voxels;
  EXPECT_GE(body.size(), 12u);
  if (body.size() < 12) return voxels;
  EXPECT_EQ(body.substr(0, 8), std::string("\0\3\0\0\0\0\0\0", 8));
  const auto runs = static_cast<std::size_t>(int32_at(body, 8));
  EXPECT_EQ(body.size(), 12 + 16 * runs);
  for (std::size_t i = 0; i < runs; ++i) {
    const std::size_t at = 12 + 16 * i;
    const std::int32_t x = int32_at(body, at), y = int32_at(body, at + 4),
                       z = int32_at(body, at + 8), length = int32_at(body, at + 12);
    EXPECT_GT(length, 0);
    for (std::int32_t dx = 0; dx < length; ++dx) voxels.emplace(x + dx, y, z);
  }
  return voxels;
}

class LabelvolTest : public DvidVolumeTest {
 protected:
  LabelvolTest() {
    new_instance(uuid_, "labels", "labelblk");
    new_instance(uuid_, "bodies", "labelvol");
    EXPECT_EQ(post(node("labels/sync"), R"({"sync":"bodies"})").status, 200);
    EXPECT_EQ(post(node("bodies/sync"), R"({"sync":"labels"})").status, 200);
  }

  void post_labels(const VolumeBox& box, const std::string& labels, std::string_view query = "") {
    const auto response = post(node("labels/raw/0_1_2/" + box.url()) + std::string(query), labels);
    ASSERT_EQ(response.status, 200) << response.body;
  }

  const VolumeBox box_{{-32, 0, -32}, {96, 64, 64}};
};

TEST_F(LabelvolTest, SparseVolumesHoldExactlyTheLabelsVoxels) {
  const std::string labels = label_pattern(box_, 0);
  post_labels(box_, labels);
  // Labels that cross block boundaries in x, y and z, and one near the negative corner.
  for (const std::uint64_t label :
       {label_at(labels, 1), label_at(labels, 96 * 64 * 31 + 96 * 31 + 33),
        label_at(labels, 40000)}) {
    ASSERT_NE(label, 0u);
    const auto response = get(node("bodies/sparsevol/" + std::to_string(label)));
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.header("content-type"), "application/octet-stream");
    EXPECT_EQ(decode_rles(response.body), voxels_of(labels, box_, label)) << label;
    EXPECT_EQ(request("HEAD", node("bodies/sparsevol/" + std::to_string(label))).status, 200);

    const auto gzipped =
        get(node("bodies/sparsevol/" + std::to_string(label) + "?compression=gzip"));
    EXPECT_EQ(test_gunzip(gzipped.body, response.body.size()), response.body);
  }
}

TEST_F(LabelvolTest, BoundsTrimRunsToTheAskedVoxels) {
  const std::string labels = label_pattern(box_, 0);
  post_labels(box_, labels);
  const std::uint64_t label = label_at(labels, 96 * 64 * 31 + 96 * 31 + 33);
  const auto response =
      get(node("bodies/sparsevol/" + std::to_string(label) + "?minx=2&maxx=3&miny=0&maxz=0"));
  ASSERT_EQ(response.status, 200);
  std::set<Voxel> expected;
  for (const Voxel& v : voxels_of(labels, box_, label))
    if (std::get<0>(v) >= 2 && std::get<0>(v) <= 3 && std::get<1>(v) >= 0 && std::get<2>(v) <= 0)
      expected.insert(v);
  EXPECT_EQ(decode_rles(response.body), expected);
  // Blocks of the label in the Z range but none in X: DVID still answers 200, with no runs.
  const auto none = get(node("bodies/sparsevol/" + std::to_string(label) + "?minx=10000"));
  EXPECT_EQ(none.status, 200);
  EXPECT_EQ(none.body, std::string("\0\3\0\0\0\0\0\0\0\0\0\0", 12));
  EXPECT_EQ(
      request("HEAD", node("bodies/sparsevol/" + std::to_string(label) + "?minx=10000")).status,
      204);
  EXPECT_EQ(get(node("bodies/sparsevol/" + std::to_string(label) + "?minz=1000")).status, 404);
  // A bounds box with no block of the label: HEAD says 204.
  EXPECT_EQ(
      request("HEAD", node("bodies/sparsevol/" + std::to_string(label) + "?minz=1000")).status,
      204);
}

TEST_F(LabelvolTest, UnknownLabelsAreNotFoundAndLabelZeroIsRefused) {
  post_labels(box_, label_pattern(box_, 0));
  auto response = get(node("bodies/sparsevol/999999999"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body, "");
  EXPECT_EQ(request("HEAD", node("bodies/sparsevol/999999999")).status, 204);
  EXPECT_EQ(get(node("bodies/sparsevol-coarse/999999999")).status, 404);
  const std::string path = node("bodies/sparsevol/0");
  EXPECT_EQ(get(path).body,
            dvid_error("Label 0 is protected background value and cannot be used as sparse "
                       "volume.\n",
                       path));
  EXPECT_EQ(
      post(node("bodies/sparsevol/5"), "").body,
      dvid_error("POST of sparsevol not currently implemented\n", node("bodies/sparsevol/5")));
}

TEST_F(LabelvolTest, CoarseSparseVolumesAreMergedBlockRuns) {
  // One label over blocks x -1..1 at (y 0, z 0) and x 0 at (y 1, z -1).
  std::string labels(static_cast<std::size_t>(box_.voxels()) * 8, '\0');
  auto set = [&](std::int32_t x, std::int32_t y, std::int32_t z) {
    const std::uint64_t label = 77;
    const std::size_t index = (static_cast<std::size_t>(z - box_.offset[2]) * box_.size[1] +
                               static_cast<std::size_t>(y - box_.offset[1])) *
                                  box_.size[0] +
                              static_cast<std::size_t>(x - box_.offset[0]);
    std::memcpy(labels.data() + index * 8, &label, 8);
  };
  set(-1, 0, 0);
  set(5, 3, 2);
  set(63, 31, 31);
  set(0, 40, -1);
  post_labels(box_, labels);
  const auto response = get(node("bodies/sparsevol-coarse/77"));
  ASSERT_EQ(response.status, 200);
  std::string expected("\0\3\0\0\0\0\0\0\2\0\0\0", 12);
  // z, y, x block order: the z = -1 run comes first.
  for (std::int32_t value : {0, 1, -1, 1, -1, 0, 0, 3})
    expected.append(reinterpret_cast<const char*>(&value), 4);
  EXPECT_EQ(response.body, expected);
}

TEST_F(LabelvolTest, MaxAndNextLabelFollowTheIngestedLabels) {
  const std::string path = node("bodies/maxlabel");
  EXPECT_EQ(get(path).status, 400);
  EXPECT_EQ(get(node("bodies/nextlabel")).body, "{\"nextlabel\": 1}");
  const std::string labels = label_pattern(box_, 0);
  post_labels(box_, labels);
  std::uint64_t largest = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(box_.voxels()); ++i)
    largest = std::max(largest, label_at(labels, i));
  const auto response = get(path);
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(response.body, fmt::format("{{\"maxlabel\": {}}}", largest));
  EXPECT_EQ(get(node("bodies/nextlabel")).body, fmt::format("{{\"nextlabel\": {}}}", largest + 1));
  EXPECT_EQ(post(node("bodies/nextlabel"), "").body,
            dvid_error("POST on maxlabel is not supported yet.\n", node("bodies/nextlabel")));
}

TEST_F(LabelvolTest, MutationsRemoveTheOldLabelsRuns) {
  const std::string labels = label_pattern(box_, 0);
  post_labels(box_, labels);
  // The label at (-3, 30, -30) spans y 27..35, so it keeps voxels in block (-1, 1, -1).
  const std::uint64_t label = label_at(labels, (2 * 64 + 30) * 96 + 29);
  // Overwrite block (-1, 0, -1) with label 5.
  const VolumeBox block{{-32, 0, -32}, {32, 32, 32}};
  std::string fives(32 * 32 * 32 * 8, '\0');
  for (std::size_t i = 0; i < 32 * 32 * 32; ++i) {
    const std::uint64_t five = 5;
    std::memcpy(fives.data() + i * 8, &five, 8);
  }
  post_labels(block, fives, "?mutate=true");
  ReferenceVolume merged(box_, 8);
  merged.paste(box_, labels);
  merged.paste(block, fives);
  const std::string now = merged.extract(box_);
  ASSERT_FALSE(voxels_of(now, box_, label).empty());
  EXPECT_EQ(decode_rles(get(node("bodies/sparsevol/" + std::to_string(label))).body),
            voxels_of(now, box_, label));
  EXPECT_EQ(decode_rles(get(node("bodies/sparsevol/5")).body), voxels_of(now, box_, 5));
}

TEST_F(LabelvolTest, SyncsAreListedByName) {
  EXPECT_NE(get(node("bodies/info")).body.find(R"("Syncs":["labels"])"), std::string::npos);
  EXPECT_NE(get(node("labels/info")).body.find(R"("Syncs":["bodies"])"), std::string::npos);
  ASSERT_EQ(post(node("labels/sync?replace=true"), R"({"sync":""})").status, 200);
  EXPECT_NE(get(node("labels/info")).body.find(R"("Syncs":[])"), std::string::npos);
}

TEST_F(LabelvolTest, BlockSizesMustMatchToSync) {
  new_instance(uuid_, "coarse", "labelblk", R"(,"BlockSize":"64,64,64")");
  const std::string path = node("bodies/sync");
  EXPECT_EQ(post(path, R"({"sync":"coarse"})").body,
            dvid_error("labelvol \"bodies\" block size (32,32,32) does not equal labelblk "
                       "\"coarse\" block size (64,64,64)",
                       path));
  EXPECT_EQ(
      post(path, R"({"sync":"nothing"})").body,
      dvid_error("issue with requested sync name \"nothing\": invalid data instance name", path));
  EXPECT_EQ(post(path, R"({"other":"x"})").body,
            dvid_error("Could not find 'sync' value in POSTed JSON to sync request.", path));
  EXPECT_EQ(get(path).body, dvid_error("Only POST allowed to sync endpoint", path));
}

}  // namespace
}  // namespace dvidxfer::testing
