// DVID's throttle on the volume endpoints (dvid-api.md 3.4): with every slot taken, a throttled
// request gets 503 at once; unthrottled requests and released slots are unaffected.
#include "dvid_volume_test_support.hpp"

namespace dvidxfer::testing {
namespace {

class VolumeThrottleTest : public DvidVolumeTest {
 protected:
  VolumeThrottleTest() {
    new_instance(uuid_, "gray", "uint8blk");
    new_instance(uuid_, "labels", "labelblk");
  }
};

TEST_F(VolumeThrottleTest, ThrottledVolumeRequestsAreRefusedWhenNoSlotIsFree) {
  server_->set_throttle_limit(0);  // every slot taken: the state a running throttled op leaves
  const std::string refusal = "Server already running 0 throttled operations (max = 0)\n\n";
  for (const std::string& path : {node("gray/raw/0_1_2/32_32_32/0_0_0?throttle=true"),
                                  node("gray/subvolblocks/32_32_32/0_0_0?throttle=on"),
                                  node("labels/raw/0_1_2/32_32_32/0_0_0?throttle=true"),
                                  node("labels/blocks/32_32_32/0_0_0?throttle=on")}) {
    const auto response = get(path);
    EXPECT_EQ(response.status, 503) << path;
    EXPECT_EQ(response.body, refusal) << path;
    EXPECT_EQ(response.header("content-type"), "text/plain; charset=utf-8");
  }
  for (const std::string& path : {node("gray/raw/0_1_2/32_32_32/0_0_0?throttle=true"),
                                  node("labels/raw/0_1_2/32_32_32/0_0_0?throttle=true")}) {
    EXPECT_EQ(post(path, "").status, 503) << path;
  }
  // Without throttle=true|on the limit does not apply.
  EXPECT_EQ(get(node("gray/raw/0_1_2/32_32_32/0_0_0")).status, 200);
  EXPECT_EQ(get(node("gray/raw/0_1_2/32_32_32/0_0_0?throttle=yes")).status, 200);
}

TEST_F(VolumeThrottleTest, SlotsAreReleasedWhenTheRequestEnds) {
  server_->set_throttle_limit(1);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(get(node("labels/raw/0_1_2/32_32_32/0_0_0?throttle=true")).status, 200);
    EXPECT_EQ(
        post(node("gray/raw/0_1_2/32_32_32/0_0_0?throttle=true"), std::string(32 * 32 * 32, 'x'))
            .status,
        200);
    // An error inside the handler releases the slot too.
    EXPECT_EQ(get(node("gray/subvolblocks/31_32_32/0_0_0?throttle=true")).status, 400);
  }
}

}  // namespace
}  // namespace dvidxfer::testing
