// Hostile requests against `dvidxfer serve` as a separate process: malformed request lines and
// URLs, invalid JSON bodies to every endpoint that takes JSON, and absurd sizes and offsets in
// volume URLs. Each is answered with a 4xx (or the connection is closed), never a 5xx; a
// well-behaved client is served meanwhile and the server's memory stays bounded. Each case
// prints one "[hostile-client]" line.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "hostile_client_support.hpp"

namespace dvidxfer::testing::hostile {
namespace {

// The server's answer to one request sent as raw bytes on a new connection: "431", "closed"
// (no answer), ...
struct RawOutcome {
  int status = 0;  // 0: the server closed without answering
  std::string body;
};

RawOutcome send_raw_request(std::uint16_t port, std::string_view bytes) {
  RawHttpClient client(port, "127.0.0.1", std::chrono::seconds(30));
  client.try_send_raw(bytes);
  const RawHttpResponse response = client.read_response();
  if (response.end == ReadEnd::timeout) return {-1, "no answer and no close within 30 s"};
  if (response.status == 0) return {};
  return {response.status, response.body.substr(0, 200)};
}

// Tallies the outcomes of a case ("400 x12, closed x3") and lists the ones that break the rule.
class Outcomes {
 public:
  // `may_succeed`: HTTP allows serving this request as well as refusing it.
  void add(const std::string& what, int status, const std::string& body, bool may_succeed = false) {
    ++counts_[status == 0 ? std::string("closed") : std::to_string(status)];
    ++total_;
    const bool acceptable = status == 0 || (status >= 400 && status < 500) ||
                            (may_succeed && status >= 200 && status < 300);
    if (!acceptable) failures_ += "  " + what + " -> " + std::to_string(status) + " " + body + "\n";
  }
  std::string summary() const {
    std::string text;
    for (const auto& [answer, count] : counts_)
      text += (text.empty() ? "" : ", ") + answer + " x" + std::to_string(count);
    return text;
  }
  const std::string& failures() const { return failures_; }
  std::size_t total() const { return total_; }

 private:
  std::map<std::string, std::size_t> counts_;
  std::string failures_;
  std::size_t total_ = 0;
};

// Server RSS around a case, and a well-behaved round trip after every hostile request.
class MeasuredCase {
 public:
  explicit MeasuredCase(const ServedRepo& served)
      : served_(served), before_(served.process.rss_kib()) {}

  // Call after each hostile request: a well-behaved client must still be served.
  void well_behaved_round_trip() {
    const std::string failure = hostile::well_behaved_round_trip(served_, served_count_ + failed_);
    if (failure.empty()) {
      ++served_count_;
    } else {
      ++failed_;
      ADD_FAILURE() << "well-behaved round trip failed: " << failure;
    }
  }

  void finish(const std::string& name, const Outcomes& outcomes, std::uint64_t bytes,
              std::uint64_t peak_bound_kib) {
    const std::uint64_t peak = served_.process.peak_rss_kib();
    const std::uint64_t after = served_.process.rss_kib();
    EXPECT_TRUE(outcomes.failures().empty()) << "answers other than 4xx or a close:\n"
                                             << outcomes.failures();
    EXPECT_EQ(served_count_, outcomes.total());
    if (kRssBoundsApply) {
      EXPECT_LE(peak, before_ + peak_bound_kib);
    }
    EXPECT_TRUE(served_.process.running());
    CaseSummary{name,  outcomes.total(), bytes,  outcomes.summary(), before_, peak,
                after, served_count_,    failed_}
        .print();
  }

