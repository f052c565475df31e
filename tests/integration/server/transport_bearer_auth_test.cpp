// The embedded server's bearer-token authentication (DVID's DSG auth mode) over real sockets:
// every request without the right token is refused with DVID's 401 before any handler runs.
#include <gtest/gtest.h>

#include "dvidxfer/server/embedded_server.hpp"
#include "raw_http_client.hpp"

namespace dvidxfer::testing {
namespace {

using server::EmbeddedServer;

TEST(TransportBearerAuth, RequestsWithoutATokenGetDvids401) {
  EmbeddedServer server({.auth_token = "tok-123"});
  RawHttpClient client(server.port());
  const auto response = client.request("POST", "/api/repos", R"({"alias":"a"})");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.body,
            "dsg token required via Authorization header or dsg_token cookie (/api/repos).\n");
  EXPECT_EQ(response.header("content-type"), "text/plain; charset=utf-8");
  // Nothing ran: no repo was created.
  const auto repos =
      client.request("GET", "/api/repos/info", {}, {{"Authorization", "Bearer tok-123"}});
  EXPECT_EQ(repos.status, 200);
  EXPECT_EQ(repos.body, "{}");
}

TEST(TransportBearerAuth, AWrongTokenIsInvalidEverywhereFaultControlIncluded) {
  EmbeddedServer server({.auth_token = "tok-123"});
  RawHttpClient client(server.port());
  for (const char* target : {"/api/heartbeat", "/api/server/faults", "/api/repos/info"}) {
    const auto response = client.request("GET", target, {}, {{"Authorization", "Bearer tok-1234"}});
    EXPECT_EQ(response.status, 401) << target;
    EXPECT_EQ(response.body, std::string("invalid DSG token (") + target + ").\n");
  }
  // Another scheme carries no bearer token.
  EXPECT_EQ(
      client.request("GET", "/api/heartbeat", {}, {{"Authorization", "Basic tok-123"}}).status,
      401);
}

TEST(TransportBearerAuth, TheRightTokenInTheHeaderOrTheCookieIsServed) {
  EmbeddedServer server({.auth_token = "tok-123"});
  RawHttpClient client(server.port());
  const auto bearer =
      client.request("GET", "/api/heartbeat", {}, {{"Authorization", "bearer  tok-123 "}});
  EXPECT_EQ(bearer.status, 200);
  EXPECT_EQ(bearer.body, "OK");
  const auto cookie =
      client.request("GET", "/api/heartbeat", {}, {{"Cookie", "theme=dark; dsg_token=tok-123"}});
  EXPECT_EQ(cookie.status, 200);
  // The refused requests kept the connection: it is keep-alive like any other answer.
  EXPECT_EQ(client.request("GET", "/api/heartbeat").status, 401);
  EXPECT_EQ(
      client.request("GET", "/api/heartbeat", {}, {{"Authorization", "Bearer tok-123"}}).status,
      200);
}

TEST(TransportBearerAuth, WithoutATokenConfiguredNothingIsChecked) {
  EmbeddedServer server;
  RawHttpClient client(server.port());
  EXPECT_EQ(
      client.request("GET", "/api/heartbeat", {}, {{"Authorization", "Bearer anything"}}).status,
      200);
  EXPECT_EQ(client.request("GET", "/api/heartbeat").status, 200);
}

}  // namespace
}  // namespace dvidxfer::testing
