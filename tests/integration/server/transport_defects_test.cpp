// Defects of the server transport found in earlier notes, each checked over real sockets: answers
// that reserve their size before they are built, gzip'd label POSTs bounded while they inflate,
// 408 for requests that run out of time, and TLS (refusals, close_notify, slow readers).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <zlib.h>

#include <arpa/inet.h>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "dvid_test_server.hpp"
#include "peak_memory.hpp"
#include "raw_http_client.hpp"
#include "test_certificates.hpp"
#include "transport_test_listener.hpp"

namespace dvidxfer::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::uint64_t kMiB = 1 << 20;

// A repo with a uint8blk "grey" and a labelblk "labels", on a server whose answers waiting to be
// sent may hold 64 MiB.
class ReservedAnswers : public DvidServerTest {
 protected:
  ReservedAnswers()
      : DvidServerTest(server::ServerConfig{.max_pending_response_bytes = 64 * kMiB}) {
    uuid_ = new_repo();
    new_instance(uuid_, "grey", "uint8blk");
    new_instance(uuid_, "labels", "labelblk");
  }
  std::string raw(std::string_view instance, std::string_view size) const {
    return "/api/node/" + uuid_ + "/" + std::string(instance) + "/raw/0_1_2/" + std::string(size) +
           "/0_0_0";
  }
  // Asks for an answer of `path` on a connection of its own that does not read it yet, so the
  // server holds it, and gives the server time to build it.
  std::unique_ptr<RawHttpClient> hold_answer(const std::string& path) const {
    auto holder = std::make_unique<RawHttpClient>(server_->port(), "127.0.0.1", 30s);
    holder->send_request("GET", path);
    std::this_thread::sleep_for(500ms);
    return holder;
  }

  std::string uuid_;
};

// 256 MiB of grey or labels past a 64 MiB limit, with 24 MiB held for a client that does not
// read: refused before the volume is allocated, so the server's memory hardly grows.
TEST_F(ReservedAnswers, ALargeVolumeGetPastTheLimitIsRefusedBeforeItIsBuilt) {
  auto holder = hold_answer(raw("grey", "1024_1024_24"));
  for (const auto& path : {raw("grey", "4096_4096_16"), raw("labels", "1024_1024_32")}) {
    PeakMemory memory;
    const auto refused = get(path);
    EXPECT_EQ(refused.status, 503) << path;
    EXPECT_NE(refused.body.find("answers waiting to be sent hold"), std::string::npos)
        << refused.body;
    if (memory.exact()) {
      EXPECT_LT(memory.rise_bytes(), std::int64_t{64 * kMiB}) << path;
    }
  }
  const auto held = holder->read_response();
  EXPECT_EQ(held.status, 200);
  EXPECT_EQ(held.body.size(), 24 * kMiB);
}

// The reservation is what the transport counts while the answer is sent, not the answer again:
// 24 MiB held and 32 MiB more fit in 64 MiB.
TEST_F(ReservedAnswers, AReservedAnswerIsCountedOnce) {
  auto holder = hold_answer(raw("grey", "1024_1024_24"));
  const auto second = get(raw("grey", "1024_1024_32"));
  EXPECT_EQ(second.status, 200) << second.body.substr(0, 200);
  EXPECT_EQ(second.body.size(), 32 * kMiB);
  EXPECT_EQ(holder->read_response().body.size(), 24 * kMiB);
  // Everything sent, nothing is held: 60 MiB next to another 60 MiB held is refused only because
  // of the held one.
  auto again = hold_answer(raw("labels", "512_512_30"));
  EXPECT_EQ(get(raw("labels", "512_512_30")).status, 503);
  EXPECT_EQ(again->read_response().body.size(), 60 * kMiB);
  EXPECT_EQ(get(raw("labels", "512_512_30")).status, 200);
}

// One gzip member of `size` zero bytes, deflated a MiB at a time (a bomb: ~1000 to 1).
std::string gzipped_zeros(std::uint64_t size) {
  z_stream stream{};
  deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
  const std::string zeros(kMiB, '\0');
  std::string out;
  char chunk[64 * 1024];
  for (std::uint64_t left = size; left > 0 || stream.avail_in > 0;) {
    if (stream.avail_in == 0) {
      const auto n = static_cast<uInt>(std::min<std::uint64_t>(left, zeros.size()));
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
      stream.avail_in = n;
      left -= n;
    }
    do {
      stream.next_out = reinterpret_cast<Bytef*>(chunk);
      stream.avail_out = sizeof chunk;
      deflate(&stream, left == 0 ? Z_FINISH : Z_NO_FLUSH);
      out.append(chunk, sizeof chunk - stream.avail_out);
    } while (stream.avail_out == 0);
  }
  deflateEnd(&stream);
  return out;
}

