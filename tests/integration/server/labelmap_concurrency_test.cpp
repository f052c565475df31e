// labelmap reads running while blocks are rewritten: every read sees each block either before or
// after a write, never a mix, and concurrent POSTs to one instance all land.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "labelmap_test_support.hpp"

namespace dvidxfer::testing {
namespace {

class LabelmapConcurrency : public LabelmapTest {
 protected:
  void SetUp() override { create(); }
};

TEST_F(LabelmapConcurrency, ReadsSeeWholeBlocksWhileTheyAreRewritten) {
  const VolumeBox two{{0, 0, 0}, {128, 64, 64}};
  const std::array<std::string, 2> versions{label_pattern(two, 1), label_pattern(two, 2)};
  std::array<std::string, 2> bodies;
  for (std::size_t v = 0; v < 2; ++v)
    for (std::int32_t x = 0; x < 2; ++x)
      bodies[v] += block_record(
          {x, 0, 0},
          codec_gzip_block(
              ReferenceVolume::slice_of(versions[v], two, {{x * 64, 0, 0}, {64, 64, 64}}), 64));
  ASSERT_EQ(post_blocks(bodies[0]).status, 200);

  std::atomic<bool> done = false;
  std::thread writer([&] {
    RawHttpClient client(server_->port());
    for (int round = 0; round < 20; ++round)
      EXPECT_EQ(client.request("POST", data("blocks"), bodies[round % 2]).status, 200);
    done = true;
  });
  RawHttpClient reader(server_->port());
  int reads = 0;
  while (!done || reads < 5) {
    const auto response = reader.request("GET", data("raw/0_1_2/" + two.url()));
    ASSERT_EQ(response.status, 200);
    for (std::int32_t x = 0; x < 2; ++x) {
      const VolumeBox block{{x * 64, 0, 0}, {64, 64, 64}};
      const std::string seen = ReferenceVolume::slice_of(response.body, two, block);
      EXPECT_TRUE(seen == ReferenceVolume::slice_of(versions[0], two, block) ||
                  seen == ReferenceVolume::slice_of(versions[1], two, block))
          << "block " << x << " mixes two writes";
    }
    ++reads;
  }
  writer.join();
}

TEST_F(LabelmapConcurrency, ConcurrentPostsAllLand) {
  constexpr int kWriters = 4;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w)
    writers.emplace_back([&, w] {
      RawHttpClient client(server_->port());
      const VolumeBox box{{w * 64, 0, 0}, {64, 64, 64}};
      EXPECT_EQ(
          client.request("POST", data("raw/0_1_2/" + box.url()), label_pattern(box, 0)).status,
          200);
    });
  for (std::thread& writer : writers) writer.join();
  const VolumeBox all{{0, 0, 0}, {kWriters * 64, 64, 64}};
  EXPECT_EQ(get_raw(all).body, label_pattern(all, 0));
  EXPECT_NE(get(data("info")).body.find(R"("Extents":{"MinPoint":[0,0,0],"MaxPoint":[255,63,63]})"),
            std::string::npos);
}

}  // namespace
}  // namespace dvidxfer::testing
