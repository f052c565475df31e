// HttpTransport: the seam under HttpClient. HttpClient decides (admission, retries, backoff,
// deadlines); a transport carries out one attempt. PooledTransport sends over a ConnectionPool;
// ScriptedTransport answers from a test's script, so what sits above HttpClient (the API's URL
// building, its decoding of answers, the retry loop itself) is unit-tested without sockets.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "dvidxfer/engine/connection.hpp"
#include "dvidxfer/engine/connection_pool.hpp"
#include "dvidxfer/engine/http_message.hpp"
#include "dvidxfer/engine/transfer_error.hpp"

namespace dvidxfer::engine {

// What one attempt may use.
struct AttemptContext {
  ExchangeDeadlines deadlines;
  std::span<char> direct_body;    // see HttpClient::send
  bool fresh_connection = false;  // send on a newly opened connection, not an idle one
};

struct AttemptResult {
  TransferResult<Response> result;
  bool reused = false;  // written on a connection that had served earlier requests
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;

  // Sends `request` once and reads the answer, whatever its status; no retries. Errors leave
  // method and URL empty. `request` must outlive the coroutine. Thread-safe. Cancellation and the
  // executor it resumes on: see each implementation.
  virtual boost::asio::awaitable<AttemptResult> attempt(const Request& request,
                                                        AttemptContext context) = 0;

  virtual std::uint64_t connections_opened() const noexcept = 0;
  // Closes idle keep-alive connections.
  virtual void close_idle() = 0;
  // close_idle(), and close, not keep, every connection handed back from now on.
  virtual void shut_down() = 0;
};

// Over a ConnectionPool: Host, User-Agent and (with a token) "Authorization: Bearer" are added to
// each request. attempt() honours per-operation cancellation (ErrorKind::cancelled, the
// connection closed) and resumes on the caller's executor.
class PooledTransport final : public HttpTransport {
 public:
  // `tls`: required for an https endpoint, ignored otherwise. `bearer_token` may be empty.
  PooledTransport(boost::asio::any_io_executor executor, Endpoint endpoint, PoolSettings settings,
                  std::shared_ptr<boost::asio::ssl::context> tls, const std::string& bearer_token);
  ~PooledTransport() override;

  boost::asio::awaitable<AttemptResult> attempt(const Request& request,
                                                AttemptContext context) override;
  std::uint64_t connections_opened() const noexcept override;
  void close_idle() override;
  void shut_down() override;

  ConnectionPool& pool() noexcept { return *pool_; }

 private:
  std::shared_ptr<ConnectionPool> pool_;
  std::string host_header_;
  std::string authorization_;  // "Bearer <token>" or ""
};

// Answers each attempt with what `script` returns, and records the requests. A 200 answer for an
// attempt with a direct body is copied into it as a Connection would (a body of another size is
// a protocol error). attempt() completes without suspending, on the caller's executor, and never
// sees cancellation. Thread-safe when the script is.
class ScriptedTransport final : public HttpTransport {
 public:
  using Script = std::function<AttemptResult(const Request&, const AttemptContext&)>;
  explicit ScriptedTransport(Script script);

  boost::asio::awaitable<AttemptResult> attempt(const Request& request,
                                                AttemptContext context) override;
  std::uint64_t connections_opened() const noexcept override { return 0; }
  void close_idle() override {}
  void shut_down() override {}

  // Every attempt's request so far, in order.
  std::vector<Request> requests() const;

  // Script helpers: an answer, and a transport error.
  static AttemptResult answer(unsigned status, std::string body = {}, Headers headers = {});
  static AttemptResult failure(ErrorKind kind, bool reused = false, bool response_started = false);

 private:
  Script script_;
  mutable std::mutex mutex_;
  std::vector<Request> requests_;
};

}  // namespace dvidxfer::engine