class GzipLabelPosts : public DvidServerTest {
 protected:
  explicit GzipLabelPosts(server::ServerConfig config = {}) : DvidServerTest(std::move(config)) {
    uuid_ = new_repo();
    new_instance(uuid_, "labels", "labelblk");
  }
  // POST .../raw of a 64^3 box (2 MiB of labels) with compression=gzip.
  RawHttpResponse post_gzipped(const std::string& body) {
    return post("/api/node/" + uuid_ + "/labels/raw/0_1_2/64_64_64/0_0_0?compression=gzip", body);
  }

  std::string uuid_;
};

// 256 MiB of zeros for a box of 2 MiB: refused once the output passes 2 MiB, so the server never
// holds the 256 MiB.
TEST_F(GzipLabelPosts, ABombIsRefusedOnceItInflatesPastTheBox) {
  const std::string bomb = gzipped_zeros(256 * kMiB);
  PeakMemory memory;
  const auto refused = post_gzipped(bomb);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.body,
            dvid_error("labels data was more than 2097152 bytes, expected 2097152 bytes",
                       "/api/node/" + uuid_ + "/labels/raw/0_1_2/64_64_64/0_0_0"));
  if (memory.exact()) {
    EXPECT_LT(memory.rise_bytes(), std::int64_t{32 * kMiB});
  }
  // The box's own size is taken.
  EXPECT_EQ(post_gzipped(gzipped_zeros(2 * kMiB)).status, 200);
}

// --max-body-bytes bounds what a body may inflate to, as it bounds the body itself.
class GzipLabelPostsUnderABodyLimit : public GzipLabelPosts {
 protected:
  GzipLabelPostsUnderABodyLimit() : GzipLabelPosts(server::ServerConfig{.max_body_bytes = kMiB}) {}
};

TEST_F(GzipLabelPostsUnderABodyLimit, AGzippedBodyMayNotInflatePastIt) {
  const auto refused = post_gzipped(gzipped_zeros(2 * kMiB));
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(
      refused.body.find("labels expand past 1048576 bytes, the server's limit on request bodies"),
      std::string::npos)
      << refused.body;
}

// A request that runs out of time part way gets 408 and a close.
void expect_request_timeout(RawHttpClient& client) {
  const auto response = client.read_response();
  EXPECT_EQ(response.status, 408);
  EXPECT_EQ(response.header("connection"), "close");
  EXPECT_EQ(response.body, "408 Request Timeout");
  EXPECT_TRUE(client.server_closed());
}

TEST(TransportRequestTimeouts, AHeadThatStopsGets408) {
  TestListener server(server::ListenerConfig{.header_timeout = 300ms});
  RawHttpClient client(server.port());
  client.send_raw("GET /empty HTTP/1.1\r\nHost: x\r\n");
  expect_request_timeout(client);
}

TEST(TransportRequestTimeouts, ABodyThatStallsGets408) {
  TestListener server(server::ListenerConfig{.body_timeout = 300ms});
  RawHttpClient client(server.port());
  client.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten b");
  expect_request_timeout(client);
  EXPECT_EQ(server.handler.handled(), 0u);
}