 private:
  const ServedRepo& served_;
  std::uint64_t before_;
  std::uint64_t served_count_ = 0;
  std::uint64_t failed_ = 0;
};

TEST(HostileRequests, MalformedRequestLinesAndUrls) {
  ServedRepo served({});
  MeasuredCase measured(served);
  const std::string node = "/api/node/" + served.uuid;
  const std::string tail = " HTTP/1.1\r\nHost: x\r\n\r\n";
  // Each is refused, except the two marked: RFC 9112 lets a server unfold an obsolete folded
  // header (5.2) and accept a bare LF as a line end (2.2).
  const std::vector<std::pair<std::string, std::string>> requests = {
      {"garbage line", "GARBAGE\r\n\r\n"},
      {"method only", "GET\r\n\r\n"},
      {"unknown HTTP version", "GET /api/server/info HTTP/9.9\r\nHost: x\r\n\r\n"},
      {"binary request line", std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)},
      {"bad percent-escape", "GET " + node + "/kv/key/%zz" + tail},
      {"percent at the end", "GET " + node + "/kv/key/a%" + tail},
      {"half a percent-escape", "GET " + node + "/kv/key/a%4" + tail},
      {"escaped NUL in the path", "GET " + node + "/kv/key/a%00b" + tail},
      {"raw NUL in the path", "GET " + node + "/kv/key/a" + std::string(1, '\0') + "b" + tail},
      {"NUL in a header",
       "GET /api/server/info HTTP/1.1\r\nHost: x\r\nX-A: a" + std::string(1, '\0') + "b\r\n\r\n"},
      {"bad escape in the query", "GET " + node + "/kv/key/a?u=%zz%" + tail},
      {"100 KiB path", "GET /" + std::string(100 * 1024, 'p') + tail},
      {"60 KiB path", "GET " + node + "/kv/key/" + std::string(60 * 1024, 'k') + tail},
      {"10 KiB method", std::string(10 * 1024, 'M') + " /api/server/info" + tail},
      {"uuid that is not hex", "GET /api/node/not-a-uuid/kv/key/a" + tail},
      {"unknown uuid", "GET /api/node/ffffffffffffffffffffffffffffffff/kv/key/a" + tail},
      {"empty uuid", "GET /api/node//kv/key/a" + tail},
      {"10 KiB uuid", "GET /api/node/" + std::string(10 * 1024, 'a') + "/kv/key/a" + tail},
      {"uuid with ..", "GET /api/node/../../etc/passwd" + tail},
      {"key with ..", "GET " + node + "/kv/key/../../../../etc/passwd" + tail},
      {"escaped ..", "GET " + node + "/kv/%2e%2e/%2e%2e/etc/passwd" + tail},
      {"instance named ..", "GET " + node + "/../info" + tail},
      {"leading ..", "GET /../../etc/passwd" + tail},
      {"absolute-form target", "GET http://elsewhere/etc/passwd" + tail},
      {"asterisk target", "GET *" + tail},
      {"negative Content-Length",
       "POST " + node + "/kv/key/neg HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"},
      {"non-numeric Content-Length",
       "POST " + node + "/kv/key/nan HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"},
      {"Content-Length past 64 bits",
       "POST " + node +
           "/kv/key/big HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n"},
      {"two different Content-Lengths", "POST " + node +
                                            "/kv/key/two HTTP/1.1\r\nHost: x\r\nContent-Length: "
                                            "1\r\nContent-Length: 2\r\n\r\nab"},
      {"Content-Length and chunked",
       "POST " + node +
           "/kv/key/both HTTP/1.1\r\nHost: x\r\nContent-Length: "
           "3\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n"},
      {"unknown transfer coding", "POST " + node +
                                      "/kv/key/gz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                                      "gzip\r\n\r\nabc"},
      {"chunk size past 64 bits", "POST " + node +
                                      "/kv/key/huge HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                                      "chunked\r\n\r\nfffffffffffffffffffff\r\n"},
      {"chunk size not hex", "POST " + node +
                                 "/kv/key/zz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                                 "chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"},
      {"header without a colon", "GET /api/server/info HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n"},
      {"folded header", "GET /api/server/info HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n"},
      {"bare LF line ends", "GET /api/server/info HTTP/1.1\nHost: x\n\n"},
      {"space before the colon", "GET /api/server/info HTTP/1.1\r\nHost : x\r\n\r\n"},
  };
  Outcomes outcomes;
  std::uint64_t bytes = 0;
  for (const auto& [what, raw] : requests) {
    const bool accepted = what == "folded header" || what == "bare LF line ends";
    const RawOutcome outcome = send_raw_request(served.process.port(), raw);
    outcomes.add(what, outcome.status, outcome.body, accepted);
    bytes += raw.size();
    measured.well_behaved_round_trip();
  }
  // Nothing was stored under any of the keys those requests named.
  RawHttpClient client(served.process.port());
  for (const char* key : {"neg", "nan", "big", "two", "both", "gz", "huge", "zz"})
    EXPECT_EQ(client.request("GET", served.key_path(key)).status, 404) << key;
  measured.finish("malformed request lines and URLs", outcomes, bytes, 32 * kMiB);
}

TEST(HostileRequests, InvalidJsonToEveryJsonEndpoint) {
  ServedRepo served({});
  RawHttpClient setup(served.process.port());
  const std::string repo = "/api/repo/" + served.uuid;
  const std::string node = "/api/node/" + served.uuid;
  for (const char* instance :
       {R"({"typename":"uint8blk","dataname":"gray"})",
        R"({"typename":"labelblk","dataname":"labels"})",
        R"({"typename":"labelvol","dataname":"bodies"})", R"({"typename":"roi","dataname":"roi"})",
        R"({"typename":"labelgraph","dataname":"graph"})",
        R"({"typename":"imagetile","dataname":"tiles","source":"gray"})"})
    ASSERT_EQ(served.create_instance(instance).status, 200) << instance;
  // Version-changing endpoints get a repo of their own, so that nothing they might accept locks
  // the node the well-behaved client writes to.
  const std::string versions =
      "/api/node/" +
      json_member(setup.request("POST", "/api/repos", R"({"alias":"versions"})").body, "root");

  MeasuredCase measured(served);
  const std::vector<std::pair<std::string, std::string>> endpoints = {
      {"POST", "/api/repos"},
      {"POST", "/api/server/settings"},
      {"POST", "/api/server/faults"},
      {"POST", repo + "/info"},
      {"POST", repo + "/instance"},
      {"POST", repo + "/log"},
      {"POST", versions + "/note"},
      {"POST", versions + "/log"},
      {"POST", versions + "/commit"},
      {"POST", versions + "/newversion"},
      {"POST", versions + "/branch"},
      {"POST", versions + "/tag"},
      {"POST", node + "/kv/tags"},
      {"GET", node + "/kv/keyvalues?json=true"},
      {"POST", node + "/gray/extents"},
      {"POST", node + "/gray/resolution"},
      {"POST", node + "/labels/sync"},
      {"POST", node + "/bodies/sync"},
      {"POST", node + "/roi/roi"},
      {"POST", node + "/roi/ptquery"},
      {"POST", node + "/graph/subgraph"},
      {"POST", node + "/graph/weight"},
      {"POST", node + "/graph/merge"},
      {"POST", node + "/tiles/metadata"},
      {"POST", node + "/tiles/generate"},
  };
  const std::vector<std::pair<std::string, std::string>> bodies = {
      {"unclosed object", "{"},
      {"unclosed array", "[1, 2"},
      {"bare word", "nonsense"},
      {"missing value", R"({"a":})"},
      {"missing colon", R"({"a" 1})"},
      {"unterminated string", R"({"a":"b)"},
      {"NUL in a string", std::string("{\"alias\":\"a") + '\0' + "b\"}"},
      {"invalid UTF-8 bytes", "\xff\xfe\xfd"},
      {"100,000 nested arrays", std::string(100000, '[')},
      {"number past float64", "[1e999999]"},
  };
  Outcomes outcomes;
  std::uint64_t bytes = 0;
  RawHttpClient client(served.process.port(), "127.0.0.1", std::chrono::seconds(30));
  for (const auto& [method, target] : endpoints) {
    for (const auto& [what, body] : bodies) {
      client.send_request(method, target, body);
      const RawHttpResponse response = client.read_response();
      outcomes.add(method + " " + target + " with " + what, response.status,
                   response.body.substr(0, 200));
      bytes += body.size();
      if (response.end != ReadEnd::complete || response.header("connection") == "close")
        client.reconnect();
      measured.well_behaved_round_trip();
    }
  }
  measured.finish("invalid JSON bodies (" + std::to_string(endpoints.size()) + " endpoints x " +
                      std::to_string(bodies.size()) + " bodies)",
                  outcomes, bytes, 32 * kMiB);
}

// Sizes and offsets that are negative, past DVID's 3 GiB limit on a request's voxels
// (server.MaxDataRequest: "Requested payload (N bytes) exceeds this DVID server's set limit (M)"),
// past what 64-bit counts or 32-bit coordinates hold, or not numbers: each is refused with a 400
// before anything is allocated by it.
TEST(HostileRequests, AbsurdSizesAndOffsetsInVolumeUrls) {
  ServedRepo served({});
  RawHttpClient client(served.process.port(), "127.0.0.1", std::chrono::seconds(60));
  for (const char* instance :
       {R"({"typename":"uint8blk","dataname":"gray"})",
        R"({"typename":"labelblk","dataname":"labels"})", R"({"typename":"roi","dataname":"roi"})",
        R"({"typename":"imagetile","dataname":"tiles","source":"gray"})"})
    ASSERT_EQ(served.create_instance(instance).status, 200) << instance;
  const std::string node = "/api/node/" + served.uuid;
  const std::string limit = " exceeds this DVID server's set limit (3221225472)";
  struct Case {
    std::string method, target, body, answer;  // `answer`: a part of the 400's message
  };
  const std::vector<Case> cases = {
      {"GET", "/gray/raw/0_1_2/-5_10_10/0_0_0", "", "Illegal geometry requested"},
      {"GET", "/gray/raw/0_1_2/0_10_10/0_0_0", "", "Illegal geometry requested"},
      {"GET", "/gray/raw/0_1_2/2048_2048_1024/0_0_0", "",
       "Requested payload (4294967296 bytes)" + limit},
      {"GET", "/labels/raw/0_1_2/1024_1024_512/0_0_0", "",
       "Requested payload (4294967296 bytes)" + limit},
      {"GET", "/gray/raw/0_1_2/2097152_2097152_4194304/0_0_0", "", "has more than"},
      {"GET", "/gray/raw/0_1_2/2147483647_2147483647_2147483647/0_0_0", "", "has more than"},
      {"GET", "/gray/raw/0_1_2/-2147483648_-2147483648_-2147483648/0_0_0", "",
       "outside the 32-bit"},
      {"GET", "/gray/raw/0_1_2/1000_10_10/2147483000_0_0", "", "outside the 32-bit"},
      {"GET", "/gray/raw/0_1_2/10_10_10/0_0_-2147483648", "", ""},  // fits: 1000 zero bytes
      {"GET", "/gray/raw/0_1_2/99999999999_1_1/0_0_0", "", "value out of range"},
      {"GET", "/gray/raw/0_1_2/10_10/0_0_0", "", "Size must be 3"},
      {"GET", "/gray/raw/0_1_2/a_b_c/0_0_0", "", "invalid syntax"},
      {"GET", "/gray/raw/xy/100000_100000/0_0_0", "",
       "Requested payload (10000000000 bytes)" + limit},
      {"GET", "/labels/raw/xy/40000_40000/0_0_0", "",
       "Requested payload (12800000000 bytes)" + limit},
      {"GET", "/gray/raw/xz/1000_1000/2147483000_0_0", "", "outside the 32-bit"},
      {"GET", "/tiles/raw/xy/100000_100000/0_0_0", "",
       "Requested payload (10000000000 bytes)" + limit},
      {"GET", "/roi/mask/0_1_2/2048_2048_1024/0_0_0", "",
       "Requested payload (4294967296 bytes)" + limit},
      {"POST", "/gray/raw/0_1_2/1024_1024_1024/0_0_0", "tiny",
       "voxels data was 4 bytes, expected 1073741824 bytes"},
      {"POST", "/labels/raw/0_1_2/1024_1024_128/0_0_0?compression=lz4", "x",
       "1 LZ4 bytes cannot hold 1073741824 bytes"},
      {"POST", "/labels/raw/0_1_2/1024_1024_1024/0_0_0?compression=lz4", "x",
       "LZ4 payload too large"},
      {"GET", "/gray/subvolblocks/64_32_32/2147483616_0_0", "", "outside the 32-bit"},
      {"GET", "/labels/blocks/32_32_64/0_0_2147483616", "", "outside the 32-bit"},
  };

  MeasuredCase measured(served);
  Outcomes outcomes;
  std::uint64_t bytes = 0;
  for (const Case& c : cases) {
    const RawHttpResponse response = client.request(c.method, node + c.target, c.body);
    bytes += c.body.size();
    if (c.answer.empty()) {  // the one box that fits
      EXPECT_EQ(response.status, 200) << c.target << ": " << response.body;
      EXPECT_EQ(response.body, std::string(1000, '\0')) << c.target;
      continue;
    }
    outcomes.add(c.method + " " + c.target, response.status, response.body.substr(0, 200));
    measured.well_behaved_round_trip();
    EXPECT_EQ(response.status, 400) << c.target;
    EXPECT_NE(response.body.find(c.answer), std::string::npos)
        << c.target << ": " << response.body << " does not say " << c.answer;
  }
  // Not one of them made the server allocate by the size it named (each names a GiB or more).
  measured.finish("absurd sizes and offsets in volume URLs", outcomes, bytes, 64 * kMiB);
}

}  // namespace
}  // namespace dvidxfer::testing::hostile
