#include "transport/http_listener.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <limits>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <vector>

#include "dvidxfer/common/log.hpp"
#include "dvidxfer/net/maybe_tls_stream.hpp"
#include "faults/fault_control.hpp"
#include "transport/bearer_auth.hpp"
#include "transport/parsed_request.hpp"
#include "transport/received_string_body.hpp"
#include "transport/response_head.hpp"
#include "transport/tls_server_context.hpp"

namespace dvidxfer::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

// Paced transfers move at most this share of a second's budget at once, so the rate is smooth.
constexpr std::uint64_t kSlicesPerSecond = 50;
// After answering and closing, read (and discard) what the peer still sends for this long, so our
// close is a FIN rather than an RST that could destroy the answer before the peer reads it.
constexpr auto kLingerTime = std::chrono::milliseconds(500);
constexpr std::size_t kLingerBytes = 4 << 20;
// The first read of a request; an idle connection holds no more buffer than this.
constexpr std::size_t kFirstReadBytes = 1024;
// Answers this small are always sent, whatever max_pending_response_bytes says.
constexpr std::uint64_t kSmallAnswerBytes = 1 << 20;
// Body reads: Beast sizes each read by the buffer's free capacity (at least 512 bytes), so a large
// body arrives in reads of this size rather than 512-byte ones.
constexpr std::size_t kBodyReadBytes = 64 * 1024;
// Sending TLS close_notify before a close may take at most this.
constexpr auto kCloseNotifyTime = std::chrono::seconds(1);
// A refused newcomer on a TLS port gets at most this for its handshake.
constexpr auto kRefusalHandshakeTime = std::chrono::seconds(2);
// What Go's net/http (and so DVID) answers to plain HTTP sent to its TLS port.
constexpr std::string_view kHttpToHttpsAnswer =
    "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n";

bool is_http_parse_error(const error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_method).category();
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

std::string describe_endpoint(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address().to_string();
  return endpoint.address().is_v6() ? fmt::format("[{}]:{}", address, endpoint.port())
                                    : fmt::format("{}:{}", address, endpoint.port());
}

HttpResponse transport_error(http::status status) {
  const auto reason = http::obsolete_reason(status);
  return HttpResponse::text(static_cast<unsigned>(status),
                            fmt::format("{} {}", static_cast<unsigned>(status),
                                        std::string_view(reason.data(), reason.size())));
}

// Waits until `bytes` may have moved since `start` at `rate` bytes per second.
asio::awaitable<void> pace(asio::steady_timer& timer, Clock::time_point start, std::uint64_t bytes,
                           std::uint64_t rate) {
  const auto due =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                  static_cast<double>(bytes) / static_cast<double>(rate)));
  if (Clock::now() >= due) co_return;
  timer.expires_at(due);
  error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

std::uint64_t slice_size(std::uint64_t rate) {
  return std::clamp<std::uint64_t>(rate / kSlicesPerSecond, 1024, 256 * 1024);
}

// What became of reading one request.
enum class ReadOutcome { complete, closed, rejected };

}  // namespace

struct HttpListener::Impl {
  // One accepted connection, owned by its coroutine (and briefly by a pending close from the accept
  // loop). Listed in `connections` from accept to destruction.
  struct Connection : std::enable_shared_from_this<Connection> {
    Connection(Impl& owner, net::MaybeTlsStream plain_or_tls)
        : impl(owner), stream(std::move(plain_or_tls)) {
      std::lock_guard lock(impl.connections_mutex);
      impl.connections.insert(this);
    }
    ~Connection() {
      std::lock_guard lock(impl.connections_mutex);
      impl.connections.erase(this);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    Impl& impl;
    net::MaybeTlsStream stream;
    // Guarded by connections_mutex; changed only on the connection's strand.
    bool awaiting_head = false;  // idle, or still receiving a request head
    Clock::time_point awaiting_since;
    bool closing = false;    // chosen to make room for a newcomer
    bool answering = false;  // writing, from the end of a request's read to the next request
    // Times request reads (see arm_read_deadline); on the strand only.
    asio::steady_timer read_timer{stream.get_executor()};
    bool read_timed_out = false;
  };

  ListenerConfig config;
  RequestHandler& handler;
  FaultInjector& faults;

