#include "dvidxfer/engine/http_transport.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace dvidxfer::engine {

namespace asio = boost::asio;

PooledTransport::PooledTransport(asio::any_io_executor executor, Endpoint endpoint,
                                 PoolSettings settings, std::shared_ptr<asio::ssl::context> tls,
                                 const std::string& bearer_token)
    : host_header_(endpoint.host_header()),
      authorization_(bearer_token.empty() ? std::string() : "Bearer " + bearer_token) {
  pool_ =
      ConnectionPool::create(std::move(executor), std::move(endpoint), settings, std::move(tls));
}

PooledTransport::~PooledTransport() {
  pool_->close_idle();
}

asio::awaitable<AttemptResult> PooledTransport::attempt(const Request& request,
                                                        AttemptContext context) {
  // The lease gives the connection back as this coroutine ends, before the caller's backoff.
  auto lease = co_await pool_->acquire(context.deadlines, context.fresh_connection);
  if (!lease) co_return AttemptResult{fail(std::move(lease).error()), false};
  auto exchanged = co_await lease->connection().exchange(request, host_header_, authorization_,
                                                         context.deadlines, context.direct_body);
  co_return AttemptResult{std::move(exchanged), lease->reused()};
}

std::uint64_t PooledTransport::connections_opened() const noexcept {
  return pool_->connections_opened();
}

void PooledTransport::close_idle() {
  pool_->close_idle();
}

void PooledTransport::shut_down() {
  pool_->shut_down();
}

ScriptedTransport::ScriptedTransport(Script script) : script_(std::move(script)) {}

asio::awaitable<AttemptResult> ScriptedTransport::attempt(const Request& request,
                                                          AttemptContext context) {
  {
    const std::lock_guard lock(mutex_);
    requests_.push_back(request);
  }
  AttemptResult scripted = script_(request, context);
  auto& result = scripted.result;
  if (result && result->status == 200 && !context.direct_body.empty()) {
    if (result->body.size() != context.direct_body.size()) {
      TransferError error;
      error.kind = ErrorKind::protocol;
      error.message = fmt::format("the server sent {} body bytes where {} were expected",
                                  result->body.size(), context.direct_body.size());
      error.response_started = true;
      co_return AttemptResult{fail(std::move(error)), scripted.reused};
    }
    std::memcpy(context.direct_body.data(), result->body.data(), result->body.size());
    result->direct_bytes = result->body.size();
    result->body.clear();
  }
  co_return scripted;
}

std::vector<Request> ScriptedTransport::requests() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

AttemptResult ScriptedTransport::answer(unsigned status, std::string body, Headers headers) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return AttemptResult{std::move(response), false};
}

AttemptResult ScriptedTransport::failure(ErrorKind kind, bool reused, bool response_started) {
  TransferError error;
  error.kind = kind;
  error.message = fmt::format("scripted {}", to_string(kind));
  error.response_started = response_started;
  return AttemptResult{fail(std::move(error)), reused};
}

}  // namespace dvidxfer::engine
