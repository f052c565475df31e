#include "dvidxfer/engine/connection_pool.hpp"

#include <fmt/format.h>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace dvidxfer::engine {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

// One acquire() waiting for a slot. `granted` and `connection` are written under the pool's mutex
// by the release that picks it; the timer is touched only on the pool's waiters strand.
struct ConnectionPool::Waiter {
  explicit Waiter(const asio::any_io_executor& strand) : timer(strand) {}
  asio::steady_timer timer;
  bool granted = false;
  std::unique_ptr<Connection> connection;  // the granted connection; null: open one
};

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
                                                       Endpoint endpoint, PoolSettings settings,
                                                       std::shared_ptr<asio::ssl::context> tls) {
  return std::shared_ptr<ConnectionPool>(
      new ConnectionPool(std::move(executor), std::move(endpoint), settings, std::move(tls)));
}

ConnectionPool::ConnectionPool(asio::any_io_executor executor, Endpoint endpoint,
                               PoolSettings settings, std::shared_ptr<asio::ssl::context> tls)
    : executor_(std::move(executor)),
      waiters_strand_(asio::make_strand(executor_)),
      endpoint_(std::move(endpoint)),
      max_connections_(std::max<std::size_t>(1, settings.max_connections)),
      tls_(endpoint_.tls ? std::move(tls) : nullptr),
      state_(settings) {}

asio::awaitable<TransferResult<ConnectionPool::Lease>> ConnectionPool::acquire(
    ExchangeDeadlines deadlines, bool fresh) {
  auto self = shared_from_this();
  State::Step step;
  {
    const std::lock_guard lock(mutex_);
    step = state_.acquire(
        Clock::now(), deadlines.total, fresh,
        [](const std::unique_ptr<Connection>& idle) { return !idle->usable_for_reuse(); },
        [&] {
          auto waiter = std::make_shared<Waiter>(asio::any_io_executor(waiters_strand_));
          waiter->timer.expires_at(deadlines.total);
          return waiter;
        });
  }
  for (auto& stale : step.to_close) stale->close();
  if (step.action == PoolAction::reuse) co_return Lease(self, std::move(*step.connection), true);

  std::unique_ptr<Connection> granted;
  if (step.action == PoolAction::wait) {
    auto waited = co_await wait_for_grant(std::move(*step.waiter));
    if (!waited)
      step.action = PoolAction::expired;
    else
      granted = std::move(*waited);
  }
  if (step.action == PoolAction::expired) {
    TransferError error;
    const bool late = Clock::now() >= deadlines.total;
    error.kind = late ? ErrorKind::timeout : ErrorKind::cancelled;
    error.message =
        late ? fmt::format("no connection to {} became free before the deadline ({} in use)",
                           endpoint_.origin(), max_connections_)
             : fmt::format("cancelled while waiting for a connection to {}", endpoint_.origin());
    co_return fail(std::move(error));
  }
  // From here on the slot is this call's: a Lease takes it over, or `slot` gives it back however
  // the frame ends (a failed connect, or Asio throwing at the co_await of a cancelled call).
  struct Slot {
    std::shared_ptr<ConnectionPool> pool;
    ~Slot() {
      if (pool) pool->give_back(nullptr);
    }
  } slot{self};
  if (granted && !fresh) {
    slot.pool.reset();
    co_return Lease(self, std::move(granted), true);
  }
  if (granted) granted->close();  // handed an idle connection, but asked for a new one
  auto opening = std::make_unique<Connection>(executor_, tls_.get());
  auto connected = co_await opening->connect(endpoint_, deadlines);
  if (!connected) co_return fail(std::move(connected).error());
  opened_.fetch_add(1, std::memory_order_relaxed);
  slot.pool.reset();
  co_return Lease(self, std::move(opening), false);
}

asio::awaitable<std::optional<std::unique_ptr<Connection>>> ConnectionPool::wait_for_grant(
    std::shared_ptr<Waiter> waiter) {
  // Should this frame end without taking its grant (Asio throws at a co_await once the call is
  // cancelled; a runtime shutting down destroys the frame), the slot must not be lost with it.
  struct Unclaimed {
    std::shared_ptr<ConnectionPool> pool;
    std::shared_ptr<Waiter> waiter;
    ~Unclaimed() {
      if (!pool) return;
      std::unique_ptr<Connection> granted;
      {
        const std::lock_guard lock(pool->mutex_);
        if (!waiter->granted) {
          pool->state_.withdraw(waiter);
          return;
        }
        granted = std::move(waiter->connection);
      }
      pool->give_back(std::move(granted));
    }
  } unclaimed{shared_from_this(), waiter};
  const auto home = co_await asio::this_coro::executor;
  // The wait starts on the strand, so a grant's cancel (posted there) cannot run during it.
  co_await asio::dispatch(asio::bind_executor(waiters_strand_, asio::use_awaitable));
  bool granted = false;
  {
    const std::lock_guard lock(mutex_);
    granted = waiter->granted;
  }
  if (!granted) {
    boost::system::error_code ignored;
    co_await waiter->timer.async_wait(
        asio::bind_executor(home, asio::redirect_error(asio::use_awaitable, ignored)));
  } else {
    co_await asio::post(asio::bind_executor(home, asio::use_awaitable));
  }
  unclaimed.pool.reset();
  const std::lock_guard lock(mutex_);
  // A grant and the dequeue it implies happen under this lock: not granted means still queued.
  if (!waiter->granted) {
    state_.withdraw(waiter);
    co_return std::nullopt;
  }
  co_return std::move(waiter->connection);
}

void ConnectionPool::give_back(std::unique_ptr<Connection> connection) noexcept {
  std::optional<std::unique_ptr<Connection>> reusable;
  if (connection && connection->reusable())
    reusable.emplace(std::move(connection));
  else if (connection)
    connection->close();
  State::Released released;
  {
    const std::lock_guard lock(mutex_);
    released = state_.release(std::move(reusable), Clock::now());
    if (released.grant) {
      auto& waiter = *released.grant->waiter;
      waiter.granted = true;
      if (released.grant->connection) waiter.connection = std::move(*released.grant->connection);
    }
  }
  if (released.to_close) (*released.to_close)->close();
  if (released.grant)
    asio::post(waiters_strand_,
               [waiter = std::move(released.grant->waiter)] { waiter->timer.cancel(); });
}

std::size_t ConnectionPool::idle_connections() const {
  const std::lock_guard lock(mutex_);
  return state_.idle();
}

void ConnectionPool::close_idle() {
  std::vector<std::unique_ptr<Connection>> closing;
  {
    const std::lock_guard lock(mutex_);
    closing = state_.take_idle();
  }
  for (auto& connection : closing) connection->close();
}

void ConnectionPool::shut_down() {
  std::vector<std::unique_ptr<Connection>> closing;
  {
    const std::lock_guard lock(mutex_);
    closing = state_.shut_down();
  }
  for (auto& connection : closing) connection->close();
}

}  // namespace dvidxfer::engine