  // Declared before the io_context: coroutine frames it destroys unregister themselves here.
  std::mutex connections_mutex;
  std::unordered_set<Connection*> connections;
  // Bytes of answers built and not yet sent (see max_pending_response_bytes); declared before the
  // io_context for the same reason.
  std::atomic<std::uint64_t> pending_response_bytes{0};

  // One request's answer bytes counted in pending_response_bytes, from its handler's reservation
  // (or, without one, from its admission once built) until it is sent.
  struct PendingResponse final : ResponseBudget {
    explicit PendingResponse(Impl& owner) : impl(owner) {}
    ~PendingResponse() { impl.pending_response_bytes -= bytes; }
    PendingResponse(const PendingResponse&) = delete;
    PendingResponse& operator=(const PendingResponse&) = delete;

    void reserve(std::uint64_t more) override {
      if (!impl.admit_response(*this, more)) throw ResponseBudgetExceeded(more);
      reserved = true;
    }

    Impl& impl;
    std::uint64_t bytes = 0;
    bool reserved = false;  // the handler reserved: its answer is sent whatever its size
  };

  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::unique_ptr<asio::ssl::context> tls_context;  // set when serving HTTPS
  asio::thread_pool handler_pool;
  std::vector<std::thread> io_threads;
  std::uint16_t bound_port = 0;

  std::mutex stop_mutex;
  bool stopped = false;

  Impl(ListenerConfig listener_config, RequestHandler& request_handler, FaultInjector& injector)
      : config(std::move(listener_config)),
        handler(request_handler),
        faults(injector),
        handler_pool(config.handler_threads != 0 ? config.handler_threads
                                                 : std::max(2u, config.io_threads)) {}

  void listen() {
    if (!config.tls_certificate_file.empty() || !config.tls_private_key_file.empty())
      tls_context =
          make_tls_server_context(config.tls_certificate_file, config.tls_private_key_file);
    try {
      tcp::resolver resolver(io);
      const auto endpoint =
          resolver.resolve(config.host, std::to_string(config.port)).begin()->endpoint();
      acceptor.open(endpoint.protocol());
      acceptor.set_option(tcp::acceptor::reuse_address(true));
      acceptor.bind(endpoint);
      acceptor.listen();
      bound_port = acceptor.local_endpoint().port();
    } catch (const boost::system::system_error& e) {
      throw std::runtime_error(
          fmt::format("cannot listen on {}:{}: {}", config.host, config.port, e.code().message()));
    }
    asio::co_spawn(io, accept_loop(), asio::detached);
    const unsigned threads = std::max(1u, config.io_threads);
    for (unsigned i = 0; i < threads; ++i) io_threads.emplace_back([this] { io.run(); });
    log::info("{} listener on {}:{} with {} I/O threads", tls_context ? "https" : "http",
              config.host, bound_port, threads);
  }

  void stop() {
    std::lock_guard lock(stop_mutex);
    if (stopped) return;
    stopped = true;
    // With the I/O threads gone nothing else touches the sockets, so closing them here is safe.
    io.stop();
    for (auto& thread : io_threads) thread.join();
    error_code ignored;
    acceptor.close(ignored);
    {
      std::lock_guard connections_lock(connections_mutex);
      for (auto* connection : connections) {
        if (!connection->answering) send_close_notify_now(connection->stream);
        connection->stream.tcp().socket().close(ignored);
      }
    }
    // Handlers still running finish; their results go to the stopped io_context and are dropped
    // with the coroutine frames when it is destroyed.
    handler_pool.join();
  }

