#include "dvidxfer/engine/connection_pool.hpp"

#include <fmt/format.h>

namespace dvidxfer::engine {

namespace asio = boost::asio;

ConnectionPool::Lease::Lease(std::shared_ptr<ConnectionPool> pool,
                             std::unique_ptr<Connection> connection, bool reused)
    : pool_(std::move(pool)), connection_(std::move(connection)), reused_(reused) {}

ConnectionPool::Lease& ConnectionPool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    give_back();
    pool_ = std::move(other.pool_);
    connection_ = std::move(other.connection_);
    reused_ = other.reused_;
  }
  return *this;
}

ConnectionPool::Lease::~Lease() {
  give_back();
}

void ConnectionPool::Lease::give_back() noexcept {
  if (pool_) std::exchange(pool_, nullptr)->give_back(std::move(connection_));
}

std::shared_ptr<ConnectionPool> ConnectionPool::create(asio::any_io_executor executor,
                                                       Endpoint endpoint,
                                                       std::size_t max_connections,
                                                       std::shared_ptr<asio::ssl::context> tls) {
  return std::shared_ptr<ConnectionPool>(new ConnectionPool(
      std::move(executor), std::move(endpoint), max_connections, std::move(tls)));
}

ConnectionPool::ConnectionPool(asio::any_io_executor executor, Endpoint endpoint,
                               std::size_t max_connections, std::shared_ptr<asio::ssl::context> tls)
    : executor_(std::move(executor)),
      endpoint_(std::move(endpoint)),
      max_connections_(std::max<std::size_t>(1, max_connections)),
      tls_(endpoint_.tls ? std::move(tls) : nullptr),
      slots_(std::make_shared<AsyncSemaphore>(executor_, max_connections_)) {}

asio::awaitable<TransferResult<ConnectionPool::Lease>> ConnectionPool::acquire(
    ExchangeDeadlines deadlines) {
  auto self = shared_from_this();
  const bool granted = co_await slots_->acquire(deadlines.total);
  if (!granted) {
    TransferError error;
    error.kind = ErrorKind::timeout;
    error.message = fmt::format("no connection to {} became free before the deadline ({} in use)",
                                endpoint_.origin(), max_connections_);
    co_return fail(std::move(error));
  }
  // From here on the slot is owned by a Lease (or returned on failure).
  for (;;) {
    std::unique_ptr<Connection> idle;
    {
      const std::lock_guard lock(idle_mutex_);
      if (idle_.empty()) break;
      idle = std::move(idle_.back());
      idle_.pop_back();
    }
    if (idle->usable_for_reuse()) co_return Lease(self, std::move(idle), true);
    idle->close();
  }
  auto fresh = std::make_unique<Connection>(executor_, tls_.get());
  auto connected = co_await fresh->connect(endpoint_, deadlines);
  if (!connected) {
    slots_->release();
    co_return fail(std::move(connected).error());
  }
  opened_.fetch_add(1, std::memory_order_relaxed);
  co_return Lease(self, std::move(fresh), false);
}

void ConnectionPool::give_back(std::unique_ptr<Connection> connection) noexcept {
  if (connection && connection->reusable()) {
    const std::lock_guard lock(idle_mutex_);
    if (!shut_down_) idle_.push_back(std::move(connection));
  }
  if (connection) connection->close();
  slots_->release();
}

std::size_t ConnectionPool::idle_connections() const {
  const std::lock_guard lock(idle_mutex_);
  return idle_.size();
}

void ConnectionPool::close_idle() {
  std::vector<std::unique_ptr<Connection>> closing;
  {
    const std::lock_guard lock(idle_mutex_);
    closing.swap(idle_);
  }
  for (auto& connection : closing) connection->close();
}

void ConnectionPool::shut_down() {
  {
    const std::lock_guard lock(idle_mutex_);
    shut_down_ = true;
  }
  close_idle();
}

}  // namespace dvidxfer::engine
