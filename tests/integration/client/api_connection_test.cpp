// Constructing services: addresses, node checks, unreachable and silent servers, wire hygiene.
#include <gtest/gtest.h>

#include <chrono>

#include "capture_server.hpp"
#include "dvidxfer/errors.hpp"
#include "dvidxfer/node_service.hpp"
#include "dvidxfer/server/embedded_server.hpp"
#include "dvidxfer/server_service.hpp"

using namespace dvidxfer;
using namespace std::chrono_literals;

namespace {

// A loopback port with nothing listening: bind, read the port, close.
std::uint16_t closed_port() {
  dvidxfer::testing::CaptureServer probe("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  return probe.port();
}

}  // namespace

TEST(ServiceConstruction, UnknownNodeNamesServerAndUuid) {
  server::EmbeddedServer server;
  ServerService(server.url()).create_new_repo("r", "d");
  try {
    NodeService node(server.url(), "0123456789abcdef");
    FAIL() << "a node that does not exist was accepted";
  } catch (const HttpError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.status(), 400u);
    EXPECT_NE(message.find("0123456789abcdef"), std::string::npos) << message;
    EXPECT_NE(message.find(server.url()), std::string::npos) << message;
    EXPECT_NE(message.find("could not find UUID"), std::string::npos) << message;
  }
}

TEST(ServiceConstruction, PrefixAndBranchResolveLikeDvid) {
  server::EmbeddedServer server;
  const auto uuid = ServerService(server.url()).create_new_repo("r", "d");
  NodeService by_prefix(server.url(), uuid.substr(0, 6));
  EXPECT_TRUE(by_prefix.create_keyvalue("kv"));
  by_prefix.put("kv", "k", "v");
  NodeService by_branch(server.url(), uuid.substr(0, 4) + ":master");
  EXPECT_EQ(by_branch.get("kv", "k"), "v");
}

TEST(ServiceConstruction, BadAddressesAreArgumentErrors) {
  EXPECT_THROW(NodeService("gopher://127.0.0.1:1", "abc"), ArgumentError);
  EXPECT_THROW(ServerService("http://host:99999"), ArgumentError);
  EXPECT_THROW(ServerService("ftp://host"), ArgumentError);
  ClientOptions options;
  options.max_connections = 0;
  EXPECT_THROW(ServerService("127.0.0.1:1", "u", "a", options), ArgumentError);
}

TEST(ServiceConstruction, UnreachableServerFailsWithinTheConnectDeadline) {
  ClientOptions options;
  options.connect_timeout = 500ms;
  options.request_timeout = 3s;
  options.max_attempts = 3;
  try {
    ServerService service("127.0.0.1:" + std::to_string(closed_port()), "u", "a", options);
    FAIL() << "connected to a closed port";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportError::Kind::connect);
    EXPECT_EQ(e.attempts(), 3);  // connect failures are retried: nothing was sent
    EXPECT_NE(std::string(e.what()).find("cannot connect"), std::string::npos) << e.what();
  }
}

TEST(ServiceConstruction, SilentServerTimesOutInsteadOfHanging) {
  dvidxfer::testing::CaptureServer silent("");
  ClientOptions options;
  options.inactivity_timeout = 300ms;
  options.request_timeout = 2s;
  options.max_attempts = 1;
  try {
    ServerService service(silent.url(), "u", "a", options);
    FAIL() << "a server that never answers was accepted";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportError::Kind::timeout) << e.what();
    EXPECT_NE(std::string(e.what()).find("/api/server/info"), std::string::npos) << e.what();
  }
}

TEST(WireHygiene, RequestsCarryIdentityEscapedPathsAndNoExpect) {
  dvidxfer::testing::CaptureServer capture(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n"
      "{\"Locked\":true}");
  NodeService node(capture.url(), "abc123", "some user", "my app");
  node.put("my kv", "key with space", std::string(2 << 20, 'x'));
  const auto requests = capture.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(
      requests[0].rfind("GET /api/node/abc123/status?u=some%20user&app=my%20app HTTP/1.1\r\n", 0),
      0u)
      << requests[0];
  EXPECT_EQ(requests[1].rfind(
                "POST /api/node/abc123/my%20kv/key/key%20with%20space?u=some%20user&app=my%20app "
                "HTTP/1.1\r\n",
                0),
            0u)
      << requests[1].substr(0, 200);
  EXPECT_NE(requests[1].find("Content-Length: 2097152\r\n"), std::string::npos);
  EXPECT_EQ(requests[1].find("Expect:"), std::string::npos) << "no 100-continue round trip";
  EXPECT_NE(requests[1].find("Host: 127.0.0.1:"), std::string::npos);
  EXPECT_EQ(capture.connections(), 1) << "both requests share one keep-alive connection";
}
