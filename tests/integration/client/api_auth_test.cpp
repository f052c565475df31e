// Bearer tokens end to end over real sockets: the client sends "Authorization: Bearer <token>"
// (from ClientOptions, else DVID_TOKEN) on every request, the embedded server refuses requests
// without it with DVID's 401, refusals are never retried, and the token never shows in errors or
// logs.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "capture_server.hpp"
#include "dvidxfer/common/log.hpp"
#include "dvidxfer/errors.hpp"
#include "dvidxfer/node_service.hpp"
#include "dvidxfer/server/embedded_server.hpp"
#include "dvidxfer/server_service.hpp"

using namespace dvidxfer;

namespace {

constexpr const char* kToken = "tok-9f3a7c51e2";

ClientOptions with_token(std::string token) {
  ClientOptions options;
  options.auth_token = std::move(token);
  options.max_attempts = 5;
  options.initial_backoff = std::chrono::milliseconds(1);
  options.max_backoff = std::chrono::milliseconds(5);
  return options;
}

// DVID_TOKEN set for one test and restored after it.
class EnvironmentToken {
 public:
  explicit EnvironmentToken(const char* value) {
    if (const char* old = std::getenv("DVID_TOKEN")) saved_ = old;
    if (value)
      ::setenv("DVID_TOKEN", value, 1);
    else
      ::unsetenv("DVID_TOKEN");
  }
  ~EnvironmentToken() {
    if (saved_)
      ::setenv("DVID_TOKEN", saved_->c_str(), 1);
    else
      ::unsetenv("DVID_TOKEN");
  }

 private:
  std::optional<std::string> saved_;
};

// The client's log at debug level, captured from stderr while `work` runs.
template <class Work>
std::string logged_while(Work work) {
  const auto previous = log::level();
  log::set_level(log::Level::debug);
  ::testing::internal::CaptureStderr();
  work();
  log::set_level(previous);
  return ::testing::internal::GetCapturedStderr();
}

}  // namespace

TEST(BearerAuth, EveryRequestCarriesTheToken) {
  EnvironmentToken no_environment(nullptr);
  dvidxfer::testing::CaptureServer capture(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n"
      "{\"Locked\":true}");
  NodeService node(capture.url(), "abc123", "u", "a", "", 0, with_token(kToken));
  node.put("kv", "key", "value");
  const auto requests = capture.requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const auto& request : requests)
    EXPECT_NE(request.find(std::string("\r\nAuthorization: Bearer ") + kToken + "\r\n"),
              std::string::npos)
        << request.substr(0, 300);
}

TEST(BearerAuth, NoTokenNoHeader) {
  EnvironmentToken no_environment(nullptr);
  dvidxfer::testing::CaptureServer capture(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n"
      "{\"Locked\":true}");
  NodeService node(capture.url(), "abc123");
  ASSERT_EQ(capture.requests().size(), 1u);
  EXPECT_EQ(capture.requests()[0].find("Authorization"), std::string::npos);
}

TEST(BearerAuth, KeyvalueAndVolumesWorkWithTheRightToken) {
  EnvironmentToken no_environment(nullptr);
  server::EmbeddedServer server({.auth_token = kToken});
  const auto options = with_token(kToken);
  const auto uuid = ServerService(server.url(), "u", "a", options).create_new_repo("r", "d");
  NodeService node(server.url(), uuid, "u", "a", "", 0, options);
  ASSERT_TRUE(node.create_keyvalue("kv"));
  node.put("kv", "k", "secret value");
  EXPECT_EQ(node.get("kv", "k"), "secret value");

  ASSERT_TRUE(node.create_labelblk("labels"));
  Volume<std::uint64_t> written({64, 64, 96});
  for (std::size_t i = 0; i < written.size(); ++i)
    written.data()[i] = 1 + (i * 2654435761u) % 1000003;
  TransferOptions small_chunks;
  small_chunks.chunk_bytes = 64 * 1024;
  node.put_labels3D("labels", written, {32, 0, -64}, false, true, "", false, small_chunks);
  const auto read =
      node.get_labels3D("labels", {64, 64, 96}, {32, 0, -64}, false, true, "", small_chunks);
  ASSERT_EQ(read.size(), written.size());
  EXPECT_EQ(std::memcmp(read.data(), written.data(), written.size() * sizeof(std::uint64_t)), 0);
}

