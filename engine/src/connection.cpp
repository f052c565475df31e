#include "dvidxfer/engine/connection.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/beast/http/write.hpp>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <optional>

#include "presized_string_body.hpp"

namespace dvidxfer::engine {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kMaxResponseHeaderBytes = 64 * 1024;
constexpr const char* kUserAgent = "dvidxfer/0.1";

TransferError make_error(ErrorKind kind, std::string message, bool response_started = false) {
  TransferError error;
  error.kind = kind;
  error.message = std::move(message);
  error.response_started = response_started;
  return error;
}

// Maps what Asio/Beast reported during a read or write to the engine's error kinds. A step whose
// deadline has passed is a timeout even when the stream reports the cancellation it caused.
TransferError classify_io_error(const error_code& ec, std::string_view during, bool started,
                                Clock::time_point step_deadline) {
  if (ec == beast::error::timeout ||
      (ec == asio::error::operation_aborted && Clock::now() >= step_deadline))
    return make_error(ErrorKind::timeout,
                      fmt::format("no progress while {} (deadline expired)", during), started);
  if (ec == asio::error::operation_aborted)
    return make_error(ErrorKind::cancelled, fmt::format("cancelled while {}", during), started);
  if (ec == http::error::body_limit)
    return make_error(ErrorKind::protocol, "response body exceeds the size this request allows",
                      started);
  if (ec == http::error::header_limit)
    return make_error(ErrorKind::protocol, "response header exceeds 64 KiB", started);
  // A TLS peer that closes without close_notify truncates the stream: a close like any other.
  if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
      ec == asio::error::eof || ec == asio::ssl::error::stream_truncated ||
      ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
      ec == asio::error::connection_aborted)
    return make_error(
        ErrorKind::connection,
        fmt::format("connection closed by the server while {} ({})", during, ec.message()),
        started);
  if (ec.category() == http::make_error_code(http::error::bad_version).category())
    return make_error(ErrorKind::protocol, fmt::format("malformed HTTP response: {}", ec.message()),
                      started);
  return make_error(ErrorKind::connection, fmt::format("{} failed: {}", during, ec.message()),
                    started);
}

// Asks OpenSSL to check the certificate against `host` (a name, or an IP address against the
// certificate's IP entries) and, for names, to send it as SNI. False when OpenSSL refuses.
bool expect_host(SSL* ssl, const std::string& host) {
  error_code not_an_address;
  asio::ip::make_address(host, not_an_address);
  X509_VERIFY_PARAM* parameters = SSL_get0_param(ssl);
  X509_VERIFY_PARAM_set_hostflags(parameters, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  if (!not_an_address) return X509_VERIFY_PARAM_set1_ip_asc(parameters, host.c_str()) == 1;
  return SSL_set1_host(ssl, host.c_str()) == 1 && SSL_set_tlsext_host_name(ssl, host.c_str()) == 1;
}

// A failed handshake: the certificate's verdict when it was refused, else what TLS said, with a
// hint for the usual mistake (a TLS client talking to a plain HTTP server).
TransferError tls_handshake_error(const error_code& ec, SSL* ssl, const Endpoint& endpoint) {
  const long verdict = SSL_get_verify_result(ssl);
  if (verdict != X509_V_OK) {
    const bool untrusted = verdict == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
                           verdict == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
                           verdict == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
                           verdict == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT;
    return make_error(
        ErrorKind::tls,
        fmt::format("TLS certificate verification failed for host '{}' ({}): {}{}", endpoint.host,
                    endpoint.origin(), X509_verify_cert_error_string(verdict),
                    untrusted ? " (to trust a private CA, give its certificate as "
                                "ClientOptions::tls_ca_file)"
                              : ""));
  }
  std::string reason = ec.message();
  if (reason.find("wrong version number") != std::string::npos ||
      reason.find("packet length too long") != std::string::npos)
    reason += " (the server does not seem to speak TLS; for plain HTTP use an http:// address)";
  return make_error(ErrorKind::tls,
                    fmt::format("TLS handshake with {} failed: {}", endpoint.origin(), reason));
}

// co_spawn needs a default-constructible result, which a TransferResult is not.
template <class T>
asio::awaitable<std::optional<T>> as_optional(asio::awaitable<T> work) {
  co_return co_await std::move(work);
}

bool method_has_body(std::string_view method, std::size_t body_size) {
  return body_size > 0 || method == "POST" || method == "PUT";
}

}  // namespace

// Beast sizes each read by the buffer's free capacity (at least 512 bytes): a large reserve turns
// a gigabyte body into thousands of reads instead of millions.
constexpr std::size_t kReadBufferBytes = 256 * 1024;

