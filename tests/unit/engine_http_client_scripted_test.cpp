// HttpClient over a ScriptedTransport: the retry loop, the stale replay, the deadline and the
// direct body, without sockets.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>

#include "dvidxfer/engine/http_client.hpp"

namespace asio = boost::asio;
using namespace dvidxfer::engine;
using namespace std::chrono_literals;

namespace {

struct Outcome {
  unsigned status = 0;
  int attempts = 0;
  std::string body;
  std::size_t direct_bytes = 0;
  std::optional<TransferError> error;
};

asio::awaitable<Outcome> send_copy(HttpClient* client, Request request, std::span<char> into) {
  auto result = co_await client->send(request, into);
  if (!result) co_return Outcome{0, result.error().attempts, {}, 0, std::move(result).error()};
  co_return Outcome{result->status, result->attempts, result->body, result->direct_bytes, {}};
}

// Runs one send() to completion on a private io_context.
Outcome run(HttpClient& client, Request request, asio::io_context& context,
            std::span<char> into = {}) {
  auto future =
      asio::co_spawn(context, send_copy(&client, std::move(request), into), asio::use_future);
  context.restart();
  context.run();
  return future.get();
}

HttpClientOptions quick(int max_attempts = 5) {
  HttpClientOptions options;
  options.retry = {max_attempts, 1ms, 2ms};
  options.request_timeout = 10s;
  return options;
}

Request get(std::string target = "/api/node/abc/kv/key/k") {
  Request request;
  request.target = std::move(target);
  return request;
}

const Endpoint kEndpoint = parse_endpoint("dvid.example:8000").value();

// Answers attempt i (from 0) with steps[i].
std::shared_ptr<ScriptedTransport> scripted(std::vector<AttemptResult> steps,
                                            std::vector<AttemptContext>* contexts = nullptr) {
  auto shared = std::make_shared<std::vector<AttemptResult>>(std::move(steps));
  auto next = std::make_shared<std::size_t>(0);
  return std::make_shared<ScriptedTransport>(
      [shared, next, contexts](const Request&, const AttemptContext& context) {
        if (contexts) contexts->push_back(context);
        return std::move(shared->at((*next)++));
      });
}

}  // namespace

TEST(HttpClientScripted, TransientAnswersAreRetriedUntilSuccess) {
  asio::io_context context;
  auto transport = scripted({ScriptedTransport::answer(503), ScriptedTransport::answer(503),
                             ScriptedTransport::answer(200, "value")});
  HttpClient client(context.get_executor(), kEndpoint, quick(), transport);
  std::vector<unsigned> told;
  auto request = get();
  request.on_retry = [&told](unsigned status) { told.push_back(status); };
  const auto outcome = run(client, request, context);
  ASSERT_FALSE(outcome.error) << outcome.error->describe();
  EXPECT_EQ(outcome.status, 200u);
  EXPECT_EQ(outcome.body, "value");
  EXPECT_EQ(outcome.attempts, 3);
  EXPECT_EQ(told, (std::vector<unsigned>{503, 503}));
  EXPECT_EQ(client.stats().attempts, 3u);
  EXPECT_EQ(client.stats().retries, 2u);
  ASSERT_EQ(transport->requests().size(), 3u);
  EXPECT_EQ(transport->requests()[2].target, "/api/node/abc/kv/key/k");
}

TEST(HttpClientScripted, AStaleConnectionIsReplayedAtOnceOnAFreshOne) {
  asio::io_context context;
  std::vector<AttemptContext> contexts;
  auto transport = scripted({ScriptedTransport::failure(ErrorKind::connection, true),
                             ScriptedTransport::answer(200, "value")},
                            &contexts);
  auto options = quick(1);
  options.retry = {1, 1h, 1h};  // an ordinary retry would wait, and is not allowed anyway
  HttpClient client(context.get_executor(), kEndpoint, options, transport);
  const auto started = std::chrono::steady_clock::now();
  const auto outcome = run(client, get(), context);
  ASSERT_FALSE(outcome.error) << outcome.error->describe();
  EXPECT_EQ(outcome.attempts, 2);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  ASSERT_EQ(contexts.size(), 2u);
  EXPECT_FALSE(contexts[0].fresh_connection);
  EXPECT_TRUE(contexts[1].fresh_connection);
}

TEST(HttpClientScripted, AStaleConnectionFailsANonIdempotentRequest) {
  asio::io_context context;
  auto transport = scripted({ScriptedTransport::failure(ErrorKind::connection, true)});
  HttpClient client(context.get_executor(), kEndpoint, quick(), transport);
  auto request = get("/api/repos");
  request.method = "POST";
  request.body = "{}";
  request.idempotent = false;
  const auto outcome = run(client, request, context);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, ErrorKind::connection);
  EXPECT_EQ(outcome.error->attempts, 1);
  EXPECT_EQ(outcome.error->method, "POST");
  EXPECT_EQ(outcome.error->url, "http://dvid.example:8000/api/repos");
  EXPECT_EQ(client.stats().failures, 1u);
}

TEST(HttpClientScripted, ARetryThatWouldOutliveTheDeadlineIsNotTried) {
  asio::io_context context;
  auto transport = scripted({ScriptedTransport::failure(ErrorKind::connect)});
  auto options = quick();
  options.retry = {5, 1h, 1h};
  options.request_timeout = 1s;
  HttpClient client(context.get_executor(), kEndpoint, options, transport);
  const auto outcome = run(client, get(), context);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, ErrorKind::connect);
  EXPECT_NE(outcome.error->message.find("gave up: the 1000 ms request deadline"), std::string::npos)
      << outcome.error->message;
}

TEST(HttpClientScripted, ARetryableStatusIsHandedBackWhenAttemptsRunOut) {
  asio::io_context context;
  auto transport = scripted(
      {ScriptedTransport::answer(503, "busy"), ScriptedTransport::answer(503, "still busy")});
  HttpClient client(context.get_executor(), kEndpoint, quick(2), transport);
  const auto outcome = run(client, get(), context);
  ASSERT_FALSE(outcome.error);
  EXPECT_EQ(outcome.status, 503u);
  EXPECT_EQ(outcome.body, "still busy");
  EXPECT_EQ(outcome.attempts, 2);
}

TEST(HttpClientScripted, ADirectBodyIsFilledFromTheScript) {
  asio::io_context context;
  auto transport = scripted({ScriptedTransport::answer(200, "abcd")});
  HttpClient client(context.get_executor(), kEndpoint, quick(), transport);
  std::string into(4, '\0');
  const auto outcome = run(client, get(), context, into);
  ASSERT_FALSE(outcome.error) << outcome.error->describe();
  EXPECT_EQ(outcome.direct_bytes, 4u);
  EXPECT_EQ(outcome.body, "");
  EXPECT_EQ(into, "abcd");
}