TEST(BearerAuth, AMissingTokenIsAClear401) {
  EnvironmentToken no_environment(nullptr);
  server::EmbeddedServer server({.auth_token = kToken});
  try {
    ServerService service(server.url(), "u", "a", with_token(""));
    FAIL() << "a request without a token was served";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 401u);
    EXPECT_EQ(e.url(), server.url() + "/api/server/info?u=u&app=a");
    EXPECT_NE(e.body_excerpt().find("dsg token required via Authorization header"),
              std::string::npos)
        << e.body_excerpt();
    EXPECT_EQ(std::string(e.what()).find("attempts"), std::string::npos) << "not retried";
  }
}

TEST(BearerAuth, AWrongTokenNeverAppearsInErrorsOrLogs) {
  EnvironmentToken no_environment(nullptr);
  server::EmbeddedServer server({.auth_token = "the-right-one"});
  std::string message, excerpt, url;
  const auto log = logged_while([&] {
    try {
      ServerService service(server.url(), "u", "a", with_token(kToken));
    } catch (const HttpError& e) {
      message = e.what();
      excerpt = e.body_excerpt();
      url = e.url();
      EXPECT_EQ(e.status(), 401u);
    }
  });
  EXPECT_NE(message.find("HTTP 401"), std::string::npos) << message;
  EXPECT_NE(message.find("invalid DSG token (/api/server/info)."), std::string::npos) << message;
  for (const auto& text : {message, excerpt, url, log})
    EXPECT_EQ(text.find(kToken), std::string::npos) << text;
}

TEST(BearerAuth, TransportFailuresDoNotShowTheTokenEither) {
  EnvironmentToken no_environment(nullptr);
  // A port nobody listens on (bound, read, closed): connecting is retried, then reported.
  std::uint16_t closed_port = 0;
  {
    dvidxfer::testing::CaptureServer probe("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    closed_port = probe.port();
  }
  std::string message;
  const auto log = logged_while([&] {
    try {
      NodeService node("127.0.0.1:" + std::to_string(closed_port), "abc123", "u", "a", "", 0,
                       with_token(kToken));
    } catch (const TransportError& e) {
      message = e.what();
    }
  });
  EXPECT_NE(message.find("attempts"), std::string::npos) << message;
  EXPECT_NE(log.find("retrying"), std::string::npos) << "the debug log was captured";
  EXPECT_EQ(message.find(kToken), std::string::npos) << message;
  EXPECT_EQ(log.find(kToken), std::string::npos) << log;
}

TEST(BearerAuth, RefusalsAndRateLimitsAreNeverRetried) {
  EnvironmentToken no_environment(nullptr);
  for (const char* status : {"401 Unauthorized", "403 Forbidden", "429 Too Many Requests"}) {
    dvidxfer::testing::CaptureServer refusing(std::string("HTTP/1.1 ") + status +
                                              "\r\nContent-Length: 7\r\n\r\nrefused");
    try {
      NodeService node(refusing.url(), "abc123", "u", "a", "", 0, with_token(kToken));
      FAIL() << status << " was accepted";
    } catch (const HttpError& e) {
      EXPECT_EQ(std::to_string(e.status()), std::string(status).substr(0, 3));
      EXPECT_EQ(e.body_excerpt(), "refused");
      EXPECT_EQ(std::string(e.what()).find(kToken), std::string::npos);
    }
    EXPECT_EQ(refusing.requests().size(), 1u) << status << " was retried";
  }
}

TEST(BearerAuth, DvidTokenFromTheEnvironmentWhenTheOptionsNameNone) {
  server::EmbeddedServer server({.auth_token = kToken});
  {
    EnvironmentToken environment(kToken);
    EXPECT_NO_THROW(ServerService(server.url()).create_new_repo("r", "d"));
  }
  {
    // The options win over the environment.
    EnvironmentToken environment("stale-token");
    EXPECT_NO_THROW(
        ServerService(server.url(), "u", "a", with_token(kToken)).create_new_repo("r", "d"));
    EXPECT_THROW(ServerService(server.url()).create_new_repo("r", "d"), HttpError);
  }
}

TEST(BearerAuth, ATokenThatCouldSplitHeadersIsRefusedWithoutShowingIt) {
  EnvironmentToken no_environment(nullptr);
  try {
    ServerService service("127.0.0.1:1", "u", "a", with_token("abc\r\nX-Evil: 1"));
    FAIL() << "a token with CR LF was accepted";
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("auth_token"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("X-Evil"), std::string::npos) << e.what();
  }
}