Connection::Connection(asio::any_io_executor executor, asio::ssl::context* tls)
    : strand_(asio::make_strand(std::move(executor))),
      stream_(tls ? net::MaybeTlsStream(beast::tcp_stream(strand_), *tls)
                  : net::MaybeTlsStream(beast::tcp_stream(strand_))) {
  buffer_.reserve(kReadBufferBytes);
}

// The stream's timeout handlers run on strand_; so must every operation on the stream, or a
// timeout firing as a read completes closes the socket from another I/O thread meanwhile.
asio::awaitable<TransferResult<Unit>> Connection::connect(const Endpoint& endpoint,
                                                          ExchangeDeadlines deadlines) {
  auto connected = co_await asio::co_spawn(
      strand_, as_optional(connect_on_strand(endpoint, deadlines)), asio::use_awaitable);
  co_return std::move(*connected);
}

asio::awaitable<TransferResult<Response>> Connection::exchange(const Request& request,
                                                               const std::string& host_header,
                                                               const std::string& authorization,
                                                               ExchangeDeadlines deadlines,
                                                               std::span<char> direct_body) {
  auto exchanged = co_await asio::co_spawn(
      strand_,
      as_optional(exchange_on_strand(request, host_header, authorization, deadlines, direct_body)),
      asio::use_awaitable);
  co_return std::move(*exchanged);
}

Clock::duration Connection::step_budget(const ExchangeDeadlines& deadlines,
                                        std::chrono::milliseconds step) const {
  const auto remaining = deadlines.total - Clock::now();
  return std::max<Clock::duration>(Clock::duration::zero(),
                                   std::min<Clock::duration>(remaining, step));
}

asio::awaitable<TransferResult<Unit>> Connection::connect_on_strand(const Endpoint& endpoint,
                                                                    ExchangeDeadlines deadlines) {
  reusable_ = false;
  error_code ec;
  asio::ip::tcp::resolver resolver(stream_.get_executor());
  auto& tcp = stream_.tcp();
  const auto port = std::to_string(endpoint.port);
  auto results = co_await resolver.async_resolve(endpoint.host, port,
                                                 asio::redirect_error(asio::use_awaitable, ec));
  // Cancelled, not failed: a connect error would be retried.
  if (ec == asio::error::operation_aborted)
    co_return fail(make_error(ErrorKind::cancelled, "cancelled while resolving the host"));
  if (ec)
    co_return fail(make_error(ErrorKind::connect, fmt::format("cannot resolve host '{}': {}",
                                                              endpoint.host, ec.message())));
  const auto connect_deadline = Clock::now() + step_budget(deadlines, deadlines.connect);
  tcp.expires_at(connect_deadline);
  co_await tcp.async_connect(results, asio::redirect_error(asio::use_awaitable, ec));
  if (ec == asio::error::operation_aborted)
    co_return fail(make_error(ErrorKind::cancelled, "cancelled while connecting"));
  if (ec == beast::error::timeout)
    co_return fail(
        make_error(ErrorKind::connect, fmt::format("cannot connect to {} within {} ms",
                                                   endpoint.origin(), deadlines.connect.count())));
  if (ec)
    co_return fail(make_error(ErrorKind::connect, fmt::format("cannot connect to {}: {}",
                                                              endpoint.origin(), ec.message())));
  tcp.socket().set_option(asio::ip::tcp::no_delay(true), ec);
  buffer_.clear();
  if (auto* tls = stream_.tls()) {
    if (!expect_host(tls->native_handle(), endpoint.host))
      co_return fail(make_error(ErrorKind::tls,
                                fmt::format("cannot set up TLS for host '{}'", endpoint.host)));
    co_await tls->async_handshake(asio::ssl::stream_base::client,
                                  asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted)
      co_return fail(make_error(ErrorKind::cancelled, "cancelled during the TLS handshake"));
    if (ec == beast::error::timeout)
      co_return fail(make_error(ErrorKind::connect,
                                fmt::format("no TLS handshake with {} within {} ms",
                                            endpoint.origin(), deadlines.connect.count())));
    // A peer that hangs up or resets mid-handshake is a connect failure (nothing was sent).
    if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated ||
        ec == asio::error::connection_reset)
      co_return fail(make_error(
          ErrorKind::connect, fmt::format("{} closed the connection during the TLS handshake ({})",
                                          endpoint.origin(), ec.message())));
    if (ec) co_return fail(tls_handshake_error(ec, tls->native_handle(), endpoint));
  }
  tcp.expires_never();
  co_return Unit{};
}

