// HTTP/1.1 behaviour of the server transport over real loopback sockets, against a fake handler.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "raw_http_client.hpp"
#include "transport_test_listener.hpp"

namespace dvidxfer::testing {
namespace {

using std::chrono::steady_clock;
using namespace std::string_literals;

TEST(TransportHttp, KeepAliveServesManyRequestsOnOneConnection) {
  TestListener server;
  RawHttpClient client(server.port());
  for (int i = 0; i < 50; ++i) {
    const auto body = "request " + std::to_string(i);
    const auto response = client.request("POST", "/echo", body);
    ASSERT_EQ(response.status, 200);
    EXPECT_EQ(response.body, body);
    EXPECT_FALSE(response.has_header("connection"));
  }
  const auto requests = server.handler.requests();
  ASSERT_EQ(requests.size(), 50u);
  for (const auto& request : requests)
    EXPECT_EQ(request.remote_address, requests.front().remote_address) << "a new connection";
}

TEST(TransportHttp, FillsTheRequestFields) {
  TestListener server;
  RawHttpClient client(server.port());
  client.request("PUT", "/echo%2Fx/a%20b?u=a+b&key=%2F%20&flag&bad=%zz", "payload",
                 {{"X-Custom-Header", "Value"}});
  const auto request = server.handler.last_request();
  EXPECT_EQ(request.method, "PUT");
  EXPECT_EQ(request.target, "/echo%2Fx/a%20b?u=a+b&key=%2F%20&flag&bad=%zz");
  EXPECT_EQ(request.path, "/echo/x/a b");
  EXPECT_EQ(request.raw_query, "u=a+b&key=%2F%20&flag&bad=%zz");
  EXPECT_EQ(request.query_value("u"), "a b");
  EXPECT_EQ(request.query_value("key"), "/ ");
  EXPECT_TRUE(request.has_query("flag"));
  EXPECT_FALSE(request.has_query("bad"));
  EXPECT_EQ(request.header("x-custom-header"), "Value");
  EXPECT_EQ(request.header("host"), "localhost");
  EXPECT_EQ(request.body, "payload");
  EXPECT_EQ(request.remote_address.rfind("127.0.0.1:", 0), 0u) << request.remote_address;
}

TEST(TransportHttp, ChunkedRequestBodyReachesTheHandler) {
  TestListener server;
  RawHttpClient client(server.port());
  client.send_raw(
      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n");
  const auto response = client.read_response();
  ASSERT_EQ(response.end, ReadEnd::complete);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "hello, world");
  EXPECT_EQ(response.header("content-length"), "12");
  EXPECT_EQ(client.request("GET", "/echo", "again").body, "again") << "connection kept";
}

TEST(TransportHttp, GetAndDeleteWithABodyReachTheHandler) {
  TestListener server;
  RawHttpClient client(server.port());
  auto response = client.request("GET", "/echo", R"(["a","b"])");
  EXPECT_EQ(response.body, R"(["a","b"])");
  EXPECT_EQ(response.header("x-method"), "GET");
  response = client.request("DELETE", "/echo", "gone");
  EXPECT_EQ(response.body, "gone");
  EXPECT_EQ(response.header("x-method"), "DELETE");
}

TEST(TransportHttp, PipelinedRequestsAreAnsweredInOrder) {
  TestListener server;
  RawHttpClient client(server.port());
  client.send_raw(RawHttpClient::format_request("POST", "/echo", "first", {}) +
                  RawHttpClient::format_request("GET", "/bytes?n=5", "", {}) +
                  RawHttpClient::format_request("HEAD", "/bytes?n=9", "", {}) +
                  RawHttpClient::format_request("POST", "/echo", "last", {}));
  EXPECT_EQ(client.read_response().body, "first");
  EXPECT_EQ(client.read_response().body, "abcde");
  EXPECT_EQ(client.read_response(true).header("content-length"), "9");
  EXPECT_EQ(client.read_response().body, "last");
}

TEST(TransportHttp, HeadSendsTheLengthButNoBody) {
  TestListener server;
  RawHttpClient client(server.port());
  const auto head = client.request("HEAD", "/bytes?n=1000");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-length"), "1000");
  EXPECT_EQ(head.header("content-type"), "application/octet-stream");
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(server.handler.last_request().method, "HEAD");
  // Had the server sent a body, this response would start with its bytes.
  const auto get = client.request("GET", "/bytes?n=3");
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body, "abc");
}

TEST(TransportHttp, NoContentHasNoLengthAndNoBody) {
  TestListener server;
  RawHttpClient client(server.port());
  const auto response = client.request("GET", "/no-content");
  EXPECT_EQ(response.status, 204);
  EXPECT_FALSE(response.has_header("content-length"));
  EXPECT_EQ(client.request("GET", "/empty").header("content-length"), "0");
}

TEST(TransportHttp, ConnectionCloseIsHonoured) {
  TestListener server;
  RawHttpClient client(server.port());
  const auto response = client.request("GET", "/bytes?n=2", "", {{"Connection", "close"}});
  EXPECT_EQ(response.body, "ab");
  EXPECT_EQ(response.header("connection"), "close");
  EXPECT_TRUE(client.server_closed());
}

TEST(TransportHttp, Http10WithoutKeepAliveIsClosed) {
  TestListener server;
  RawHttpClient client(server.port());
  client.send_raw("GET /bytes?n=4 HTTP/1.0\r\n\r\n");
  const auto response = client.read_response();
  ASSERT_EQ(response.end, ReadEnd::complete);
  EXPECT_EQ(response.body, "abcd");
  EXPECT_TRUE(client.server_closed());
}

TEST(TransportHttp, ExpectContinueGetsAnInterimAnswer) {
  TestListener server;
  RawHttpClient client(server.port());
  client.send_raw(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  // A client waits for the interim answer before it sends the body.
  EXPECT_EQ(client.read_some(), "HTTP/1.1 100 Continue\r\n\r\n");
  client.send_raw("body");
  const auto response = client.read_response();
  ASSERT_EQ(response.end, ReadEnd::complete);
  EXPECT_EQ(response.body, "body");
}

TEST(TransportHttp, HeaderTooLargeGets431AndClose) {
  TestListener server({.max_header_bytes = 4096});
  RawHttpClient client(server.port());
  client.try_send_raw("GET /echo HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(8192, 'x') +
                      "\r\n\r\n");
  const auto response = client.read_response();
  ASSERT_EQ(response.end, ReadEnd::complete);
  EXPECT_EQ(response.status, 431);
  EXPECT_EQ(response.header("connection"), "close");
  EXPECT_TRUE(client.server_closed());
  EXPECT_EQ(server.handler.handled(), 0u);
  EXPECT_EQ(RawHttpClient(server.port()).request("GET", "/bytes?n=1").body, "a");
}

TEST(TransportHttp, DeclaredBodyTooLargeGets413AndClose) {
  TestListener server({.max_body_bytes = 1000});
  RawHttpClient other(server.port());
  EXPECT_EQ(other.request("GET", "/bytes?n=1").status, 200);

  RawHttpClient client(server.port());
  client.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n");
  const auto response = client.read_response();
  ASSERT_EQ(response.end, ReadEnd::complete);
  EXPECT_EQ(response.status, 413);
  EXPECT_TRUE(client.server_closed());
  EXPECT_EQ(server.handler.handled(), 1u);
  EXPECT_EQ(other.request("POST", "/echo", std::string(1000, 'z')).body.size(), 1000u)
      << "other connections keep being served, up to the limit";
}

TEST(TransportHttp, ChunkedBodyTooLargeGets413) {
  TestListener server({.max_body_bytes = 1000});
  RawHttpClient client(server.port());
  const std::string chunk(600, 'y');
  client.try_send_raw(
      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n" + chunk +
      "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n");
  const auto response = client.read_response();
  ASSERT_EQ(response.end, ReadEnd::complete);
  EXPECT_EQ(response.status, 413);
  EXPECT_TRUE(client.server_closed());
  EXPECT_EQ(server.handler.handled(), 0u);
}

TEST(TransportHttp, MalformedRequestsGet400AndClose) {
  TestListener server;
  const std::vector<std::string> malformed = {
      "GARBAGE\r\n\r\n",
      "GET /echo HTXP/1.1\r\n\r\n",
      "GET /echo HTTP/1.1\r\nNo colon here\r\n\r\n",
      "POST /echo HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
      "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "GET /bad%zzescape HTTP/1.1\r\n\r\n",
      "GET /echo HTTP/1.1\r\nX: \0\x01\r\n\r\n"s,
  };
  for (const auto& bytes : malformed) {
    RawHttpClient client(server.port());
    client.try_send_raw(bytes);
    const auto response = client.read_response();
    ASSERT_EQ(response.end, ReadEnd::complete) << bytes;
    EXPECT_EQ(response.status, 400) << bytes;
    EXPECT_TRUE(client.server_closed()) << bytes;
  }
  EXPECT_EQ(server.handler.handled(), 0u);
  EXPECT_EQ(RawHttpClient(server.port()).request("GET", "/bytes?n=1").body, "a");
}

TEST(TransportHttp, RandomBytesNeverBringTheServerDown) {
  TestListener server;
  std::mt19937 random(20261127);
  const std::vector<std::string> prefixes = {
      "", "GET / HTTP/1.1\r\n", "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
      "POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\n"};
  for (int i = 0; i < 300; ++i) {
    std::string bytes = prefixes[i % prefixes.size()];
    const auto length = std::uniform_int_distribution<int>(1, 3000)(random);
    for (int j = 0; j < length; ++j)
      bytes.push_back(static_cast<char>(std::uniform_int_distribution<int>(0, 255)(random)));
    RawHttpClient client(server.port());
    client.try_send_raw(bytes);
  }
  EXPECT_EQ(RawHttpClient(server.port()).request("GET", "/bytes?n=2").body, "ab");
}

TEST(TransportHttp, PeerVanishingMidRequestIsHarmless) {
  TestListener server;
  {
    RawHttpClient client(server.port());
    client.send_raw("POST /echo HTTP/1.1\r\nContent-Length: 100\r\n\r\nonly part");
  }
  {
    RawHttpClient client(server.port());
    client.send_raw("GET /ec");
  }
  EXPECT_EQ(RawHttpClient(server.port()).request("GET", "/bytes?n=2").body, "ab");
  EXPECT_EQ(server.handler.handled(), 1u);
}

TEST(TransportHttp, ThrowingHandlerIsAnsweredLikeADvidPanic) {
  TestListener server;
  RawHttpClient client(server.port());
  const auto response = client.request("GET", "/throw");
  EXPECT_EQ(response.status, 500);
  EXPECT_NE(response.body.find("Panic detected on request 1:\nhandler exploded\nIP: 127.0.0.1:"),
            std::string::npos)
      << response.body;
  EXPECT_NE(response.body.find(", URL: /throw\n"), std::string::npos) << response.body;
  EXPECT_EQ(client.request("GET", "/bytes?n=1").body, "a") << "connection survives";
}

TEST(TransportHttp, ManyConcurrentConnectionsOnTwoThreads) {
  TestListener server({.io_threads = 2});
  constexpr int kConnections = 200;
  std::vector<std::unique_ptr<RawHttpClient>> clients;
  for (int i = 0; i < kConnections; ++i) {
    clients.push_back(std::make_unique<RawHttpClient>(server.port()));
    clients.back()->send_request("POST", "/echo", "client " + std::to_string(i));
  }
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < kConnections; ++i) {
      const auto response = clients[i]->read_response();
      ASSERT_EQ(response.end, ReadEnd::complete) << i;
      EXPECT_EQ(response.body, "client " + std::to_string(i));
      if (round == 0) clients[i]->send_request("POST", "/echo", "client " + std::to_string(i));
    }
  }
  EXPECT_EQ(server.handler.handled(), 2u * kConnections);
}

