// Connection: one keep-alive HTTP/1.1 connection to a DVID server, over plain TCP or TLS, with
// deadlines on every step: connect (the TLS handshake included), each read or write (inactivity),
// and the whole call (total).
// A connection whose exchange failed, timed out or was cancelled is never reused.
// Not thread-safe: one exchange at a time, which the pool guarantees. Connect and exchange run on
// the connection's own strand whatever executor awaits them.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <chrono>
#include <cstddef>
#include <span>

#include "dvidxfer/engine/endpoint.hpp"
#include "dvidxfer/engine/http_message.hpp"
#include "dvidxfer/engine/transfer_error.hpp"
#include "dvidxfer/net/maybe_tls_stream.hpp"

namespace dvidxfer::engine {

struct ExchangeDeadlines {
  std::chrono::steady_clock::time_point total;  // the end of the whole call, retries included
  std::chrono::milliseconds connect{5000};      // resolve + TCP connect + TLS handshake
  std::chrono::milliseconds inactivity{30000};  // longest wait for any single read or write
  std::size_t max_response_bytes = std::size_t(8) << 30;  // larger bodies are a protocol error
};

class Connection {
 public:
  // Plain TCP without `tls`, TLS with its settings otherwise (`tls` must outlive the connection).
  Connection(boost::asio::any_io_executor executor, boost::asio::ssl::context* tls);

  // Resolves and connects, then for TLS does the handshake: SNI, the certificate verified and its
  // name matched against the endpoint's host. Errors: connect (nothing sent, worth retrying) or
  // tls (verification or handshake refused: retrying will not help). Honours per-operation
  // cancellation (forwarded to the strand; ErrorKind::cancelled); resumes on the caller's executor.
  boost::asio::awaitable<TransferResult<Unit>> connect(const Endpoint& endpoint,
                                                       ExchangeDeadlines deadlines);

  // Writes `request` (Host = `host_header`; Authorization = `authorization` when not empty) and
  // reads the whole response. When `direct_body` is
  // not empty and the answer is 200, the body is read straight into it and must fill it exactly
  // (Response::direct_bytes tells); other answers land in Response::body. Method and URL in a
  // returned error are left empty for the caller to fill in. Honours per-operation cancellation
  // (forwarded to the strand; ErrorKind::cancelled, the connection not reused); resumes on the
  // caller's executor.
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
  boost::asio::awaitable<TransferResult<Unit>> connect_on_strand(const Endpoint& endpoint,
                                                                 ExchangeDeadlines deadlines);
  boost::asio::awaitable<TransferResult<Response>> exchange_on_strand(
      const Request& request, const std::string& host_header, const std::string& authorization,
      ExchangeDeadlines deadlines, std::span<char> direct_body);
  template <class Parser>
  boost::asio::awaitable<TransferResult<Unit>> read_body(Parser& parser,
                                                         ExchangeDeadlines deadlines);
  std::chrono::steady_clock::duration step_budget(const ExchangeDeadlines& deadlines,
                                                  std::chrono::milliseconds step) const;

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  net::MaybeTlsStream stream_;
  boost::beast::flat_buffer buffer_;
  bool reusable_ = false;
};

}  // namespace dvidxfer::engine
