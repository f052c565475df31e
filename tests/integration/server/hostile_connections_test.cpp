// Hostile clients against `dvidxfer serve` as a separate process: slowloris heads and bodies,
// thousands of idle connections, the connection cap, oversized heads and bodies, requests cut
// mid-body. Each case checks the server's answer (a 4xx or a close), that a well-behaved client
// is served meanwhile, and that the server's resident memory stays bounded; each prints one
// "[hostile-client]" line with its figures.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hostile_client_support.hpp"

namespace dvidxfer::testing::hostile {
namespace {

std::vector<std::unique_ptr<AttackSocket>> connect_attackers(std::uint16_t port,
                                                             std::size_t count) {
  std::vector<std::unique_ptr<AttackSocket>> attackers;
  attackers.reserve(count);
  for (std::size_t i = 0; i < count; ++i) attackers.push_back(std::make_unique<AttackSocket>(port));
  return attackers;
}

std::size_t count_closed(std::vector<std::unique_ptr<AttackSocket>>& attackers) {
  std::size_t closed = 0;
  for (auto& attacker : attackers) {
    attacker->poll_input();
    closed += attacker->closed_by_server() ? 1 : 0;
  }
  return closed;
}

std::uint64_t bytes_sent(const std::vector<std::unique_ptr<AttackSocket>>& attackers) {
  std::uint64_t sent = 0;
  for (const auto& attacker : attackers) sent += attacker->sent();
  return sent;
}

// The answers the attackers got, e.g. "431 x50" or "no answer, closed x200".
std::string describe_answers(const std::vector<std::unique_ptr<AttackSocket>>& attackers) {
  std::map<std::string, std::size_t> counts;
  for (const auto& attacker : attackers) {
    const int status = attacker->status();
    std::string answer = status != 0 ? std::to_string(status) : "no answer";
    answer += attacker->closed_by_server() ? " and close" : ", left open";
    ++counts[answer];
  }
  std::string text;
  for (const auto& [answer, count] : counts)
    text += (text.empty() ? "" : ", ") + answer + " x" + std::to_string(count);
  return text;
}

// Measures one attack: the server's RSS before, its peak (sampled every 20 ms and VmHWM) and after,
// with a well-behaved client making round trips from start to finish.
class Measurement {
 public:
  explicit Measurement(const ServedRepo& served)
      : process_(served.process), before_(process_.rss_kib()), well_behaved_(served) {
    well_behaved_.wait_for(1);
    sampler_ = std::thread([this] {
      while (!stopping_) {
        if (process_.running())
          sampled_peak_ = std::max<std::uint64_t>(sampled_peak_, process_.rss_kib());
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
    served_at_start_ = well_behaved_.served();
  }
  ~Measurement() { stop_sampling(); }

  // Call when the attack is over: takes the peak, lets the well-behaved client make one more
  // round trip, waits for the server to settle and reads "after"; then checks that the
  // well-behaved client was served during the attack and never failed.
  void finish() {
    // On a loaded machine a short attack may end between two round trips; the attackers' sockets
    // are still open here, so one more counts as made during it.
    if (well_behaved_.served() == served_at_start_) well_behaved_.wait_for(served_at_start_ + 1);
    const std::uint64_t during = well_behaved_.served() - served_at_start_;
    stop_sampling();
    peak_ = std::max<std::uint64_t>(sampled_peak_, process_.peak_rss_kib());
    well_behaved_.wait_for(well_behaved_.served() + 1);
    well_behaved_.stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    after_ = process_.rss_kib();
    EXPECT_GE(during, 1u) << "no well-behaved round trip completed during the attack";
    EXPECT_EQ(well_behaved_.failed(), 0u) << well_behaved_.first_failure();
    EXPECT_TRUE(process_.running());
  }
  std::uint64_t before() const { return before_; }
  std::uint64_t peak() const { return peak_; }
  std::uint64_t after() const { return after_; }

  void print(const std::string& name, std::size_t connections, std::uint64_t sent,
             const std::string& answer) const {
    CaseSummary{name,
                connections,
                sent,
                answer,
                before_,
                peak_,
                after_,
                well_behaved_.served(),
                well_behaved_.failed()}
        .print();
  }

 private:
  void stop_sampling() {
    stopping_ = true;
    if (sampler_.joinable()) sampler_.join();
  }

  const ServeProcess& process_;
  std::uint64_t before_;
  std::uint64_t peak_ = 0;
  std::uint64_t after_ = 0;
  WellBehavedClient well_behaved_;
  std::uint64_t served_at_start_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> sampled_peak_{0};
  std::thread sampler_;
};

// A POST head for key `key` declaring `length` body bytes.
std::string post_head(const ServedRepo& served, const std::string& key, std::uint64_t length,
                      std::string_view extra = {}) {
  return "POST " + served.key_path(key) +
         " HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(length) + "\r\n" +
         std::string(extra) + "\r\n";
}

// Sends the whole of `bytes` on a non-blocking attacker (waiting while its buffer is full);
// false if the server closed the connection first.
bool send_all(AttackSocket& attacker, std::string_view bytes) {
  const auto deadline = Clock::now() + std::chrono::minutes(1);
  while (!bytes.empty() && !attacker.closed_by_server() && Clock::now() < deadline) {
    const std::size_t n = attacker.send_some(bytes);
    bytes.remove_prefix(n);
    if (n == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return bytes.empty();
}

std::size_t count_stored(const ServedRepo& served, const std::string& prefix, std::size_t count) {
  RawHttpClient client(served.process.port());
  std::size_t stored = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const auto response = client.request("GET", served.key_path(prefix + std::to_string(i)));
    EXPECT_TRUE(response.status == 200 || response.status == 404) << response.status;
    stored += response.status == 200 ? 1 : 0;
  }
  return stored;
}

TEST(HostileClients, SlowlorisHeadsAreClosedByTheHeaderTimeout) {
  ServedRepo served({"--header-timeout", "2"});
  Measurement measurement(served);
  auto attackers = connect_attackers(served.process.port(), 200);
  // A head that never ends: one byte per connection every 100 ms, forever.
  const std::string head = "GET /api/server/info HTTP/1.1\r\nHost: x\r\nX-Slow: ";
  std::size_t position = 0;
  until_all_closed(attackers, std::chrono::seconds(90), [&] {
    const char byte = position < head.size() ? head[position] : 'a';
    for (auto& attacker : attackers) attacker->send_some(std::string_view(&byte, 1));
    ++position;
  });
  measurement.finish();

  EXPECT_EQ(count_closed(attackers), attackers.size()) << describe_answers(attackers);
  if (kRssBoundsApply) {
    EXPECT_LE(measurement.peak(), measurement.before() + 16 * kMiB);
  }
  measurement.print("slowloris heads (1 byte/100 ms, --header-timeout 2)", attackers.size(),
                    bytes_sent(attackers), describe_answers(attackers));
}

TEST(HostileClients, TrickledBodiesAreClosedByTheRequestTimeout) {
  ServedRepo served({"--request-timeout", "3", "--body-timeout", "2"});
  Measurement measurement(served);
  constexpr std::size_t kCount = 100;
  auto attackers = connect_attackers(served.process.port(), kCount);
  for (std::size_t i = 0; i < kCount; ++i)
    ASSERT_TRUE(send_all(*attackers[i], post_head(served, "trickle" + std::to_string(i), 1 << 20)));
  // One body byte per connection every 100 ms: never a stall, never an end.
  until_all_closed(attackers, std::chrono::seconds(90), [&] {
    for (auto& attacker : attackers) attacker->send_some("b");
  });
  measurement.finish();

  EXPECT_EQ(count_closed(attackers), kCount) << describe_answers(attackers);
  EXPECT_EQ(count_stored(served, "trickle", kCount), 0u) << "a cut body was stored";
  if (kRssBoundsApply) {
    EXPECT_LE(measurement.peak(), measurement.before() + 16 * kMiB);
  }
  measurement.print("trickled bodies (1 byte/100 ms of 1 MiB, --request-timeout 3)", kCount,
                    bytes_sent(attackers), describe_answers(attackers) + "; 0 keys stored");
}

TEST(HostileClients, StalledBodiesAreClosedByTheBodyTimeout) {
  ServedRepo served({"--body-timeout", "2"});
  const std::uint64_t virtual_before = served.process.virtual_kib();
  Measurement measurement(served);
  // Half of a 1 MiB body, then silence; and 20 that declare the largest body allowed (3 GiB) and
  // send 64 KiB of it: the declared size must not be what the server allocates.
  constexpr std::size_t kHalf = 100, kHuge = 20;
  auto attackers = connect_attackers(served.process.port(), kHalf + kHuge);
  const std::string half(512 * 1024, 'h');
  for (std::size_t i = 0; i < kHalf; ++i)
    ASSERT_TRUE(
        send_all(*attackers[i], post_head(served, "stall" + std::to_string(i), 1 << 20) + half));
  for (std::size_t i = 0; i < kHuge; ++i)
    ASSERT_TRUE(send_all(
        *attackers[kHalf + i],
        post_head(served, "huge" + std::to_string(i), 3ull << 30) + std::string(64 * 1024, 'g')));
  until_all_closed(attackers, std::chrono::seconds(90), [] {});
  measurement.finish();

  const std::uint64_t sent = bytes_sent(attackers);
  EXPECT_EQ(count_closed(attackers), kHalf + kHuge) << describe_answers(attackers);
  EXPECT_EQ(count_stored(served, "stall", kHalf) + count_stored(served, "huge", kHuge), 0u);
  // Holding the bytes received is the server's job; twice that (or touching the declared 3 GiB
  // bodies) is not.
  if (kRssBoundsApply) {
    EXPECT_LE(measurement.peak(), measurement.before() + 2 * sent / 1024 + 16 * kMiB);
  }
  // Nor is reserving the 60 GiB declared: address space grows with what arrives, too.
  const std::uint64_t virtual_growth = served.process.peak_virtual_kib() - virtual_before;
  if (kRssBoundsApply) {
    EXPECT_LE(virtual_growth, 2048 * kMiB);
  }
  measurement.print("stalled bodies (512 KiB of 1 MiB x100, 64 KiB of 3 GiB x20, --body-timeout 2)",
                    kHalf + kHuge, sent,
                    describe_answers(attackers) + "; 0 keys stored; address space grew " +
                        std::to_string(virtual_growth / 1024) + " MiB");
}

// Three rounds of 3,000 connections that send nothing: the server keeps serving, each connection
// costs a few KiB, and later rounds cost little more than the first (a leak of half of what a
// connection holds would add its cost again by the third round).
TEST(HostileClients, ThousandsOfIdleConnections) {
  constexpr std::size_t kCount = 3000;
  constexpr int kRounds = 3;
  allow_open_files(kCount + 256);
  ServedRepo served({});
  Measurement measurement(served);
  std::uint64_t round_peak[kRounds] = {};
  for (int round = 0; round < kRounds; ++round) {
    auto attackers = connect_attackers(served.process.port(), kCount);
    // Accepting is first come, first served: a request on a later connection is answered once
    // the server holds all 3,000.
    RawHttpClient probe(served.process.port());
    ASSERT_EQ(probe.request("GET", "/api/server/info").status, 200);
    round_peak[round] = served.process.rss_kib();
    EXPECT_EQ(count_closed(attackers), 0u) << "idle connections closed before the idle timeout";
    attackers.clear();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ASSERT_EQ(probe.request("GET", "/api/server/info").status, 200);
  }
  measurement.finish();

  const std::uint64_t first_round_cost =
      round_peak[0] - std::min(round_peak[0], measurement.before());
  const std::uint64_t per_connection_bytes = first_round_cost * 1024 / kCount;
  if (kRssBoundsApply) {
    EXPECT_LE(per_connection_bytes, 16u * 1024) << "bytes of RSS per idle connection";
  }
  if (kRssBoundsApply) {
    EXPECT_LE(round_peak[kRounds - 1], round_peak[0] + first_round_cost)
        << "later rounds of connections cost more: a leak per connection";
  }
  measurement.print("idle connections (3 rounds of 3000, defaults)", kRounds * kCount, 0,
                    "held open, served; ~" + std::to_string(per_connection_bytes) +
                        " B RSS per connection; RSS with 3000 open: rounds 1-3 " +
                        std::to_string(round_peak[0] / 1024) + ", " +
                        std::to_string(round_peak[1] / 1024) + ", " +
                        std::to_string(round_peak[2] / 1024) + " MiB");
}

TEST(HostileClients, IdleConnectionsAreClosedByTheIdleTimeout) {
  ServedRepo served({"--idle-timeout", "1"});
  Measurement measurement(served);
  auto attackers = connect_attackers(served.process.port(), 500);
  until_all_closed(attackers, std::chrono::seconds(90), [] {});
  measurement.finish();
  EXPECT_EQ(count_closed(attackers), attackers.size()) << describe_answers(attackers);
  measurement.print("idle connections (500, --idle-timeout 1)", attackers.size(), 0,
                    describe_answers(attackers));
}

// At the cap a newcomer closes the connection that has waited longest for a request; the
// well-behaved client (a new connection per round trip) is always let in.
TEST(HostileClients, AtTheConnectionCapTheLongestIdleMakesRoom) {
  constexpr std::size_t kCap = 100;
  ServedRepo served({"--max-connections", std::to_string(kCap)});
  Measurement measurement(served);
  auto first = connect_attackers(served.process.port(), kCap);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // let the server take them in
  auto later = connect_attackers(served.process.port(), kCap / 2);
  // Each later one (and each well-behaved connection) closes one of the first.
  const auto deadline = Clock::now() + std::chrono::minutes(1);
  while (count_closed(first) < kCap / 2 && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  measurement.finish();

  EXPECT_GE(count_closed(first), kCap / 2) << describe_answers(first);
  EXPECT_EQ(count_closed(later), 0u) << "a newer connection was closed before older idle ones";
  for (auto& attacker : first) EXPECT_EQ(attacker->status(), 0) << attacker->received();
  measurement.print("connection cap (--max-connections 100; 100 idle, then 50 more)",
                    first.size() + later.size(), 0,
                    std::to_string(count_closed(first)) +
                        " of the first 100 closed (oldest first), 0 of the later 50");
}

// At the cap with every connection mid-request, a newcomer is answered 503 and closed; once the
// busy ones go, newcomers are served again.
TEST(HostileClients, AtTheConnectionCapWithAllBusyNewcomersGet503) {
  constexpr std::size_t kCap = 50;
  ServedRepo served({"--max-connections", std::to_string(kCap)});
  const std::uint64_t before = served.process.rss_kib();
  auto busy = connect_attackers(served.process.port(), kCap);
  // "Expect: 100-continue" makes the server say when it has read each head.
  for (std::size_t i = 0; i < kCap; ++i)
    ASSERT_TRUE(send_all(*busy[i], post_head(served, "busy" + std::to_string(i), 1 << 20,
                                             "Expect: 100-continue\r\n")));
  const auto deadline = Clock::now() + std::chrono::minutes(1);
  auto continued = [&] {
    return std::count_if(busy.begin(), busy.end(), [](auto& attacker) {
      attacker->poll_input();
      return attacker->received().find("100 Continue") != std::string::npos;
    });
  };
  while (continued() < static_cast<long>(kCap) && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_EQ(continued(), static_cast<long>(kCap));

  RawHttpClient newcomer(served.process.port());
  newcomer.send_request("GET", "/api/server/info");
  const auto refused = newcomer.read_response();
  EXPECT_EQ(refused.status, 503);
  EXPECT_NE(refused.body.find("50 connections open"), std::string::npos) << refused.body;
  EXPECT_EQ(refused.header("connection"), "close");
  const std::uint64_t peak = served.process.peak_rss_kib();

  busy.clear();
  std::size_t served_after = 0;
  for (int attempt = 0; attempt < 600 && served_after == 0; ++attempt) {
    RawHttpClient client(served.process.port());
    client.send_request("GET", "/api/server/info");
    served_after += client.read_response().status == 200 ? 1 : 0;
    if (served_after == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(served_after, 1u);
  CaseSummary{"connection cap, all busy (--max-connections 50, 50 mid-body)",
              kCap + 1,
              0,
              "newcomer: " + std::to_string(refused.status) + " '" +
                  refused.body.substr(0, refused.body.find('\n')) + "' and close",
              before,
              peak,
              served.process.rss_kib(),
              served_after,
              0}
      .print();
}

TEST(HostileClients, OversizedHeadsGet431) {
  ServedRepo served({"--max-header-bytes", "16Ki"});
  Measurement measurement(served);
  constexpr std::size_t kCount = 50;
  auto attackers = connect_attackers(served.process.port(), kCount);
  // Up to 1 MiB of header each, against a 16 KiB limit.
  const std::string head = "GET /api/server/info HTTP/1.1\r\nHost: x\r\nX-Big: ";
  for (auto& attacker : attackers) send_all(*attacker, head);
  const std::string filler(16 * 1024, 'a');
  until_all_closed(attackers, std::chrono::seconds(90), [&] {
    for (auto& attacker : attackers)
      if (attacker->sent() < (1u << 20) && attacker->received().empty())
        attacker->send_some(filler);
  });
  measurement.finish();

  for (auto& attacker : attackers) EXPECT_EQ(attacker->status(), 431) << attacker->received();
  EXPECT_EQ(count_closed(attackers), kCount);
  const std::uint64_t sent = bytes_sent(attackers);
  if (kRssBoundsApply) {
    EXPECT_LE(measurement.peak(), measurement.before() + 16 * kMiB);
  }
  measurement.print("oversized heads (up to 1 MiB each, --max-header-bytes 16Ki)", kCount, sent,
                    describe_answers(attackers));
}

TEST(HostileClients, OversizedBodiesGet413) {
  ServedRepo served({"--max-body-bytes", "8Mi"});
  Measurement measurement(served);
  // 20 declare 1 GiB (refused before a byte of body is read); 4 stream chunked bodies of 64 MiB
  // (refused once past 8 MiB).
  constexpr std::size_t kDeclared = 20, kChunked = 4;
  auto attackers = connect_attackers(served.process.port(), kDeclared + kChunked);
  for (std::size_t i = 0; i < kDeclared; ++i)
    send_all(*attackers[i], post_head(served, "declared" + std::to_string(i), 1ull << 30));
  for (std::size_t i = 0; i < kChunked; ++i)
    send_all(*attackers[kDeclared + i],
             "POST " + served.key_path("chunked" + std::to_string(i)) +
                 " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
  // Chunks of 64 KiB, sent as one endless stream (a send may take part of a chunk), until the
  // server answers.
  const std::string chunk = "10000\r\n" + std::string(0x10000, 'c') + "\r\n";
  std::vector<std::uint64_t> streamed(attackers.size(), 0);
  until_all_closed(attackers, std::chrono::seconds(90), [&] {
    for (std::size_t i = kDeclared; i < attackers.size(); ++i) {
      while (streamed[i] < (64u << 20) && attackers[i]->received().empty()) {
        const std::size_t n =
            attackers[i]->send_some(std::string_view(chunk).substr(streamed[i] % chunk.size()));
        if (n == 0) break;
        streamed[i] += n;
      }
    }
  });
  measurement.finish();

  for (auto& attacker : attackers) EXPECT_EQ(attacker->status(), 413) << attacker->received();
  EXPECT_EQ(count_stored(served, "declared", kDeclared) + count_stored(served, "chunked", kChunked),
            0u);
  const std::uint64_t sent = bytes_sent(attackers);
  // Each chunked body may be held up to the 8 MiB limit (twice, while its string grows).
  if (kRssBoundsApply) {
    EXPECT_LE(measurement.peak(), measurement.before() + kChunked * 16 * kMiB + 16 * kMiB);
  }
  measurement.print("oversized bodies (1 GiB declared x20, 64 MiB chunked x4, limit 8 MiB)",
                    kDeclared + kChunked, sent, describe_answers(attackers) + "; 0 keys stored");
}

// Requests whose body is cut off (the client closes or resets mid-body, or a chunked body stops
// mid-chunk) store nothing: no key, and not one voxel of a volume.
TEST(HostileClients, RequestsCutMidBodyStoreNothing) {
  ServedRepo served({});
  ASSERT_EQ(served.create_instance(R"({"typename":"uint8blk","dataname":"gray"})").status, 200);
  const std::string volume = "/api/node/" + served.uuid + "/gray/raw/0_1_2/64_64_64/0_0_0";
  std::string voxels(64 * 64 * 64, '\0');
  for (std::size_t i = 0; i < voxels.size(); ++i) voxels[i] = static_cast<char>(1 + i % 251);

  Measurement measurement(served);
  constexpr std::size_t kEach = 50;
  std::vector<std::unique_ptr<AttackSocket>> attackers;
  auto cut = [&](const std::string& bytes, bool reset) {
    attackers.push_back(std::make_unique<AttackSocket>(served.process.port()));
    send_all(*attackers.back(), bytes);
    if (reset)
      attackers.back()->reset();
    else
      attackers.back()->close_sending();
  };
  for (std::size_t i = 0; i < kEach; ++i) {
    const std::string value(100000, 'v');
    cut(post_head(served, "fin" + std::to_string(i), value.size()) + value.substr(0, 50000), false);
    cut(post_head(served, "rst" + std::to_string(i), value.size()) + value.substr(0, 50000), true);
    cut("POST " + served.key_path("chunk" + std::to_string(i)) +
            " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n8000\r\n" +
            value.substr(0, 20000),
        false);
    const std::string head = "POST " + volume + " HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                             std::to_string(voxels.size()) + "\r\n\r\n";
    cut(head + voxels.substr(0, voxels.size() - 1), i % 2 == 0);
  }
  until_all_closed(attackers, std::chrono::seconds(90), [] {});
  measurement.finish();

  EXPECT_EQ(count_stored(served, "fin", kEach) + count_stored(served, "rst", kEach) +
                count_stored(served, "chunk", kEach),
            0u);
  RawHttpClient client(served.process.port(), "127.0.0.1", std::chrono::seconds(60));
  EXPECT_EQ(client.request("GET", volume).body, std::string(voxels.size(), '\0'))
      << "a cut volume POST stored voxels";
  // The same volume sent whole is stored: the check above could see it.
  ASSERT_EQ(client.request("POST", volume, voxels).status, 200);
  EXPECT_EQ(client.request("GET", volume).body, voxels);
  measurement.print("requests cut mid-body (FIN, RST, mid-chunk; key and 64^3 volume POSTs)",
                    attackers.size(), bytes_sent(attackers),
                    "no answer and close x" + std::to_string(count_closed(attackers)) +
                        "; 0 keys and 0 voxels stored");
}

// Clients that ask for a 64 MiB answer and never read it: the response timeout drops them, and
// the answers the server held are freed.
TEST(HostileClients, ClientsThatNeverReadAreDroppedByTheResponseTimeout) {
  ServedRepo served({"--response-timeout", "2"});
  ASSERT_EQ(served.create_instance(R"({"typename":"uint8blk","dataname":"gray"})").status, 200);
  constexpr std::size_t kCount = 4, kAnswerBytes = 512 * 512 * 256;
  const std::string request = "GET /api/node/" + served.uuid +
                              "/gray/raw/0_1_2/512_512_256/0_0_0 HTTP/1.1\r\nHost: x\r\n\r\n";
  Measurement measurement(served);
  auto attackers = connect_attackers(served.process.port(), kCount);
  for (auto& attacker : attackers) ASSERT_TRUE(send_all(*attacker, request));
  // Read each answer's first bytes (so that it is known to be under way), then nothing more.
  auto deadline = Clock::now() + std::chrono::seconds(90);
  for (auto& attacker : attackers) {
    while (attacker->received().empty() && Clock::now() < deadline) {
      attacker->poll_input();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(attacker->status(), 200);
  }
  // It ended when the server's memory falls back: the held answers were dropped.
  deadline = Clock::now() + std::chrono::seconds(90);
  while (served.process.rss_kib() > measurement.before() + 64 * kMiB && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  until_all_closed(attackers, std::chrono::seconds(90), [] {});
  measurement.finish();

  std::size_t received = 0;
  for (auto& attacker : attackers) {
    EXPECT_TRUE(attacker->closed_by_server());
    EXPECT_LT(attacker->received_bytes(), kAnswerBytes) << "an answer was read in full";
    received += attacker->received_bytes();
  }
  if (kRssBoundsApply) {
    EXPECT_LE(measurement.after(), measurement.before() + 64 * kMiB);
  }
  measurement.print("clients that never read a 64 MiB answer (--response-timeout 2)", kCount,
                    bytes_sent(attackers),
                    "200, then close after " + std::to_string(received / kCount / 1024) +
                        " KiB of 65536 KiB read on average");
}

// Twelve clients ask for a 64 MiB answer each and do not read it. Past 128 MiB of answers
// waiting, the server answers 503 instead of holding more; small answers still go out.
TEST(HostileClients, AnswersWaitingForSlowClientsAreCapped) {
  ServedRepo served({"--max-pending-response-bytes", "128Mi", "--response-timeout", "60"});
  ASSERT_EQ(served.create_instance(R"({"typename":"uint8blk","dataname":"gray"})").status, 200);
  constexpr std::size_t kCount = 12;
  const std::string request = "GET /api/node/" + served.uuid +
                              "/gray/raw/0_1_2/512_512_256/0_0_0 HTTP/1.1\r\nHost: x\r\n\r\n";
  Measurement measurement(served);
  auto attackers = connect_attackers(served.process.port(), kCount);
  for (auto& attacker : attackers) ASSERT_TRUE(send_all(*attacker, request));
  const auto deadline = Clock::now() + std::chrono::seconds(90);
  for (auto& attacker : attackers) {
    while (attacker->received().size() < 12 && Clock::now() < deadline) {
      attacker->poll_input();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  measurement.finish();
  const auto answered = [&](int status) {
    return std::count_if(attackers.begin(), attackers.end(),
                         [&](auto& attacker) { return attacker->status() == status; });
  };
  EXPECT_EQ(answered(200), 2) << describe_answers(attackers);
  EXPECT_EQ(answered(503), static_cast<long>(kCount) - 2) << describe_answers(attackers);
  // Two answers held, and at most two more being built (one per handler thread) at any time.
  if (kRssBoundsApply) {
    EXPECT_LE(measurement.peak(), measurement.before() + (4 * 64 + 64) * kMiB);
  }
  measurement.print(
      "answers waiting for clients that never read (12 x 64 MiB, "
      "--max-pending-response-bytes 128Mi)",
      kCount, bytes_sent(attackers), describe_answers(attackers));
}

}  // namespace
}  // namespace dvidxfer::testing::hostile
