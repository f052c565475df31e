// ConnectionPool: up to `max_connections` keep-alive connections to one server. Its decisions
// (reuse, open or wait; which idle connections are stale; who gets a connection handed back) are
// PoolState's; the pool carries them out: it opens and closes sockets and parks waiters on timers.
// A Lease gives the connection back when it goes out of scope: kept if the exchange left it
// reusable, closed otherwise. Thread-safe; owned through shared_ptr (leases hold it).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>

#include "dvidxfer/engine/connection.hpp"
#include "dvidxfer/engine/pool_state.hpp"

namespace dvidxfer::engine {

class ConnectionPool : public std::enable_shared_from_this<ConnectionPool> {
 public:
  class Lease {
   public:
    Lease() = default;
    Lease(std::shared_ptr<ConnectionPool> pool, std::unique_ptr<Connection> connection,
          bool reused);
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept;
    ~Lease();

    Connection& connection() noexcept { return *connection_; }
    // True when the connection had served earlier requests (it may have gone stale).
    bool reused() const noexcept { return reused_; }

   private:
    void give_back() noexcept;
    std::shared_ptr<ConnectionPool> pool_;
    std::unique_ptr<Connection> connection_;
    bool reused_ = false;
  };

  // `tls`: the TLS settings for an https endpoint (required then, ignored otherwise).
  static std::shared_ptr<ConnectionPool> create(boost::asio::any_io_executor executor,
                                                Endpoint endpoint, PoolSettings settings,
                                                std::shared_ptr<boost::asio::ssl::context> tls);

  // A connection to send on: an idle one that is not stale, or (with `fresh`, or when none is
  // idle) a new one connected within deadlines.connect, after waiting in line for a free slot
  // until deadlines.total. Errors (method and URL empty): connect or tls from connecting, timeout
  // when no slot came free in time, cancelled when a per-operation cancellation ended the wait.
  // Resumes on the caller's executor.
  boost::asio::awaitable<TransferResult<Lease>> acquire(ExchangeDeadlines deadlines,
                                                        bool fresh = false);

  const Endpoint& endpoint() const noexcept { return endpoint_; }
  std::size_t max_connections() const noexcept { return max_connections_; }
  std::size_t idle_connections() const;
  std::uint64_t connections_opened() const noexcept { return opened_.load(); }

  // Closes idle connections. Leased ones close when their leases end.
  void close_idle();
  // close_idle(), and from now on close connections handed back instead of keeping them.
  void shut_down();

 private:
  struct Waiter;
  using State = PoolState<std::unique_ptr<Connection>, std::shared_ptr<Waiter>>;

  ConnectionPool(boost::asio::any_io_executor executor, Endpoint endpoint, PoolSettings settings,
                 std::shared_ptr<boost::asio::ssl::context> tls);
  void give_back(std::unique_ptr<Connection> connection) noexcept;
  // Parks `waiter` until a Grant or its deadline; nullopt on deadline or cancellation.
  boost::asio::awaitable<std::optional<std::unique_ptr<Connection>>> wait_for_grant(
      std::shared_ptr<Waiter> waiter);

  boost::asio::any_io_executor executor_;
  // Serialises each waiter's timer between its wait and the cancel that wakes it.
  boost::asio::strand<boost::asio::any_io_executor> waiters_strand_;
  Endpoint endpoint_;
  std::size_t max_connections_;
  std::shared_ptr<boost::asio::ssl::context> tls_;  // null for plain http
  mutable std::mutex mutex_;                        // guards state_ and every Waiter's grant
  State state_;
  std::atomic<std::uint64_t> opened_{0};
};

}  // namespace dvidxfer::engine
