// Connection: one keep-alive HTTP/1.1 connection to a DVID server (a Beast tcp_stream) with
// deadlines on every step: connect, each read or write (inactivity), and the whole call (total).
// A connection whose exchange failed, timed out or was cancelled is never reused.
// Not thread-safe: one exchange at a time, which the pool guarantees.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>
#include <cstddef>
#include <span>

#include "dvidxfer/engine/endpoint.hpp"
#include "dvidxfer/engine/http_message.hpp"
#include "dvidxfer/engine/transfer_error.hpp"

namespace dvidxfer::engine {

struct ExchangeDeadlines {
  std::chrono::steady_clock::time_point total;  // the end of the whole call, retries included
  std::chrono::milliseconds connect{5000};      // resolve + TCP connect
  std::chrono::milliseconds inactivity{30000};  // longest wait for any single read or write
  std::size_t max_response_bytes = std::size_t(8) << 30;  // larger bodies are a protocol error
};

class Connection {
 public:
  explicit Connection(boost::asio::any_io_executor executor);

  // Resolves and connects; on failure the error kind is connect or timeout.
  boost::asio::awaitable<TransferResult<Unit>> connect(const Endpoint& endpoint,
                                                       ExchangeDeadlines deadlines);

  // Writes `request` (Host = `host_header`; Authorization = `authorization` when not empty) and
  // reads the whole response. When `direct_body` is
  // not empty and the answer is 200, the body is read straight into it and must fill it exactly
  // (Response::direct_bytes tells); other answers land in Response::body. Method and URL in a
  // returned error are left empty for the caller to fill in.
  boost::asio::awaitable<TransferResult<Response>> exchange(const Request& request,
                                                            const std::string& host_header,
                                                            const std::string& authorization,
                                                            ExchangeDeadlines deadlines,
                                                            std::span<char> direct_body = {});

  // Open, idle and not closed by the peer (checked without blocking): safe to send on.
  bool usable_for_reuse();
  bool reusable() const noexcept { return reusable_; }
  void close() noexcept;

 private:
  template <class Parser>
  boost::asio::awaitable<TransferResult<Unit>> read_body(Parser& parser,
                                                         ExchangeDeadlines deadlines);
  std::chrono::steady_clock::duration step_budget(const ExchangeDeadlines& deadlines,
                                                  std::chrono::milliseconds step) const;

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  bool reusable_ = false;
};

}  // namespace dvidxfer::engine
