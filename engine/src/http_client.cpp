#include "dvidxfer/engine/http_client.hpp"

#include <fmt/format.h>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <random>
#include <stdexcept>

#include "dvidxfer/common/log.hpp"
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
    : executor_(std::move(executor)),
      options_(options),
      pool_(ConnectionPool::create(executor_, endpoint, options.max_connections,
                                   tls_settings(endpoint, options))),
      host_header_(endpoint.host_header()),
      authorization_(options_.bearer_token.empty() ? std::string()
                                                   : "Bearer " + options_.bearer_token) {}

HttpClient::~HttpClient() {
  pool_->close_idle();
}

HttpClientStats HttpClient::stats() const noexcept {
  return {requests_.load(), attempts_.load(), retries_.load(), failures_.load(),
          pool_->connections_opened()};
}

asio::awaitable<TransferResult<Response>> HttpClient::send(const Request& request,
                                                           std::span<char> direct_body) {
  requests_.fetch_add(1, std::memory_order_relaxed);
  ExchangeDeadlines deadlines;
  deadlines.total = Clock::now() + options_.request_timeout;
  deadlines.connect = options_.connect_timeout;
  deadlines.inactivity = options_.inactivity_timeout;
  deadlines.max_response_bytes =
      request.max_response_bytes != 0
          ? std::min(request.max_response_bytes, options_.max_response_bytes)
          : options_.max_response_bytes;
  const std::string url = pool_->endpoint().origin() + request.target;

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
    admission.resource = pool_->endpoint().origin();
    auto ticket = co_await options_.admission->admit(std::move(admission));
    if (!ticket) co_return fail(finish_error(std::move(ticket).error(), 0));
    // Set in place: assigning a temporary TicketReturn would release the ticket at once.
    ticket_return.ticket = ticket.value();
    ticket_return.control = options_.admission.get();
  }

  for (int attempt = 1;; ++attempt) {
    attempts_.fetch_add(1, std::memory_order_relaxed);
    if (attempt > 1) retries_.fetch_add(1, std::memory_order_relaxed);

    std::optional<TransferResult<Response>> outcome;
    {
      auto lease = co_await pool_->acquire(deadlines);
      if (!lease) {
        outcome.emplace(fail(std::move(lease).error()));
      } else {
        auto exchanged = co_await lease->connection().exchange(
            request, host_header_, authorization_, deadlines, direct_body);
        outcome.emplace(std::move(exchanged));
      }
    }  // the lease gives the connection back before any backoff wait

    AttemptOutcome summary;
    if (outcome->ok()) {
      summary.status = outcome->value().status;
    } else {
      summary.error = outcome->error().kind;
      summary.response_started = outcome->error().response_started;
    }
    const RetryDecision decision = classify(summary, request.idempotent);
    if (decision == RetryDecision::done) {
      outcome->value().attempts = attempt;
      co_return std::move(*outcome);
    }
    if (decision == RetryDecision::fail)
      co_return fail(finish_error(std::move(*outcome).error(), attempt));

    // Transient: try again, unless attempts or time have run out.
    const auto delay = backoff_delay(options_.retry, attempt, unit_random());
    const bool out_of_attempts = attempt >= options_.retry.max_attempts;
    const bool out_of_time = Clock::now() + delay >= deadlines.total;
    if (out_of_attempts || out_of_time) {
      if (outcome->ok()) {  // a retryable status: hand back the server's last word
        outcome->value().attempts = attempt;
        co_return std::move(*outcome);
      }
      auto error = std::move(*outcome).error();
      if (out_of_time && !out_of_attempts)
        error.message +=
            fmt::format(" (gave up: the {} ms request deadline leaves no time to retry)",
                        options_.request_timeout.count());
      co_return fail(finish_error(std::move(error), attempt));
    }
    log::debug("{} {}: attempt {} {} , retrying in {} ms", request.method, url, attempt,
               outcome->ok() ? fmt::format("got HTTP {}", outcome->value().status)
                             : outcome->error().message,
               delay.count());
    if (request.on_retry) request.on_retry(outcome->ok() ? outcome->value().status : 0u);
    asio::steady_timer timer(executor_, delay);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted) {
      TransferError cancelled;
      cancelled.kind = ErrorKind::cancelled;
      cancelled.message = "cancelled while waiting to retry";
      co_return fail(finish_error(std::move(cancelled), attempt));
    }
  }
}

}  // namespace dvidxfer::engine
