// The dvid-resource-manager's messages: what is sent, how replies of any shape are read, and
// which grant announcements name which id.
#include <gtest/gtest.h>

#include <string>

#include "dvidxfer/engine/resource_manager_protocol.hpp"

using namespace dvidxfer::engine;
using namespace dvidxfer::engine::resource_manager;

TEST(ResourceManagerProtocol, RequestsCarryBytesAndDirection) {
  EXPECT_EQ(request_message({true, 262144, "http://127.0.0.1:8000"}),
            R"({"type":"request","resource":"http://127.0.0.1:8000","numopts":1,)"
            R"("datasize":262144,"read":true})");
  EXPECT_EQ(
      request_message({false, 4096, "http://h:1"}),
      R"({"type":"request","resource":"http://h:1","numopts":1,"datasize":4096,"read":false})");
}

TEST(ResourceManagerProtocol, AReadOfUnknownSizeWeighsOneByteAnEmptyWriteNothing) {
  EXPECT_EQ(datasize({true, 0, "r"}), 1u);
  EXPECT_EQ(datasize({false, 0, "r"}), 0u);
  EXPECT_NE(request_message({true, 0, "r"}).find(R"("datasize":1,)"), std::string::npos);
  EXPECT_NE(request_message({false, 0, "r"}).find(R"("datasize":0,)"), std::string::npos);
}

TEST(ResourceManagerProtocol, ResourceNamesAreJsonEscaped) {
  EXPECT_NE(request_message({true, 1, "a\"b\\c\n"}).find(R"("resource":"a\"b\\c\u000a")"),
            std::string::npos);
}

TEST(ResourceManagerProtocol, HoldAndReleaseNameTheId) {
  EXPECT_EQ(hold_message(17), R"({"type":"hold","id":17})");
  EXPECT_EQ(release_message(0), R"({"type":"release","id":0})");
}

TEST(ResourceManagerProtocol, RepliesAreParsedWhateverTheirLengthAndOrder) {
  auto granted = parse_request_reply(R"({"available": true, "id": 3})");
  ASSERT_TRUE(granted) << granted.error();
  EXPECT_EQ(granted->id, 3u);
  EXPECT_TRUE(granted->available);
  EXPECT_FALSE(granted->invalid);

  const std::string padded =
      R"({"id": 123456789012, "note": ")" + std::string(5000, 'x') + R"(", "available": false})";
  auto waiting = parse_request_reply(padded);
  ASSERT_TRUE(waiting) << waiting.error();
  EXPECT_EQ(waiting->id, 123456789012u);
  EXPECT_FALSE(waiting->available);

  auto refused = parse_request_reply(R"({"available": false, "invalid": true, "id": 0})");
  ASSERT_TRUE(refused);
  EXPECT_TRUE(refused->invalid);
}

TEST(ResourceManagerProtocol, MalformedRepliesSayWhatIsWrong) {
  EXPECT_NE(parse_request_reply("{}").error().find("\"id\""), std::string::npos);
  EXPECT_NE(parse_request_reply(R"({"id": 1})").error().find("\"available\""), std::string::npos);
  EXPECT_NE(parse_request_reply(R"({"id": "1", "available": true})").error().find("\"id\""),
            std::string::npos);
  EXPECT_NE(parse_request_reply("not json").error().find("not JSON"), std::string::npos);
}

TEST(ResourceManagerProtocol, AnnouncementsNameWholeIdsOnly) {
  EXPECT_EQ(announced_id("1 1"), 1u);
  EXPECT_EQ(announced_id("11 1"), 11u);
  EXPECT_EQ(announced_id("0 1"), 0u);
  EXPECT_EQ(announced_id("42"), 42u);
  EXPECT_EQ(announced_id("01 1"), std::nullopt);
  EXPECT_EQ(announced_id("1x 1"), std::nullopt);
  EXPECT_EQ(announced_id(" 1"), std::nullopt);
  EXPECT_EQ(announced_id(""), std::nullopt);
}
