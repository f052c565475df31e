// ConnectionPool: up to `max_connections` keep-alive connections to one server. acquire() waits
// (as a coroutine, under the call's deadline) for a free slot, then hands out an idle connection
// or opens a new one. A Lease gives the connection back when it goes out of scope: kept if the
// exchange left it reusable, closed otherwise. Thread-safe.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "dvidxfer/engine/async_semaphore.hpp"
#include "dvidxfer/engine/connection.hpp"

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
                                                Endpoint endpoint, std::size_t max_connections,
                                                std::shared_ptr<boost::asio::ssl::context> tls);

  // Waits for a slot until deadlines.total, then returns an idle connection or connects a new one
  // (connect errors and the wait's timeout come back as TransferError, method and URL empty).
  boost::asio::awaitable<TransferResult<Lease>> acquire(ExchangeDeadlines deadlines);

  const Endpoint& endpoint() const noexcept { return endpoint_; }
  std::size_t max_connections() const noexcept { return max_connections_; }
  std::size_t idle_connections() const;
  std::uint64_t connections_opened() const noexcept { return opened_.load(); }

  // Closes idle connections. Leased ones close when their leases end.
  void close_idle();
  // close_idle(), and from now on close connections handed back instead of keeping them.
  void shut_down();

 private:
  ConnectionPool(boost::asio::any_io_executor executor, Endpoint endpoint,
                 std::size_t max_connections, std::shared_ptr<boost::asio::ssl::context> tls);
  void give_back(std::unique_ptr<Connection> connection) noexcept;

  boost::asio::any_io_executor executor_;
  Endpoint endpoint_;
  std::size_t max_connections_;
  std::shared_ptr<boost::asio::ssl::context> tls_;  // null for plain http
  std::shared_ptr<AsyncSemaphore> slots_;
  mutable std::mutex idle_mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::atomic<std::uint64_t> opened_{0};
  bool shut_down_ = false;  // guarded by idle_mutex_
};

}  // namespace dvidxfer::engine
