// Shared pieces of the hostile-client tests: a `dvidxfer serve` process with a repo and a
// keyvalue instance, attacker sockets that never block, a well-behaved client that keeps making
// real round trips meanwhile, and the "[hostile-client]" summary line each case prints.
#pragma once

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "dvid_test_server.hpp"
#include "raw_http_client.hpp"
#include "serve_process.hpp"

namespace dvidxfer::testing::hostile {

// Under AddressSanitizer the server holds shadow memory and a quarantine of freed blocks (256 MiB
// by default), so its RSS says nothing about what it buffers: the memory bounds are asserted by
// the Release run of ./run test, the behaviour by both.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kRssBoundsApply = false;
#else
inline constexpr bool kRssBoundsApply = true;
#endif

using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kMiB = 1024;  // in KiB, the unit of /proc/PID/status

// Lets this process open `count` sockets (the hard limit here is far above what the tests use).
inline void allow_open_files(rlim_t count) {
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_cur >= count) return;
  ASSERT_GE(limit.rlim_max, count) << "the hard limit on open files is too low for this test";
  limit.rlim_cur = count;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &limit), 0);
}

// One attacker connection: connected blocking, then used without ever blocking, so one thread can
// drive thousands. Remembers what the server sent and whether it closed the connection.
class AttackSocket {
 public:
  explicit AttackSocket(std::uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket() failed: errno " + std::to_string(errno));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd_);
      throw std::runtime_error("connect() failed: errno " + std::to_string(errno));
    }
    const int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~AttackSocket() { ::close(fd_); }
  AttackSocket(const AttackSocket&) = delete;
  AttackSocket& operator=(const AttackSocket&) = delete;

  // Sends what the socket takes now of `bytes`; returns how many went. A failed send means the
  // server closed or reset the connection.
  std::size_t send_some(std::string_view bytes) {
    if (closed_) return 0;
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK) closed_ = true;
      poll_input();
      return 0;
    }
    sent_ += static_cast<std::size_t>(n);
    return static_cast<std::size_t>(n);
  }
  // Takes in whatever the server sent, and notices a close (FIN or RST).
  void poll_input() {
    char chunk[4096];
    while (true) {
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, MSG_DONTWAIT);
      if (n > 0) {
        received_bytes_ += static_cast<std::size_t>(n);
        if (received_.size() < 64 * 1024) received_.append(chunk, static_cast<std::size_t>(n));
        continue;
      }
      if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) closed_ = true;
      return;
    }
  }
  // Closes our side abruptly (RST), as a client that crashes mid-request.
  void reset() {
    linger abort{1, 0};
    setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
    ::shutdown(fd_, SHUT_RDWR);
  }
  // Ends our sending (FIN) but keeps reading, as a client that gives up mid-request.
  void close_sending() { ::shutdown(fd_, SHUT_WR); }
  bool closed_by_server() const noexcept { return closed_; }
  std::size_t sent() const noexcept { return sent_; }
  // The first 64 KiB the server sent, and how many bytes it sent in all.
  const std::string& received() const noexcept { return received_; }
  std::size_t received_bytes() const noexcept { return received_bytes_; }
  // The status code of the server's answer, or 0 if it answered nothing.
  int status() const {
    if (received_.size() < 12 || received_.compare(0, 5, "HTTP/") != 0) return 0;
    return std::atoi(received_.c_str() + 9);
  }

 private:
  int fd_ = -1;
  bool closed_ = false;
  std::size_t sent_ = 0;
  std::size_t received_bytes_ = 0;
  std::string received_;
};

// `dvidxfer serve` with a repo holding the keyvalue instance "kv".
struct ServedRepo {
  ServeProcess process;
  std::string uuid;

  explicit ServedRepo(const std::vector<std::string>& arguments)
      : process(DVIDXFER_CLI_PATH, arguments) {
    RawHttpClient client(process.port());
    const auto repo = client.request("POST", "/api/repos", R"({"alias":"hostile"})");
    uuid = json_member(repo.body, "root");
    const auto created = create_instance(R"({"typename":"keyvalue","dataname":"kv"})");
    if (created.status != 200) throw std::runtime_error("cannot create kv: " + created.body);
  }
  // POSTs an instance definition (DVID's JSON) to the repo, on a connection of its own.
  RawHttpResponse create_instance(std::string_view definition) const {
    RawHttpClient client(process.port());
    return client.request("POST", "/api/repo/" + uuid + "/instance", definition);
  }
  std::string key_path(std::string_view key) const {
    return "/api/node/" + uuid + "/kv/key/" + std::string(key);
  }
};

