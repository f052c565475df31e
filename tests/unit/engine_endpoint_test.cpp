#include <gtest/gtest.h>

#include "dvidxfer/engine/endpoint.hpp"

using dvidxfer::engine::Endpoint;
using dvidxfer::engine::parse_endpoint;

TEST(EndpointParse, AcceptsHostPortAndHttpForms) {
  const auto plain = parse_endpoint("emdata.janelia.org:8000");
  ASSERT_TRUE(plain.ok()) << plain.error();
  EXPECT_EQ(plain->host, "emdata.janelia.org");
  EXPECT_EQ(plain->port, 8000);

  const auto with_scheme = parse_endpoint("http://127.0.0.1:9000/");
  ASSERT_TRUE(with_scheme.ok()) << with_scheme.error();
  EXPECT_EQ(with_scheme->host, "127.0.0.1");
  EXPECT_EQ(with_scheme->port, 9000);
  EXPECT_EQ(with_scheme->origin(), "http://127.0.0.1:9000");

  const auto default_port = parse_endpoint("HTTP://localhost");
  ASSERT_TRUE(default_port.ok());
  EXPECT_EQ(default_port->port, 80);
}

TEST(EndpointParse, AcceptsBracketedIpv6) {
  const auto parsed = parse_endpoint("[::1]:8080");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->host, "::1");
  EXPECT_EQ(parsed->port, 8080);
  EXPECT_EQ(parsed->origin(), "http://[::1]:8080");
}

TEST(EndpointParse, HttpsIsTlsOnPort443UnlessGiven) {
  const auto parsed = parse_endpoint("HTTPS://dvid.example.org/");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_TRUE(parsed->tls);
  EXPECT_EQ(parsed->host, "dvid.example.org");
  EXPECT_EQ(parsed->port, 443);
  EXPECT_EQ(parsed->origin(), "https://dvid.example.org:443");

  const auto with_port = parse_endpoint("https://[::1]:8443");
  ASSERT_TRUE(with_port.ok()) << with_port.error();
  EXPECT_TRUE(with_port->tls);
  EXPECT_EQ(with_port->origin(), "https://[::1]:8443");

  EXPECT_FALSE(parse_endpoint("http://dvid.example.org")->tls);
  EXPECT_FALSE(parse_endpoint("dvid.example.org:8000")->tls);
  EXPECT_NE(*parse_endpoint("https://h:8000"), *parse_endpoint("http://h:8000"));
}

TEST(EndpointParse, RejectsMalformedAddressesWithTheReason) {
  const struct {
    const char* address;
    const char* reason;
  } cases[] = {
      {"", "host is empty"},
      {"http://", "host is empty"},
      {"host:", "port after ':' is empty"},
      {"host:0", "not a number in 1..65535"},
      {"host:70000", "not a number in 1..65535"},
      {"host:80x", "not a number in 1..65535"},
      {"ftp://host:21", "unsupported scheme 'ftp'"},
      {"http://host:80/api", "a path is not allowed"},
      {"::1:80", "IPv6 hosts must be written in brackets"},
      {"[::1", "unterminated '['"},
      // Found by fuzz/endpoint_url: "[[]" parsed to host "[", whose origin "http://[:80" did
      // not parse back.
      {"[[]", "the host contains '['"},
      {"a]b:80", "the host contains ']'"},
      {"user@host:80", "the host contains '@'"},
      {"http://host?x", "the host contains '?'"},
      {"ho st:80", "the host contains a space or a control character"},
  };
  for (const auto& c : cases) {
    const auto parsed = parse_endpoint(c.address);
    ASSERT_FALSE(parsed.ok()) << c.address;
    EXPECT_NE(parsed.error().find(c.reason), std::string::npos)
        << c.address << " -> " << parsed.error();
    EXPECT_NE(parsed.error().find(std::string("'") + c.address + "'"), std::string::npos)
        << parsed.error();
  }
}