TEST(TransportHttp, SlowHandlerDoesNotStallOtherConnections) {
  TestListener server({.io_threads = 1});
  RawHttpClient slow(server.port());
  slow.send_request("GET", "/gate");
  server.handler.wait_until_gate_entered();
  RawHttpClient fast(server.port());
  EXPECT_EQ(fast.request("GET", "/bytes?n=3").body, "abc");
  server.handler.open_gate();
  EXPECT_EQ(slow.read_response().body, "opened");
}

TEST(TransportHttp, StopWithIdleConnectionsReturnsPromptly) {
  TestListener server;
  std::vector<std::unique_ptr<RawHttpClient>> clients;
  for (int i = 0; i < 5; ++i) {
    clients.push_back(std::make_unique<RawHttpClient>(server.port()));
    ASSERT_EQ(clients.back()->request("GET", "/bytes?n=1").status, 200);
  }
  RawHttpClient mid_request(server.port());
  mid_request.send_raw("POST /echo HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");

  const auto start = steady_clock::now();
  server.listener.stop();
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(2));
  for (auto& client : clients) EXPECT_TRUE(client->server_closed());
  EXPECT_TRUE(mid_request.server_closed());
  EXPECT_THROW(RawHttpClient(server.port(), "127.0.0.1", std::chrono::seconds(1)),
               std::runtime_error);
  server.listener.stop();  // idempotent
}

TEST(TransportHttp, BindingATakenPortThrowsNamingIt) {
  TestListener first;
  FakeHandler handler;
  server::FaultInjector faults;
  try {
    server::HttpListener second({.port = first.port()}, handler, faults);
    FAIL() << "bound a taken port";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(first.port())),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace dvidxfer::testing
