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

}  // namespace
}  // namespace dvidxfer::testing
