#include "client_core.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <stdexcept>

#include "dvidxfer/engine/endpoint.hpp"
#include "dvidxfer/errors.hpp"

namespace dvidxfer::api {

namespace {

engine::Endpoint parse_or_throw(std::string_view web_addr) {
  auto parsed = engine::parse_endpoint(web_addr);
  if (!parsed) throw ArgumentError(parsed.error());
  return parsed.value();
}

// The options with the token DVID_TOKEN gives when they name none.
ClientOptions with_environment_token(ClientOptions options) {
  if (options.auth_token.empty())
    if (const char* token = std::getenv("DVID_TOKEN")) options.auth_token = token;
  return options;
}

engine::HttpClientOptions engine_options(const ClientOptions& given) {
  const ClientOptions options = with_environment_token(given);
  options.validate();
  engine::HttpClientOptions out;
  out.max_connections = options.max_connections;
  out.connect_timeout = options.connect_timeout;
  out.inactivity_timeout = options.inactivity_timeout;
  out.request_timeout = options.request_timeout;
  out.max_response_bytes = options.max_response_bytes;
  out.retry.max_attempts = options.max_attempts;
  out.retry.initial_backoff = options.initial_backoff;
  out.retry.max_backoff = options.max_backoff;
  out.bearer_token = options.auth_token;
  out.tls_ca_file = options.tls_ca_file;
  return out;
}

std::shared_ptr<engine::ResourceManagerClient> connect_resource_manager(
    const ResourceManagerAddress& address, std::chrono::milliseconds timeout) {
  try {
    return std::make_shared<engine::ResourceManagerClient>(address.host, address.port, timeout);
  } catch (const std::invalid_argument& e) {
    throw ArgumentError(e.what());
  }
}

}  // namespace

ClientCore::ClientCore(std::string_view web_addr, std::string user, std::string app,
                       ClientOptions options,
                       std::optional<ResourceManagerAddress> resource_manager)
    : user_(std::move(user)), app_(std::move(app)), runtime_(options.io_threads) {
  auto limits = engine_options(options);
  if (resource_manager) {
    resource_manager_ = connect_resource_manager(*resource_manager, options.resource_timeout);
    limits.admission = resource_manager_;
  }
  try {
    http_ =
        std::make_shared<engine::HttpClient>(runtime_.executor(), parse_or_throw(web_addr), limits);
  } catch (const std::invalid_argument& e) {
    throw ArgumentError(e.what());
  }
}

ClientCore::~ClientCore() {
  // Stop the threads before anything is torn down; then destroy the abandoned coroutines (and the
  // answers the resource manager posts as it stops) while the client they point into is alive.
  // The members then go, the runtime last: the client's strand and sockets need its services.
  http_->shut_down();
  runtime_.shutdown();
  if (resource_manager_) resource_manager_->shut_down();
  runtime_.discard_pending();
}

boost::asio::awaitable<engine::Response> ClientCore::call(engine::Request request,
                                                          StatusRange accepted) {
  auto result = co_await http_->send(request);
  if (!result) throw_transfer_error(result.error());
  if (!accepted.contains(result.value().status))
    throw_http_error(request, result.value(), endpoint().origin() + request.target);
  co_return std::move(result).value();
}

void throw_transfer_error(const engine::TransferError& error) {
  using Kind = TransportError::Kind;
  Kind kind = Kind::connection;
  switch (error.kind) {
    case engine::ErrorKind::connect:
      kind = Kind::connect;
      break;
    case engine::ErrorKind::timeout:
      kind = Kind::timeout;
      break;
    case engine::ErrorKind::connection:
      kind = Kind::connection;
      break;
    case engine::ErrorKind::protocol:
      kind = Kind::protocol;
      break;
    case engine::ErrorKind::admission:
      kind = Kind::admission;
      break;
    case engine::ErrorKind::tls:
      kind = Kind::tls;
      break;
    case engine::ErrorKind::cancelled:
      kind = Kind::cancelled;
      break;
    case engine::ErrorKind::http_status:
      throw HttpError(error.describe(), error.status, error.method, error.url, error.body_excerpt);
  }
  throw TransportError(error.describe(), kind, error.method, error.url, error.attempts);
}

void throw_http_error(const engine::Request& request, const engine::Response& response,
                      const std::string& url) {
  const auto excerpt = engine::body_excerpt(response.body);
  std::string message =
      fmt::format("{} {} failed with HTTP {}", request.method, url, response.status);
  if (response.attempts > 1) message += fmt::format(" after {} attempts", response.attempts);
  message += excerpt.empty() ? std::string(" (empty body)") : fmt::format(": {}", excerpt);
  throw HttpError(std::move(message), response.status, request.method, url, excerpt);
}

}  // namespace dvidxfer::api