TEST(TransportRequestTimeouts, ABodyThatTricklesPastTheRequestLimitGets408) {
  TestListener server(server::ListenerConfig{.body_timeout = 5s, .request_timeout = 500ms});
  RawHttpClient client(server.port());
  const auto start = std::chrono::steady_clock::now();
  client.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n");
  // A byte every 50 ms never stalls long enough for the body limit: the request limit ends it.
  for (int i = 0; i < 8; ++i) {
    client.send_raw("b");
    std::this_thread::sleep_for(50ms);
  }
  expect_request_timeout(client);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

// Between requests there is nothing to answer: the idle limit closes without a word, as Go does.
TEST(TransportRequestTimeouts, AnIdleConnectionIsClosedSilently) {
  TestListener server(server::ListenerConfig{.idle_timeout = 300ms});
  RawHttpClient client(server.port());
  EXPECT_EQ(client.request("GET", "/empty").status, 200);
  EXPECT_EQ(client.read_some(), "");
  EXPECT_TRUE(client.server_closed());
}

// How a TLS client saw the stream end.
enum class TlsEnd { close_notify, without_close_notify, timeout };

struct TlsResponse {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;
};

// A blocking TLS client over one socket, trusting the test CA and checking 127.0.0.1 against the
// server's certificate, that reads as slowly as a test asks.
class TlsTestClient {
 public:
  // `receive_buffer` (bytes, 0 for the default) is set before connecting, so the server's writes
  // find a small window.
  explicit TlsTestClient(std::uint16_t port, int receive_buffer = 0)
      : context_(SSL_CTX_new(TLS_client_method())) {
    SSL_CTX_load_verify_locations(context_, TestCertificates::shared().ca_file().c_str(), nullptr);
    SSL_CTX_set_verify(context_, SSL_VERIFY_PEER, nullptr);
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (receive_buffer != 0)
      setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    const timeval limit{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
      throw std::runtime_error("connect failed");
    ssl_ = SSL_new(context_);
    SSL_set_fd(ssl_, fd_);
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), "127.0.0.1");
  }
  ~TlsTestClient() {
    SSL_free(ssl_);
    SSL_CTX_free(context_);
    ::close(fd_);
  }
  TlsTestClient(const TlsTestClient&) = delete;
  TlsTestClient& operator=(const TlsTestClient&) = delete;

  // The handshake, certificate verified; false (with OpenSSL's reason in `error`) when it fails.
  bool handshake() {
    if (SSL_connect(ssl_) == 1) return true;
    error = ERR_error_string(ERR_get_error(), nullptr);
    return false;
  }
  void send(std::string_view bytes) {
    if (SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size())) !=
        static_cast<int>(bytes.size()))
      throw std::runtime_error("TLS write failed");
  }
  // One response with a Content-Length, read `chunk` bytes at a time with `pause` after each;
  // status 0 when the stream ends first.
  TlsResponse read_response(std::size_t chunk = 64 * 1024, std::chrono::milliseconds pause = 0ms) {
    TlsResponse response;
    std::size_t head_end;
    while ((head_end = pending_.find("\r\n\r\n")) == std::string::npos)
      if (!receive(chunk, pause)) return response;
    response.head = pending_.substr(0, head_end);
    pending_.erase(0, head_end + 4);
    response.status = std::atoi(response.head.c_str() + 9);
    std::size_t length = 0;
    if (const auto at = response.head.find("Content-Length: "); at != std::string::npos)
      length = std::stoull(response.head.substr(at + 16));
    while (pending_.size() < length)
      if (!receive(chunk, pause)) break;
    response.body = pending_.substr(0, length);
    pending_.erase(0, response.body.size());
    return response;
  }
  // Reads until the stream ends; says how it ended.
  TlsEnd read_to_end() {
    while (receive(64 * 1024, 0ms)) pending_.clear();
    return end_;
  }

  std::string error;

 private:
  bool receive(std::size_t chunk, std::chrono::milliseconds pause) {
    std::string buffer(chunk, '\0');
    const int n = SSL_read(ssl_, buffer.data(), static_cast<int>(buffer.size()));
    if (n > 0) {
      pending_.append(buffer, 0, static_cast<std::size_t>(n));
      if (pause.count() > 0) std::this_thread::sleep_for(pause);
      return true;
    }
    const int reason = SSL_get_error(ssl_, n);
    if (reason == SSL_ERROR_ZERO_RETURN)
      end_ = TlsEnd::close_notify;
    else if (reason == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EWOULDBLOCK))
      end_ = TlsEnd::timeout;
    else
      end_ = TlsEnd::without_close_notify;
    return false;
  }

  SSL_CTX* context_;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
  std::string pending_;
  TlsEnd end_ = TlsEnd::timeout;
};

server::ListenerConfig tls_listener(server::ListenerConfig config = {}) {
  config.tls_certificate_file = TestCertificates::shared().server_cert();
  config.tls_private_key_file = TestCertificates::shared().server_key();
  return config;
}

