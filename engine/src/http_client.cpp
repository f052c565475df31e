#include "dvidxfer/engine/http_client.hpp"

#include <fmt/format.h>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <random>
#include <stdexcept>

#include "dvidxfer/common/log.hpp"
#include "dvidxfer/engine/retry_state.hpp"
#include "dvidxfer/engine/tls_client_context.hpp"

namespace dvidxfer::engine {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

std::shared_ptr<asio::ssl::context> tls_settings(const Endpoint& endpoint,
                                                 const HttpClientOptions& options) {
  if (!endpoint.tls) return nullptr;
  auto context = make_tls_client_context(options.tls_ca_file);
  if (!context) throw std::invalid_argument(context.error());
  return std::move(context).value();
}

double unit_random() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

}  // namespace

HttpClient::HttpClient(asio::any_io_executor executor, Endpoint endpoint, HttpClientOptions options)
    : HttpClient(executor, endpoint, options,
                 std::make_shared<PooledTransport>(
                     executor, endpoint, PoolSettings{options.max_connections, options.max_idle},
                     tls_settings(endpoint, options), options.bearer_token)) {}

HttpClient::HttpClient(asio::any_io_executor executor, Endpoint endpoint, HttpClientOptions options,
                       std::shared_ptr<HttpTransport> transport)
    : executor_(std::move(executor)),
      endpoint_(std::move(endpoint)),
      options_(std::move(options)),
      transport_(std::move(transport)) {}

HttpClient::~HttpClient() {
  transport_->close_idle();
}

HttpClientStats HttpClient::stats() const noexcept {
  return {requests_.load(), attempts_.load(), retries_.load(), failures_.load(),
          transport_->connections_opened()};
}

asio::awaitable<TransferResult<Response>> HttpClient::send(const Request& request,
                                                           std::span<char> direct_body) {
  requests_.fetch_add(1, std::memory_order_relaxed);
  AttemptContext context;
  auto& deadlines = context.deadlines;
  deadlines.total = Clock::now() + options_.request_timeout;
  deadlines.connect = options_.connect_timeout;
  deadlines.inactivity = options_.inactivity_timeout;
  deadlines.max_response_bytes =
      request.max_response_bytes != 0
          ? std::min(request.max_response_bytes, options_.max_response_bytes)
          : options_.max_response_bytes;
  context.direct_body = direct_body;
  const std::string url = endpoint_.origin() + request.target;

  const auto finish_error = [&](TransferError error, int attempts) {
    error.method = request.method;
    error.url = url;
    error.attempts = attempts;
    failures_.fetch_add(1, std::memory_order_relaxed);
    return error;
  };

  // One admission covers the request and its retries; the ticket goes back however it ends.
  struct TicketReturn {
    AdmissionControl* control = nullptr;
    std::uint64_t ticket = 0;
    ~TicketReturn() {
      if (control) control->release(ticket);
    }
  } ticket_return;
  if (options_.admission) {
    AdmissionRequest admission;
    admission.read =
        request.method == "GET" || request.method == "HEAD" || request.method == "DELETE";
    admission.bytes = admission.read ? request.expected_response_bytes : request.payload().size();
    admission.resource = endpoint_.origin();
    auto ticket = co_await options_.admission->admit(std::move(admission));
    if (!ticket) co_return fail(finish_error(std::move(ticket).error(), 0));
    // Set in place: assigning a temporary TicketReturn would release the ticket at once.
    ticket_return.ticket = ticket.value();
    ticket_return.control = options_.admission.get();
  }

  RetryState retry(options_.retry, deadlines.total, request.idempotent);
  for (;;) {
    attempts_.fetch_add(1, std::memory_order_relaxed);
    if (retry.attempts() > 0) retries_.fetch_add(1, std::memory_order_relaxed);
    auto attempt = co_await transport_->attempt(request, context);
    auto& outcome = attempt.result;

    AttemptOutcome summary;
    summary.reused = attempt.reused;
    if (outcome.ok()) {
      summary.status = outcome.value().status;
    } else {
      summary.error = outcome.error().kind;
      summary.response_started = outcome.error().response_started;
    }
    const Verdict verdict = retry.after(summary, Clock::now(), unit_random());
    if (verdict.step == NextStep::done) {
      outcome.value().attempts = retry.attempts();
      co_return std::move(outcome);
    }
    if (verdict.step == NextStep::fail) {
      auto error = std::move(outcome).error();
      if (verdict.gave_up == GaveUp::deadline)
        error.message +=
            fmt::format(" (gave up: the {} ms request deadline leaves no time to retry)",
                        options_.request_timeout.count());
      co_return fail(finish_error(std::move(error), retry.attempts()));
    }
    const std::string why =
        outcome.ok() ? fmt::format("got HTTP {}", outcome.value().status) : outcome.error().message;
    if (request.on_retry) request.on_retry(outcome.ok() ? outcome.value().status : 0u);
    // A stale connection is replayed at once on a new one; anything else waits out its backoff.
    context.fresh_connection = verdict.step == NextStep::replay;
    if (context.fresh_connection) {
      log::debug("{} {}: attempt {} met a stale keep-alive connection ({}), replaying it",
                 request.method, url, retry.attempts(), why);
      continue;
    }
    log::debug("{} {}: attempt {} {}, retrying in {} ms", request.method, url, retry.attempts(),
               why, verdict.delay.count());
    asio::steady_timer timer(executor_, verdict.delay);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted) {
      TransferError cancelled;
      cancelled.kind = ErrorKind::cancelled;
      cancelled.message = "cancelled while waiting to retry";
      co_return fail(finish_error(std::move(cancelled), retry.attempts()));
    }
  }
}

}  // namespace dvidxfer::engine