asio::awaitable<TransferResult<Response>> Connection::exchange_on_strand(
    const Request& request, const std::string& host_header, const std::string& authorization,
    ExchangeDeadlines deadlines, std::span<char> direct_body) {
  reusable_ = false;
  error_code ec;
  Clock::time_point step_deadline;
  const auto start_step = [&] {
    const auto budget = step_budget(deadlines, deadlines.inactivity);
    step_deadline = Clock::now() + budget;
    stream_.tcp().expires_after(budget);
  };

  // The body is sent from the caller's string in place: no copy of large uploads.
  http::request<http::span_body<const char>> message;
  message.method_string(request.method);
  message.target(request.target);
  message.version(11);
  message.set(http::field::host, host_header);
  message.set(http::field::user_agent, kUserAgent);
  for (const auto& [name, value] : request.headers) message.set(name, value);
  if (!authorization.empty()) message.set(http::field::authorization, authorization);
  const auto payload = request.payload();
  message.body() = {payload.data(), payload.size()};
  if (method_has_body(request.method, payload.size())) message.content_length(payload.size());
  message.keep_alive(true);

  http::request_serializer<http::span_body<const char>> serializer(message);
  while (!serializer.is_done()) {
    start_step();
    co_await http::async_write_some(stream_, serializer,
                                    asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return fail(classify_io_error(ec, "sending the request", false, step_deadline));
  }

  http::response_parser<http::empty_body> head;
  head.header_limit(kMaxResponseHeaderBytes);
  // Beast checks Content-Length against the body limit when the header completes; the real limit
  // depends on where the body goes, so it is set on the body parser below.
  head.body_limit(deadlines.max_response_bytes);
  if (request.method == "HEAD") head.skip(true);
  start_step();
  co_await http::async_read_header(stream_, buffer_, head,
                                   asio::redirect_error(asio::use_awaitable, ec));
  if (ec)
    co_return fail(
        classify_io_error(ec, "waiting for the response", head.got_some(), step_deadline));

  Response response;
  response.status = head.get().result_int();
  for (const auto& field : head.get())
    response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));

  const bool into_caller_buffer = !direct_body.empty() && response.status == 200 && !head.is_done();
  if (into_caller_buffer) {
    if (const auto length = head.content_length(); length && *length != direct_body.size())
      co_return fail(
          make_error(ErrorKind::protocol,
                     fmt::format("the server announced {} body bytes where {} were expected",
                                 *length, direct_body.size()),
                     true));
    // 200 with the size we expect: Beast writes the body straight into the caller's buffer.
    http::response_parser<http::span_body<char>> parser(std::move(head));
    parser.body_limit(direct_body.size());
    parser.get().body() = direct_body;
    auto read = co_await read_body(parser, deadlines);
    if (!read) co_return fail(std::move(read).error());
    const auto unfilled = parser.get().body().size();
    if (unfilled != 0)
      co_return fail(make_error(ErrorKind::connection,
                                fmt::format("the response body ended after {} of {} bytes",
                                            direct_body.size() - unfilled, direct_body.size()),
                                true));
    response.direct_bytes = direct_body.size();
    reusable_ = parser.get().keep_alive();
  } else {
    // Pre-sized from Content-Length (so a large answer is rarely re-grown), but only so far.
    http::response_parser<PresizedStringBody> parser(std::move(head));
    parser.body_limit(deadlines.max_response_bytes);
    auto read = co_await read_body(parser, deadlines);
    if (!read) co_return fail(std::move(read).error());
    response.body = std::move(parser.get().body());
    reusable_ = parser.get().keep_alive();
  }
  // One request, one answer: bytes already here beyond it mean its length was a lie.
  if (buffer_.size() != 0) {
    reusable_ = false;
    co_return fail(
        make_error(ErrorKind::protocol,
                   fmt::format("the server sent {} bytes beyond the response body it announced",
                               buffer_.size()),
                   true));
  }
  stream_.tcp().expires_never();
  co_return response;
}

template <class Parser>
asio::awaitable<TransferResult<Unit>> Connection::read_body(Parser& parser,
                                                            ExchangeDeadlines deadlines) {
  error_code ec;
  while (!parser.is_done()) {
    const auto budget = step_budget(deadlines, deadlines.inactivity);
    const auto step_deadline = Clock::now() + budget;
    stream_.tcp().expires_after(budget);
    co_await http::async_read_some(stream_, buffer_, parser,
                                   asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return fail(classify_io_error(ec, "reading the response body", true, step_deadline));
  }
  co_return Unit{};
}

bool Connection::usable_for_reuse() {
  auto& socket = stream_.tcp().socket();
  if (!reusable_ || !socket.is_open()) return false;
  // An idle connection that is readable has been closed by the server (or sent garbage; over TLS,
  // a close_notify).
  pollfd descriptor{socket.native_handle(), POLLIN | POLLRDHUP, 0};
  const int ready = ::poll(&descriptor, 1, 0);
  return ready == 0;
}

void Connection::close() noexcept {
  reusable_ = false;
  error_code ignored;
  // Over TLS too the socket is just closed: a connection given up on owes no close_notify.
  auto& socket = stream_.tcp().socket();
  socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

}  // namespace dvidxfer::engine
