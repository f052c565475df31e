#include "dvidxfer/codecs/url_escape.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dvidxfer::codecs {
namespace {

TEST(UrlEscape, KeepsUnreservedAndEscapesEverythingElseInUppercaseHex) {
  EXPECT_EQ(escape_url_component("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(escape_url_component("a b/c?d=e&f#g%h+i"), "a%20b%2Fc%3Fd%3De%26f%23g%25h%2Bi");
  EXPECT_EQ(escape_url_component("\xC3\xA9"), "%C3%A9");
  EXPECT_EQ(escape_url_component(std::string("\0\x7f\xff", 3)), "%00%7F%FF");
  EXPECT_EQ(escape_url_component(""), "");
}

TEST(UrlEscape, EveryByteRoundTrips) {
  std::string all_bytes;
  for (int c = 0; c < 256; ++c) all_bytes.push_back(static_cast<char>(c));
  const std::string escaped = escape_url_component(all_bytes);
  EXPECT_EQ(escaped.size(), 66 + 190 * 3);  // 66 unreserved characters stay as they are
  EXPECT_EQ(unescape_url_component(escaped, false), all_bytes);
  EXPECT_EQ(unescape_url_component(escaped, true), all_bytes);
}

TEST(UrlEscape, UnescapeAcceptsBothHexCasesAndPlusOnlyWhenAsked) {
  EXPECT_EQ(unescape_url_component("%41%4a%4A+x", true), "AJJ x");
  EXPECT_EQ(unescape_url_component("%41%4a%4A+x", false), "AJJ+x");
  EXPECT_EQ(unescape_url_component("%2B", true), "+");
  EXPECT_EQ(unescape_url_component("plain", false), "plain");
  EXPECT_EQ(unescape_url_component("", false), "");
}

TEST(UrlEscape, MalformedEscapesGiveNullopt) {
  for (const char* bad : {"%", "%4", "abc%2", "%G1", "%1G", "%%41", "x%-1"}) {
    EXPECT_EQ(unescape_url_component(bad, false), std::nullopt) << bad;
    EXPECT_EQ(unescape_url_component(bad, true), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace dvidxfer::codecs
