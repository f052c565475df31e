#include "dvidxfer/engine/resource_manager_client.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <stdexcept>

#include "resource_manager_worker.hpp"

namespace dvidxfer::engine {

namespace asio = boost::asio;

namespace {

// Resumes the waiting coroutine on its own executor, never on the worker's thread.
template <class Handler>
class CoroutineWaiter final : public AdmissionWaiter {
 public:
  explicit CoroutineWaiter(Handler handler) : handler_(std::move(handler)) {}

  void finish(TransferResult<std::uint64_t> outcome) override {
    auto executor = asio::get_associated_executor(handler_);
    asio::post(executor, [handler = std::move(handler_), outcome = std::move(outcome)]() mutable {
      std::move(handler)(std::move(outcome));
    });
  }

 private:
  Handler handler_;
};

}  // namespace

ResourceManagerClient::ResourceManagerClient(const std::string& host, int port,
                                             std::chrono::milliseconds timeout) {
  if (host.empty()) throw std::invalid_argument("the resource manager's host is empty");
  if (port < 1 || port > 65534)
    throw std::invalid_argument("the resource manager's port " + std::to_string(port) +
                                " is outside 1..65534 (it also uses the next port)");
  if (timeout.count() <= 0)
    throw std::invalid_argument("the resource manager timeout must be positive");
  worker_ = std::make_unique<ResourceManagerWorker>(host, port, timeout);
}

ResourceManagerClient::~ResourceManagerClient() {
  shut_down();
}

asio::awaitable<TransferResult<std::uint64_t>> ResourceManagerClient::admit(
    AdmissionRequest request) {
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&,
                                          void(TransferResult<std::uint64_t>)>(
      [this](auto handler, AdmissionRequest request) {
        using Waiter = CoroutineWaiter<std::decay_t<decltype(handler)>>;
        worker_->admit(std::move(request), std::make_unique<Waiter>(std::move(handler)));
      },
      asio::use_awaitable, std::move(request));
}

void ResourceManagerClient::release(std::uint64_t ticket) noexcept {
  worker_->release(ticket);
}

void ResourceManagerClient::shut_down() noexcept {
  worker_->stop();
}

const std::string& ResourceManagerClient::address() const noexcept {
  return worker_->address();
}

}  // namespace dvidxfer::engine
