#include "dvidxfer/codecs/json_writer.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <random>
#include <string>

namespace dvidxfer::codecs {
namespace {

// Parses `json` as one JSON string value; fails the test when it is not valid JSON.
std::string parse_json_string(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  std::string_view value;
  const auto error = parser.parse(padded).get(value);
  EXPECT_EQ(error, simdjson::SUCCESS) << "not valid JSON: " << json;
  return std::string(value);
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(json_quote(""), R"("")");
  EXPECT_EQ(json_quote("plain text"), R"("plain text")");
  EXPECT_EQ(json_quote("a\"b\\c/d"), R"("a\"b\\c/d")");
  EXPECT_EQ(json_quote("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(json_quote(std::string("\0\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\x7f\"");
}

TEST(JsonWriter, KeepsValidUtf8AndEscapesInvalidBytesAsLatin1) {
  EXPECT_EQ(json_quote("\xE2\x82\xAC \xF0\x9F\x98\x80 \xC3\xA9"),
            "\"\xE2\x82\xAC \xF0\x9F\x98\x80 \xC3\xA9\"");
  EXPECT_EQ(json_quote("\xFF"), R"("\u00ff")");
  EXPECT_EQ(json_quote("\x80x"), R"("\u0080x")");                              // stray continuation
  EXPECT_EQ(json_quote("\xC0\x80"), R"("\u00c0\u0080")");                      // overlong NUL
  EXPECT_EQ(json_quote("\xE0\x80\xAF"), R"("\u00e0\u0080\u00af")");            // overlong '/'
  EXPECT_EQ(json_quote("\xED\xA0\x80"), R"("\u00ed\u00a0\u0080")");            // surrogate
  EXPECT_EQ(json_quote("\xF4\x90\x80\x80"), R"("\u00f4\u0090\u0080\u0080")");  // > U+10FFFF
  EXPECT_EQ(json_quote("\xE2\x82"), R"("\u00e2\u0082")");    // truncated at the end
  EXPECT_EQ(json_quote("\xE2\x82x"), R"("\u00e2\u0082x")");  // truncated mid-text
}

TEST(JsonWriter, AppendsAfterExistingText) {
  std::string out = "{\"k\":";
  append_json_quoted(out, "v\n");
  out += "}";
  EXPECT_EQ(out, "{\"k\":\"v\\n\"}");
}

TEST(JsonWriter, ValidUtf8RoundTripsThroughSimdjson) {
  const std::string text = std::string("mixed \"quotes\" \\ \x01\t\n \xE2\x82\xAC\0end", 28);
  EXPECT_EQ(parse_json_string(json_quote(text)), text);
}

TEST(JsonWriter, RandomBytesAlwaysGiveValidJson) {
  std::mt19937 random(12345);
  for (int round = 0; round < 2000; ++round) {
    std::string bytes(random() % 40, '\0');
    for (auto& c : bytes) c = static_cast<char>(random());
    const std::string decoded = parse_json_string(json_quote(bytes));
    // Every input byte survives: either as itself or, when invalid UTF-8, as U+00XX.
    EXPECT_GE(decoded.size(), bytes.size());
  }
}

}  // namespace
}  // namespace dvidxfer::codecs
