// ClientCore: what a NodeService or ServerService stands on: the I/O runtime, the HTTP client for
// one server, the caller's identity (u=, app=), and the translation of engine results into the
// public exceptions. Shared by copies of a service; thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <future>
#include <memory>
#include <optional>
#include <string>

#include "dvidxfer/client_options.hpp"
#include "dvidxfer/engine/http_client.hpp"
#include "dvidxfer/engine/io_runtime.hpp"
#include "dvidxfer/engine/resource_manager_client.hpp"
#include "url_builder.hpp"

namespace dvidxfer::api {

// The statuses [first, last] a call accepts as success.
struct StatusRange {
  unsigned first = 200;
  unsigned last = 200;
  bool contains(unsigned status) const noexcept { return status >= first && status <= last; }
};

// Where a dvid-resource-manager listens (requests on port, grants on port + 1).
struct ResourceManagerAddress {
  std::string host;
  int port = 0;
};

class ClientCore {
 public:
  // Throws ArgumentError for an unusable address or options. With `resource_manager`, every
  // request first waits for its admission (bounded by options.resource_timeout).
  ClientCore(std::string_view web_addr, std::string user, std::string app, ClientOptions options,
             std::optional<ResourceManagerAddress> resource_manager = std::nullopt);
  // Abandons calls still in flight (their futures report broken_promise) and closes connections.
  ~ClientCore();

  const std::string& user() const noexcept { return user_; }
  const std::string& app() const noexcept { return app_; }
  const engine::Endpoint& endpoint() const noexcept { return http_->endpoint(); }
  engine::HttpClient& http() noexcept { return *http_; }
  std::string target(const UrlBuilder& url) const { return url.finish(user_, app_); }

  // Runs `work` on the I/O threads; its value or exception lands in the future. Write `work` as a
  // coroutine taking everything it needs by value (a lambda's captures would dangle) and this core
  // by pointer: the core outlives every coroutine it runs.
  template <class T>
  std::future<T> spawn(boost::asio::awaitable<T> work) {
    return boost::asio::co_spawn(runtime_.executor(), std::move(work), boost::asio::use_future);
  }

  // Sends the request and returns the response when its status is in `accepted`; otherwise
  // throws HttpError (status, method, URL, the server's words), or TransportError when no answer
  // came. Call from coroutines spawned with spawn().
  boost::asio::awaitable<engine::Response> call(engine::Request request,
                                                StatusRange accepted = {200, 200});

 private:
  std::string user_;
  std::string app_;
  // Declared first so it is destroyed last: the client's strand and sockets belong to its context.
  engine::IoRuntime runtime_;
  // Outlives the coroutines the destructor discards (their leases give connections back to its
  // pool).
  std::shared_ptr<engine::HttpClient> http_;
  // Shut down before the pending operations are discarded: admissions it still holds resume on
  // the runtime's executor.
  std::shared_ptr<engine::ResourceManagerClient> resource_manager_;
};

// The public exception for an engine error.
[[noreturn]] void throw_transfer_error(const engine::TransferError& error);
// HttpError for a response whose status the call does not accept.
[[noreturn]] void throw_http_error(const engine::Request& request, const engine::Response& response,
                                   const std::string& url);

}  // namespace dvidxfer::api