  asio::awaitable<void> accept_loop() {
    asio::steady_timer backoff(io);
    for (;;) {
      error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(
          asio::make_strand(io), asio::redirect_error(asio::use_awaitable, ec));
      if (ec == asio::error::operation_aborted) co_return;
      if (ec) {
        // Typically out of file descriptors: wait for connections to end instead of spinning.
        log::warn("accept failed: {}", ec.message());
        backoff.expires_after(std::chrono::milliseconds(50));
        co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      auto executor = socket.get_executor();
      if (!make_room()) {
        asio::co_spawn(executor, refuse_connection(wrap(std::move(socket))), asio::detached);
        continue;
      }
      asio::co_spawn(executor,
                     serve_connection(std::make_shared<Connection>(*this, wrap(std::move(socket)))),
                     asio::detached);
    }
  }

  // Whether a new connection may be served: below the cap, or after closing the connection that
  // has waited longest for a request head. Busy connections (mid-body, in a handler, answering)
  // are never closed for a newcomer. The count may pass the cap by the closes still pending.
  bool make_room() {
    std::shared_ptr<Connection> victim;  // released only after the lock (its last owner may be us)
    {
      std::lock_guard lock(connections_mutex);
      if (connections.size() < config.max_connections) return true;
      std::size_t open = 0;
      Connection* longest = nullptr;
      for (auto* connection : connections) {
        if (connection->closing) continue;
        ++open;
        if (connection->awaiting_head &&
            (!longest || connection->awaiting_since < longest->awaiting_since))
          longest = connection;
      }
      if (open < config.max_connections) return true;
      if (!longest) return false;
      victim = longest->weak_from_this().lock();
      if (!victim) return true;  // it is being destroyed: its place is free already
      victim->closing = true;
    }
    // On the victim's strand, where its coroutine cannot run meanwhile.
    asio::post(victim->stream.get_executor(), [this, victim] {
      {
        std::lock_guard lock(connections_mutex);
        if (!victim->awaiting_head) {  // it began a request after all: let it finish
          victim->closing = false;
          return;
        }
      }
      log::debug("closing a connection waiting for a request head to admit a new one");
      error_code ignored;
      victim->stream.tcp().socket().close(ignored);
    });
    return true;
  }

  // The stream of an accepted socket: TLS when serving HTTPS (the handshake comes first).
  net::MaybeTlsStream wrap(tcp::socket socket) {
    beast::tcp_stream tcp_layer(std::move(socket));
    if (tls_context) return net::MaybeTlsStream(std::move(tcp_layer), *tls_context);
    return net::MaybeTlsStream(std::move(tcp_layer));
  }

  // Past the connection cap with every connection busy: 503 and close. On a TLS port the 503 goes
  // over TLS after a handshake held to a short deadline: plain text there is garbage to the client,
  // and closing without a word is a failed handshake, which TLS clients (ours included) take as
  // final, where a 503 is retried.
  asio::awaitable<void> refuse_connection(net::MaybeTlsStream stream) {
    log::warn("{} connections open: refusing a new one", config.max_connections);
    if (auto* tls = stream.tls()) {
      error_code ec;
      stream.tcp().expires_after(
          std::min<Clock::duration>(config.header_timeout, kRefusalHandshakeTime));
      co_await tls->async_handshake(asio::ssl::stream_base::server,
                                    asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
    }
    co_await answer_and_close(
        stream, HttpResponse::text(503, fmt::format("503 Service Unavailable: {} connections open, "
                                                    "the server's limit",
                                                    config.max_connections)));
  }

  void set_awaiting_head(Connection& connection, bool awaiting) {
    std::lock_guard lock(connections_mutex);
    connection.awaiting_head = awaiting;
    if (awaiting) {
      connection.awaiting_since = Clock::now();
      connection.answering = false;
    }
  }

  // Marks the connection as writing (or not), which stop() must not interrupt with close_notify.
  void set_answering(Connection& connection, bool answering) {
    std::lock_guard lock(connections_mutex);
    connection.answering = answering;
  }

  asio::awaitable<void> serve_connection(std::shared_ptr<Connection> connection) {
    try {
      error_code ec;
      const auto peer = connection->stream.tcp().socket().remote_endpoint(ec);
      const std::string remote_address = ec ? std::string() : describe_endpoint(peer);
      if (connection->stream.is_tls()) {
        const bool secured = co_await accept_tls(*connection);
        if (!secured) co_return;
      }
      beast::flat_buffer buffer;
      while (co_await serve_request(*connection, buffer, remote_address)) {
      }
    } catch (const std::exception& e) {
      log::debug("connection ended: {}", e.what());
    }
  }

  // The server's side of the TLS handshake, under the header time limit (a handshake that trickles
  // may be closed for a newcomer like a trickling head). A client speaking plain HTTP gets Go's
  // 400 in plain text. False when the connection is over.
  asio::awaitable<bool> accept_tls(Connection& connection) {
    auto& stream = connection.stream;
    error_code ec;
    set_awaiting_head(connection, true);
    stream.tcp().expires_after(config.header_timeout);
    co_await stream.tls()->async_handshake(asio::ssl::stream_base::server,
                                           asio::redirect_error(asio::use_awaitable, ec));
    set_awaiting_head(connection, false);
    stream.tcp().expires_never();
    if (!ec) co_return true;
    if (ec.category() == asio::error::get_ssl_category() &&
        ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_HTTP_REQUEST) {
      stream.tcp().expires_after(config.response_timeout);
      co_await asio::async_write(stream.tcp(), asio::buffer(kHttpToHttpsAnswer),
                                 asio::redirect_error(asio::use_awaitable, ec));
      if (!ec) co_await linger_and_close(stream);
      co_return false;
    }
    log::debug("TLS handshake failed: {}", ec.message());
    co_return false;
  }

  // Serves one request; returns whether the connection stays open for another.
  asio::awaitable<bool> serve_request(Connection& connection, beast::flat_buffer& buffer,
                                      const std::string& remote_address) {
    auto& stream = connection.stream;
    http::request_parser<ReceivedStringBody> parser;
    parser.header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(config.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    parser.body_limit(config.max_body_bytes);
    if (co_await read_request(connection, buffer, parser) != ReadOutcome::complete) co_return false;
    set_answering(connection, true);

    auto& message = parser.get();
    auto converted = to_http_request(message, remote_address);
    if (!converted) {
      co_await answer_and_close(stream, transport_error(http::status::bad_request));
      co_return false;
    }
    HttpRequest request = std::move(*converted);
    const bool keep_alive = message.keep_alive();

    FaultDecision decision;
    HttpResponse response;
    request.max_body_bytes = config.max_body_bytes;
    PendingResponse pending(*this);
    request.response_budget = &pending;
    if (auto refusal = refuse_unauthorized(request, config.auth_token)) {
      response = std::move(*refusal);
    } else if (is_fault_control_request(request)) {
      response = handle_fault_control(request, faults);
    } else {
      decision = faults.decide();
      if (decision.kind == FaultKind::unavailable_503) {
        response = unavailable_response();
      } else if (decision.kind == FaultKind::panic_500) {
        response = panic_response(decision.request_number, "injected fault", request);
      } else {
        response = co_await run_handler(request, decision.request_number, pending);
      }
    }
    if (decision.latency.count() > 0) {
      asio::steady_timer timer(stream.get_executor(), decision.latency);
      error_code ec;
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    co_return co_await write_response(stream, response, request.method == "HEAD", keep_alive,
                                      decision);
  }

  // Adds `bytes` to `pending` unless they would take pending_response_bytes past its limit.
  bool admit_response(PendingResponse& pending, std::uint64_t bytes) {
    std::uint64_t current = pending_response_bytes.load();
    do {
      if (bytes > kSmallAnswerBytes && current != 0 &&
          current + bytes > config.max_pending_response_bytes)
        return false;
    } while (!pending_response_bytes.compare_exchange_weak(current, current + bytes));
    pending.bytes += bytes;
    return true;
  }

  HttpResponse too_many_pending(std::uint64_t refused_bytes) {
    log::warn("answers waiting for slow clients hold {} bytes: refusing one of {} bytes",
              pending_response_bytes.load(), refused_bytes);
    return HttpResponse::text(
        503, fmt::format("503 Service Unavailable: answers waiting to be sent hold {} bytes, the "
                         "server's limit is {}; retry later",
                         pending_response_bytes.load(), config.max_pending_response_bytes));
  }

  // At `when`, cancels the connection's read in progress and notes that it timed out. Beast's
  // expiry would close the socket instead, leaving no way to answer.
  void arm_read_deadline(Connection& connection, Clock::time_point when) {
    connection.read_timer.expires_at(when);
    connection.read_timer.async_wait([weak = connection.weak_from_this()](const error_code& ec) {
      const auto live = weak.lock();
      // A wait that expired as its read completed finds the deadline moved on, or disarmed.
      if (ec || !live || live->read_timer.expiry() > Clock::now()) return;
      live->read_timed_out = true;
      error_code ignored;
      live->stream.tcp().socket().cancel(ignored);
    });
  }
  void disarm_read_deadline(Connection& connection) {
    connection.read_timer.expires_at(Clock::time_point::max());
  }

  // Reads one request under the listener's time limits. A request that runs out of time once its
  // first byte has arrived gets 408 and a close. Go's net/http (and so DVID) just closes when a
  // head times out, and its handlers see a failed body read; a client here learns why it was cut
  // instead of meeting an EOF it cannot tell from a crash. An idle connection has nothing to be
  // answered and is closed silently, as in Go.
  asio::awaitable<ReadOutcome> read_request(Connection& connection, beast::flat_buffer& buffer,
                                            http::request_parser<ReceivedStringBody>& parser) {
    auto& stream = connection.stream;
    error_code ec;
    set_awaiting_head(connection, true);
    connection.read_timed_out = false;
    if (buffer.size() == 0) {  // idle until the first byte (unless it was pipelined)
      arm_read_deadline(connection, Clock::now() + config.idle_timeout);
      const std::size_t n = co_await stream.async_read_some(
          buffer.prepare(kFirstReadBytes), asio::redirect_error(asio::use_awaitable, ec));
      disarm_read_deadline(connection);
      buffer.commit(n);
      if (ec) {
        set_awaiting_head(connection, false);
        if (connection.read_timed_out) {
          set_answering(connection, true);
          if (auto* tls = stream.tls()) co_await send_close_notify(*tls);
        }
        co_return ReadOutcome::closed;
      }
    }
    const auto deadline = Clock::now() + config.request_timeout;
    arm_read_deadline(connection, std::min(Clock::now() + config.header_timeout, deadline));
    co_await http::async_read_header(stream, buffer, parser,
                                     asio::redirect_error(asio::use_awaitable, ec));
    disarm_read_deadline(connection);
    set_awaiting_head(connection, false);
    // A request body's length is known only from Content-Length or a final chunked coding
    // (RFC 9112 6.3); anything else ("gzip" alone) gets 400 and a close rather than a guess.
    if (!ec && !parser.get()[http::field::transfer_encoding].empty() && !parser.chunked()) {
      set_answering(connection, true);
      co_await answer_and_close(stream, transport_error(http::status::bad_request));
      co_return ReadOutcome::rejected;
    }
    if (!ec && !parser.is_done() && iequals(parser.get()[http::field::expect], "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      set_answering(connection, true);
      stream.tcp().expires_after(config.response_timeout);
      co_await asio::async_write(stream, asio::buffer(kContinue),
                                 asio::redirect_error(asio::use_awaitable, ec));
      stream.tcp().expires_never();
      set_answering(connection, false);
    }
    if (!ec && !parser.is_done()) buffer.reserve(kBodyReadBytes);
    // The cap in force when the request arrived paces its body.
    const std::uint64_t rate = faults.config().bandwidth_bytes_per_second;
    const auto start = Clock::now();
    std::uint64_t received = 0;
    asio::steady_timer timer(stream.get_executor());
    while (!ec && !parser.is_done()) {
      arm_read_deadline(connection, std::min(Clock::now() + config.body_timeout, deadline));
      received += co_await http::async_read_some(stream, buffer, parser,
                                                 asio::redirect_error(asio::use_awaitable, ec));
      disarm_read_deadline(connection);
      if (!ec && rate != 0) co_await pace(timer, start, received, rate);
    }
    if (!ec) co_return ReadOutcome::complete;
    set_answering(connection, true);
    if (connection.read_timed_out) {
      log::debug("answering 408: a request read timed out");
      co_await answer_and_close(stream, transport_error(http::status::request_timeout));
      co_return ReadOutcome::rejected;
    }
    if (ec == http::error::header_limit) {
      co_await answer_and_close(stream,
                                transport_error(http::status::request_header_fields_too_large));
      co_return ReadOutcome::rejected;
    }
    if (ec == http::error::body_limit) {
      co_await answer_and_close(stream, transport_error(http::status::payload_too_large));
      co_return ReadOutcome::rejected;
    }
    // A peer that goes away, before or during a request, gets no answer.
    if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
        !is_http_parse_error(ec))
      co_return ReadOutcome::closed;
    log::debug("malformed request: {}", ec.message());
    co_await answer_and_close(stream, transport_error(http::status::bad_request));
    co_return ReadOutcome::rejected;
  }

  // Runs the synchronous handler on the handler pool, so a slow one never stalls socket I/O. An
  // answer past max_pending_response_bytes is replaced there, before the thread builds another.
  asio::awaitable<HttpResponse> run_handler(const HttpRequest& request,
                                            std::uint64_t request_number,
                                            PendingResponse& pending) {
    co_return co_await asio::co_spawn(
        handler_pool,
        [&]() -> asio::awaitable<HttpResponse> {
          co_return admitted(call_handler(request, request_number), pending);
        },
        asio::use_awaitable);
  }

  // The answer, counted in `pending`: in place of what its handler reserved, or, without a
  // reservation, unless it would take the answers waiting to be sent past their limit (then 503).
  HttpResponse admitted(HttpResponse response, PendingResponse& pending) {
    const std::uint64_t size = response.body.size();
    if (pending.reserved) {
      pending_response_bytes += size;
      pending_response_bytes -= pending.bytes;
      pending.bytes = size;
      return response;
    }
    if (admit_response(pending, size)) return response;
    return too_many_pending(size);
  }

  // A throwing handler is answered the way DVID answers a panic.
  HttpResponse call_handler(const HttpRequest& request, std::uint64_t request_number) {
    try {
      return handler.handle(request);
    } catch (const ResponseBudgetExceeded& refusal) {
      return too_many_pending(refusal.bytes);
    } catch (const std::exception& e) {
      log::error("handler failed on {} {}: {}", request.method, request.target, e.what());
      return panic_response(request_number, e.what(), request);
    } catch (...) {
      log::error("handler failed on {} {}", request.method, request.target);
      return panic_response(request_number, "unknown exception", request);
    }
  }

  // Sends the response, applying the bandwidth cap and a cut; returns whether to keep the
  // connection.
  asio::awaitable<bool> write_response(net::MaybeTlsStream& stream, const HttpResponse& response,
                                       bool head_request, bool keep_alive,
                                       const FaultDecision& decision) {
    const std::string head = format_response_head(response, head_request, !keep_alive);
    const bool send_body = !head_request && status_allows_body(response.status);
    std::string_view body = send_body ? std::string_view(response.body) : std::string_view();
    const bool cut =
        decision.kind == FaultKind::reset_mid_body || decision.kind == FaultKind::truncate_body;
    error_code ec;
    stream.tcp().expires_after(config.response_timeout);  // a peer that stops reading is dropped
    if (cut) {
      // Half the body after complete headers; with no body, half the headers.
      if (body.empty()) {
        co_await asio::async_write(stream, asio::buffer(head.data(), head.size() / 2),
                                   asio::redirect_error(asio::use_awaitable, ec));
      } else {
        co_await asio::async_write(stream, asio::buffer(head),
                                   asio::redirect_error(asio::use_awaitable, ec));
        if (!ec)
          co_await write_body(stream, body.substr(0, body.size() / 2),
                              decision.bandwidth_bytes_per_second, ec);
      }
      cut_connection(stream, decision.kind);
      co_return false;
    }
    if (decision.bandwidth_bytes_per_second == 0) {
      co_await write_head_and_body(stream, head, body, ec);
    } else {
      co_await asio::async_write(stream, asio::buffer(head),
                                 asio::redirect_error(asio::use_awaitable, ec));
      if (!ec) co_await write_body(stream, body, decision.bandwidth_bytes_per_second, ec);
    }
    if (ec) co_return false;
    if (!keep_alive) co_await close_connection(stream);
    co_return keep_alive;
  }

  // Over TLS the head and the body go in two writes. Beast's ssl_stream (a flat_stream) writes of
  // a buffer sequence only the part that fits in 16 KiB from its first buffer on; once
  // asio::async_write has sent the head, {empty head, body over 16 KiB} thus becomes a write of
  // zero bytes, which async_write takes for the end: the body was never sent and the client stalled
  // waiting for it. Plain TCP takes both in one gathered write.
  asio::awaitable<void> write_head_and_body(net::MaybeTlsStream& stream, std::string_view head,
                                            std::string_view body, error_code& ec) {
    if (!stream.is_tls()) {
      const std::array buffers{asio::buffer(head), asio::buffer(body.data(), body.size())};
      co_await asio::async_write(stream, buffers, asio::redirect_error(asio::use_awaitable, ec));
      co_return;
    }
    co_await asio::async_write(stream, asio::buffer(head),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (!ec && !body.empty())
      co_await asio::async_write(stream, asio::buffer(body.data(), body.size()),
                                 asio::redirect_error(asio::use_awaitable, ec));
  }

  asio::awaitable<void> write_body(net::MaybeTlsStream& stream, std::string_view body,
                                   std::uint64_t rate, error_code& ec) {
    if (rate == 0) {
      co_await asio::async_write(stream, asio::buffer(body.data(), body.size()),
                                 asio::redirect_error(asio::use_awaitable, ec));
      co_return;
    }
    const auto start = Clock::now();
    const std::uint64_t slice = slice_size(rate);
    asio::steady_timer timer(stream.get_executor());
    std::uint64_t sent = 0;
    while (!ec && sent < body.size()) {
      const auto n = std::min<std::uint64_t>(slice, body.size() - sent);
      co_await asio::async_write(stream, asio::buffer(body.data() + sent, n),
                                 asio::redirect_error(asio::use_awaitable, ec));
      sent += n;
      if (!ec) co_await pace(timer, start, sent, rate);
    }
  }

  void cut_connection(net::MaybeTlsStream& stream, FaultKind kind) {
    error_code ignored;
    auto& socket = stream.tcp().socket();
    if (kind == FaultKind::reset_mid_body) {
      // SO_LINGER 0 makes close() send an RST.
      socket.set_option(asio::socket_base::linger(true, 0), ignored);
    } else {
      socket.shutdown(tcp::socket::shutdown_send, ignored);
    }
    socket.close(ignored);
    faults.count_cut(kind);
  }

  asio::awaitable<void> answer_and_close(net::MaybeTlsStream& stream,
                                         const HttpResponse& response) {
    error_code ec;
    const std::string head = format_response_head(response, false, true);
    stream.tcp().expires_after(config.response_timeout);
    co_await write_head_and_body(stream, head, response.body, ec);
    if (!ec) co_await close_connection(stream);
  }

  // Tells a TLS peer the stream ends here (close_notify), so that it can tell the end from a cut.
  // The peer's close_notify is marked as received first: the shutdown then completes once ours is
  // written, rather than waiting for one that most clients never send.
  asio::awaitable<void> send_close_notify(net::MaybeTlsStream::Tls& tls) {
    SSL_set_shutdown(tls.native_handle(), SSL_RECEIVED_SHUTDOWN);
    tls.next_layer().expires_after(kCloseNotifyTime);
    error_code ec;
    co_await tls.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
  }

  // The same at stop(), with no I/O thread left: one non-blocking write, never a wait. Only for a
  // connection that finished its handshake and is not writing an answer.
  static void send_close_notify_now(net::MaybeTlsStream& stream) {
    auto* tls = stream.tls();
    if (!tls || !SSL_is_init_finished(tls->native_handle())) return;
    error_code ignored;
    stream.tcp().socket().non_blocking(true, ignored);
    SSL_set_shutdown(tls->native_handle(), SSL_RECEIVED_SHUTDOWN);
    tls->shutdown(ignored);
  }

  // Ends a connection after its last answer: close_notify over TLS, then linger_and_close.
  asio::awaitable<void> close_connection(net::MaybeTlsStream& stream) {
    if (auto* tls = stream.tls()) co_await send_close_notify(*tls);
    co_await linger_and_close(stream);
  }

  // Below TLS: what the peer still sends is discarded unread.
  asio::awaitable<void> linger_and_close(net::MaybeTlsStream& stream) {
    auto& tcp_layer = stream.tcp();
    error_code ec;
    tcp_layer.socket().shutdown(tcp::socket::shutdown_send, ec);
    std::array<char, 16 * 1024> discard;
    std::size_t drained = 0;
    tcp_layer.expires_after(kLingerTime);
    while (!ec && drained < kLingerBytes)
      drained += co_await tcp_layer.async_read_some(asio::buffer(discard),
                                                    asio::redirect_error(asio::use_awaitable, ec));
    tcp_layer.close();
  }
};

HttpListener::HttpListener(ListenerConfig config, RequestHandler& handler, FaultInjector& faults)
    : impl_(std::make_unique<Impl>(std::move(config), handler, faults)) {
  impl_->listen();
}

HttpListener::~HttpListener() {
  stop();
}

std::uint16_t HttpListener::port() const noexcept {
  return impl_->bound_port;
}

void HttpListener::stop() {
  impl_->stop();
}

}  // namespace dvidxfer::server