// One well-behaved round trip on a new connection: put key `well-behaved-N` and read it back byte
// for byte. Returns what went wrong, or "" if nothing did.
inline std::string well_behaved_round_trip(const ServedRepo& served, std::uint64_t n) {
  const std::string key = "well-behaved-" + std::to_string(n);
  const std::string value = "value " + std::to_string(n) + std::string(1000, 'v');
  try {
    RawHttpClient client(served.process.port(), "127.0.0.1", std::chrono::seconds(30));
    const auto put = client.request("POST", served.key_path(key), value);
    const auto got = client.request("GET", served.key_path(key));
    if (put.status == 200 && got.status == 200 && got.body == value) return "";
    return "round trip " + key + ": POST " + std::to_string(put.status) + ", GET " +
           std::to_string(got.status);
  } catch (const std::exception& e) {
    return e.what();
  }
}

// A client that behaves: every `pause`, a well-behaved round trip. Counts those that succeeded
// and those that did not, until stop().
class WellBehavedClient {
 public:
  WellBehavedClient(const ServedRepo& served,
                    std::chrono::milliseconds pause = std::chrono::milliseconds(50))
      : thread_([this, &served, pause] { run(served, pause); }) {}
  ~WellBehavedClient() { stop(); }

  // Waits until at least `count` round trips succeeded in all (or a minute passed).
  void wait_for(std::uint64_t count) const {
    const auto deadline = Clock::now() + std::chrono::minutes(1);
    while (served_ < count && Clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  void stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
  }
  std::uint64_t served() const { return served_; }
  std::uint64_t failed() const { return failed_; }
  std::string first_failure() const {
    std::lock_guard lock(mutex_);
    return first_failure_;
  }

 private:
  void run(const ServedRepo& served, std::chrono::milliseconds pause) {
    for (std::uint64_t i = 0; !stopping_; ++i) {
      const std::string failure = well_behaved_round_trip(served, i);
      if (failure.empty())
        ++served_;
      else
        fail(failure);
      std::this_thread::sleep_for(pause);
    }
  }
  void fail(const std::string& what) {
    ++failed_;
    std::lock_guard lock(mutex_);
    if (first_failure_.empty()) first_failure_ = what;
  }

  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> served_{0};
  std::atomic<std::uint64_t> failed_{0};
  mutable std::mutex mutex_;
  std::string first_failure_;
  std::thread thread_;
};

// The figures of one case, printed as one "[hostile-client]" line for the README.
struct CaseSummary {
  std::string name;
  std::size_t connections = 0;
  std::uint64_t bytes_sent = 0;
  std::string server_answer;
  std::uint64_t rss_before_kib = 0;
  std::uint64_t rss_peak_kib = 0;
  std::uint64_t rss_after_kib = 0;
  std::uint64_t well_behaved_served = 0;
  std::uint64_t well_behaved_failed = 0;

  void print() const {
    std::printf(
        "[hostile-client] %s: %zu connections, %llu bytes sent; server: %s; RSS before %.1f MiB, "
        "peak %.1f MiB, after %.1f MiB; well-behaved round trips meanwhile: %llu ok, %llu "
        "failed\n",
        name.c_str(), connections, static_cast<unsigned long long>(bytes_sent),
        server_answer.c_str(), rss_before_kib / 1024.0, rss_peak_kib / 1024.0,
        rss_after_kib / 1024.0, static_cast<unsigned long long>(well_behaved_served),
        static_cast<unsigned long long>(well_behaved_failed));
    std::fflush(stdout);
  }
};

// Polls every attacker until each was closed by the server or `limit` passed (an upper bound for
// "it ended", never a speed claim). `step` runs between polls (e.g. to trickle more bytes).
template <typename Step>
void until_all_closed(std::vector<std::unique_ptr<AttackSocket>>& attackers,
                      std::chrono::seconds limit, Step step) {
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    bool all_closed = true;
    for (auto& attacker : attackers) {
      attacker->poll_input();
      all_closed = all_closed && attacker->closed_by_server();
    }
    if (all_closed) return;
    step();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace dvidxfer::testing::hostile