// Past the connection cap with every connection busy, a TLS newcomer is refused over TLS: its
// client sees a 503, not a failed handshake.
TEST(TransportTlsDefects, ANewcomerPastTheCapGetsA503OverTls) {
  TestListener server(tls_listener({.max_connections = 1}));
  TlsTestClient busy(server.port());
  ASSERT_TRUE(busy.handshake()) << busy.error;
  busy.send("GET /gate HTTP/1.1\r\nHost: x\r\n\r\n");
  server.handler.wait_until_gate_entered();

  TlsTestClient newcomer(server.port());
  const bool secured = newcomer.handshake();
  EXPECT_TRUE(secured) << newcomer.error;
  if (secured) {
    const auto refused = newcomer.read_response();
    EXPECT_EQ(refused.status, 503);
    EXPECT_NE(refused.head.find("Connection: close"), std::string::npos) << refused.head;
    EXPECT_EQ(refused.body, "503 Service Unavailable: 1 connections open, the server's limit");
    EXPECT_EQ(newcomer.read_to_end(), TlsEnd::close_notify);
  }

  server.handler.open_gate();
  EXPECT_EQ(busy.read_response().body, "opened");
}

TEST(TransportTlsDefects, ConnectionCloseEndsWithCloseNotify) {
  TestListener server(tls_listener());
  TlsTestClient client(server.port());
  ASSERT_TRUE(client.handshake()) << client.error;
  client.send("GET /bytes?n=1000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(client.read_response().body.size(), 1000u);
  EXPECT_EQ(client.read_to_end(), TlsEnd::close_notify);
}

TEST(TransportTlsDefects, TheIdleTimeoutEndsWithCloseNotify) {
  TestListener server(tls_listener({.idle_timeout = 300ms}));
  TlsTestClient client(server.port());
  ASSERT_TRUE(client.handshake()) << client.error;
  client.send("GET /empty HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(client.read_response().status, 200);
  EXPECT_EQ(client.read_to_end(), TlsEnd::close_notify);
}

TEST(TransportTlsDefects, StoppingEndsIdleConnectionsWithCloseNotify) {
  TestListener server(tls_listener());
  TlsTestClient client(server.port());
  ASSERT_TRUE(client.handshake()) << client.error;
  client.send("GET /empty HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(client.read_response().status, 200);
  std::this_thread::sleep_for(100ms);  // the server is back waiting for a request
  server.listener.stop();
  EXPECT_EQ(client.read_to_end(), TlsEnd::close_notify);
}

// A 408 over TLS is followed by close_notify too.
TEST(TransportTlsDefects, ARequestTimeoutEndsWith408AndCloseNotify) {
  TestListener server(tls_listener({.header_timeout = 300ms}));
  TlsTestClient client(server.port());
  ASSERT_TRUE(client.handshake()) << client.error;
  client.send("GET /empty HTTP/1.1\r\nHost: x\r\n");
  EXPECT_EQ(client.read_response().status, 408);
  EXPECT_EQ(client.read_to_end(), TlsEnd::close_notify);
}

// A client with a small receive window that reads 16 KiB every millisecond gets all of an 8 MiB
// answer over TLS, on a kept-alive connection and on one the answer closes.
TEST(TransportTlsDefects, ASlowReaderGetsAMultiMebibyteAnswerWhole) {
  TestListener server(tls_listener());
  constexpr std::size_t kSize = 8 * kMiB;
  std::string expected(kSize, '\0');
  for (std::size_t i = 0; i < kSize; ++i) expected[i] = static_cast<char>('a' + i % 26);
  TlsTestClient client(server.port(), 16 * 1024);
  ASSERT_TRUE(client.handshake()) << client.error;
  for (const char* connection : {"keep-alive", "close"}) {
    client.send("GET /bytes?n=" + std::to_string(kSize) +
                " HTTP/1.1\r\nHost: x\r\nConnection: " + connection + "\r\n\r\n");
    const auto response = client.read_response(16 * 1024, 1ms);
    EXPECT_EQ(response.status, 200) << connection;
    EXPECT_EQ(response.body.size(), kSize) << connection;
    EXPECT_TRUE(response.body == expected) << connection;
  }
  EXPECT_EQ(client.read_to_end(), TlsEnd::close_notify);
}

}  // namespace
}  // namespace dvidxfer::testing
