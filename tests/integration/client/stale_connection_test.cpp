// A keep-alive connection the server closed while it sat idle: the next request written on it gets
// EOF (or a reset) before any byte of answer. HttpClient replays such a request once on a fresh
// connection when it is idempotent (GET, HEAD, DELETE without a body; PUT and POST that the caller
// leaves idempotent) and never when the caller marked it non-idempotent. Retries are switched off
// (max_attempts = 1) so only that replay can rescue a call.
//
// The hostile servers in tests/support answer or hang but cannot hang up on a request without a
// word, so this file has its own: one thread, one connection at a time.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "dvidxfer/engine/http_client.hpp"
#include "dvidxfer/engine/io_runtime.hpp"

namespace asio = boost::asio;
using namespace dvidxfer::engine;
using namespace std::chrono_literals;

namespace {

enum class HangUp { fin, reset };

struct Seen {
  int connection = 0;  // 1 for the first connection accepted
  std::string method;
  std::string body;
};

// Answers the first request on its first connection with a keep-alive 200, then reads the second
// request on it and closes without answering (a FIN, or a reset). Every later connection gets
// honest keep-alive answers.
class HangUpServer {
 public:
  explicit HangUpServer(HangUp how) : how_(how) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (listen_fd_ < 0 ||
        ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listen_fd_, 8) != 0)
      throw std::runtime_error("HangUpServer: cannot listen on 127.0.0.1");
    socklen_t length = sizeof address;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~HangUpServer() {
    stopping_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
    thread_.join();
    ::close(listen_fd_);
  }

  Endpoint endpoint() const { return parse_endpoint("127.0.0.1:" + std::to_string(port_)).value(); }
  std::vector<Seen> seen() const {
    const std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  void serve() {
    for (int connection = 1; !stopping_; ++connection) {
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;
      std::string pending;
      for (int request = 1;; ++request) {
        Seen one;
        if (!read_request(fd, pending, one)) break;
        one.connection = connection;
        {
          const std::lock_guard lock(mutex_);
          seen_.push_back(one);
        }
        if (connection == 1 && request == 2) {
          if (how_ == HangUp::reset) {
            const linger abort{1, 0};
            ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
          }
          break;
        }
        const std::string answer = one.method == "HEAD"
                                       ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n"
                                       : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK";
        if (::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL) < 0) break;
      }
      ::close(fd);
    }
  }

  // Reads one request (head and Content-Length body); false when the client left.
  static bool read_request(int fd, std::string& pending, Seen& out) {
    for (;;) {
      if (const auto end = pending.find("\r\n\r\n"); end != std::string::npos) {
        std::size_t body_length = 0;
        if (const auto at = pending.find("Content-Length: "); at != std::string::npos && at < end)
          body_length = std::stoul(pending.substr(at + 16));
        if (pending.size() >= end + 4 + body_length) {
          out.method = pending.substr(0, pending.find(' '));
          out.body = pending.substr(end + 4, body_length);
          pending.erase(0, end + 4 + body_length);
          return true;
        }
      }
      char piece[4096];
      const auto n = ::recv(fd, piece, sizeof piece, 0);
      if (n <= 0) return false;
      pending.append(piece, static_cast<std::size_t>(n));
    }
  }

  HangUp how_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<Seen> seen_;
  std::thread thread_;
};

struct Outcome {
  unsigned status = 0;
  int attempts = 0;
  std::optional<ErrorKind> error;
};

asio::awaitable<Outcome> send_copy(HttpClient* client, Request request) {
  auto result = co_await client->send(request);
  if (!result) co_return Outcome{0, result.error().attempts, result.error().kind};
  co_return Outcome{result->status, result->attempts, std::nullopt};
}

Request request_of(std::string method, std::string body, bool idempotent) {
  Request request;
  request.method = std::move(method);
  request.target = "/api/node/abc/kv/key/k";
  request.body = std::move(body);
  request.idempotent = idempotent;
  return request;
}

// A warm-up GET leaves the connection idle in the pool; `second` is then written on it as the
// server hangs up.
struct StaleRun {
  Outcome outcome;
  std::vector<Seen> seen;
  std::uint64_t opened = 0;
};

StaleRun send_on_stale_connection(const Request& second, HangUp how = HangUp::fin) {
  HangUpServer server(how);
  IoRuntime runtime(1);
  HttpClientOptions options;
  options.max_connections = 1;
  options.retry.max_attempts = 1;  // no ordinary retries: only the stale replay may rescue
  options.request_timeout = 10s;
  HttpClient client(runtime.executor(), server.endpoint(), options);
  const auto warm =
      asio::co_spawn(runtime.executor(), send_copy(&client, request_of("GET", "", true)),
                     asio::use_future)
          .get();
  EXPECT_EQ(warm.status, 200u);
  StaleRun run;
  run.outcome =
      asio::co_spawn(runtime.executor(), send_copy(&client, second), asio::use_future).get();
  run.opened = client.stats().connections_opened;
  client.shut_down();
  runtime.shutdown();
  run.seen = server.seen();
  return run;
}

void expect_replayed(const Request& request, HangUp how = HangUp::fin) {
  const auto run = send_on_stale_connection(request, how);
  ASSERT_FALSE(run.outcome.error) << request.method << ": " << to_string(*run.outcome.error);
  EXPECT_EQ(run.outcome.status, 200u) << request.method;
  EXPECT_EQ(run.outcome.attempts, 2) << request.method;
  EXPECT_EQ(run.opened, 2u) << "the replay went on a fresh connection";
  ASSERT_EQ(run.seen.size(), 3u);
  EXPECT_EQ(run.seen[1].connection, 1);
  EXPECT_EQ(run.seen[2].connection, 2);
  EXPECT_EQ(run.seen[2].method, request.method);
  EXPECT_EQ(run.seen[2].body, request.body) << "the replay sends the same body";
}

}  // namespace

TEST(StaleConnection, BodylessIdempotentRequestsAreReplayedOnAFreshConnection) {
  for (const char* method : {"GET", "HEAD", "DELETE"})
    expect_replayed(request_of(method, "", true));
}

TEST(StaleConnection, IdempotentRequestsWithABodyAreReplayed) {
  expect_replayed(request_of("PUT", "new value", true));
  expect_replayed(request_of("POST", "new value", true));  // a DVID keyvalue POST overwrites
}

TEST(StaleConnection, AResetIsStaleToo) {
  expect_replayed(request_of("GET", "", true), HangUp::reset);
}

TEST(StaleConnection, NonIdempotentRequestsAreNeverReplayed) {
  for (const char* body : {"{\"increment\":1}", ""}) {
    const auto run = send_on_stale_connection(request_of("POST", body, false));
    ASSERT_TRUE(run.outcome.error) << "a non-idempotent request was sent twice";
    EXPECT_EQ(*run.outcome.error, ErrorKind::connection);
    EXPECT_EQ(run.outcome.attempts, 1);
    EXPECT_EQ(run.seen.size(), 2u) << "the server saw it once";
    EXPECT_EQ(run.opened, 1u);
  }
}
