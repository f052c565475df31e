#include "resource_manager_worker.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <zmq.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <system_error>

#include "dvidxfer/common/log.hpp"
#include "dvidxfer/engine/resource_manager_protocol.hpp"

namespace dvidxfer::engine {

namespace {

using Clock = std::chrono::steady_clock;

// How long a shutting-down client keeps listening for grants of requests it no longer wants.
constexpr std::chrono::milliseconds kShutdownGrace{2000};

TransferError admission_error(std::string message) {
  TransferError error;
  error.kind = ErrorKind::admission;
  error.message = std::move(message);
  return error;
}

struct ContextCloser {
  void operator()(void* context) const noexcept { zmq_ctx_term(context); }
};
struct SocketCloser {
  void operator()(void* socket) const noexcept { zmq_close(socket); }
};
using ZmqContext = std::unique_ptr<void, ContextCloser>;
using ZmqSocket = std::unique_ptr<void, SocketCloser>;

// The first frame of the next message (later frames are read and dropped), or nothing when no
// message is ready.
std::optional<std::string> receive(void* socket) {
  zmq_msg_t frame;
  zmq_msg_init(&frame);
  if (zmq_msg_recv(&frame, socket, ZMQ_DONTWAIT) < 0) {
    zmq_msg_close(&frame);
    return std::nullopt;
  }
  std::string first(static_cast<const char*>(zmq_msg_data(&frame)), zmq_msg_size(&frame));
  bool more = zmq_msg_more(&frame);
  zmq_msg_close(&frame);
  while (more) {
    zmq_msg_init(&frame);
    more = zmq_msg_recv(&frame, socket, ZMQ_DONTWAIT) >= 0 && zmq_msg_more(&frame);
    zmq_msg_close(&frame);
  }
  return first;
}

long milliseconds_until(Clock::time_point deadline, Clock::time_point now) {
  if (deadline <= now) return 0;
  return static_cast<long>(
             std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) +
         1;
}

}  // namespace

// Everything the thread owns: the sockets and the state of every admission it has not finished.
class ResourceManagerWorker::Session {
 public:
  Session(std::string address, std::string grants_address, std::chrono::milliseconds timeout)
      : address_(std::move(address)),
        grants_address_(std::move(grants_address)),
        timeout_(timeout),
        context_(zmq_ctx_new()) {
    if (!context_)
      throw std::runtime_error(fmt::format("cannot start ZeroMQ: {}", zmq_strerror(zmq_errno())));
    requests_socket_ = open_socket(ZMQ_REQ, address_);
    grants_socket_ = open_socket(ZMQ_SUB, grants_address_);
  }

  void admit(Admission admission) {
    Exchange exchange;
    exchange.kind = Exchange::Kind::request;
    exchange.request = std::move(admission.request);
    exchange.waiter = std::move(admission.waiter);
    exchange.deadline = admission.deadline;
    queued_requests_.push_back(std::move(exchange));
  }

  void release(std::uint64_t id) {
    if (granted_.erase(id) == 0) return;
    Exchange exchange;
    exchange.kind = Exchange::Kind::release;
    exchange.id = id;
    queued_returns_.push_back(std::move(exchange));
  }

  // Sends the next exchange if the REQ socket is free, then waits for a reply, a grant
  // announcement, a wake-up on `wake_fd`, the nearest deadline or `wake_by`, and handles what came.
  void turn(int wake_fd, std::optional<Clock::time_point> wake_by = std::nullopt) {
    start_next_exchange();
    zmq_pollitem_t items[3] = {};
    int count = 0;
    items[count++] = {nullptr, wake_fd, ZMQ_POLLIN, 0};
    const int reply_item = in_flight_ ? count++ : -1;
    if (reply_item >= 0) items[reply_item] = {requests_socket_.get(), 0, ZMQ_POLLIN, 0};
    const bool listening = !waiting_.empty() || !abandoned_.empty();
    const int grant_item = listening ? count++ : -1;
    if (grant_item >= 0) items[grant_item] = {grants_socket_.get(), 0, ZMQ_POLLIN, 0};

    if (zmq_poll(items, count, poll_timeout(wake_by)) < 0) return;  // EINTR: the next turn retries
    if (items[0].revents & ZMQ_POLLIN) drain(wake_fd);
    if (reply_item >= 0 && (items[reply_item].revents & ZMQ_POLLIN)) {
      if (auto reply = receive(requests_socket_.get())) on_reply(*reply);
    }
    if (grant_item >= 0 && (items[grant_item].revents & ZMQ_POLLIN)) {
      while (auto announcement = receive(grants_socket_.get())) on_announcement(*announcement);
    }
    expire(Clock::now());
  }

  // Fails every admission not yet finished and gives back the grants still out, for at most one
  // timeout, stopping at the first exchange the manager leaves unanswered. Requests still queued
  // at the manager cannot be cancelled, but our own releases usually make it grant them at once:
  // for a short grace those grants are taken and given back too, or they would hold its quota.
  void finish(int wake_fd) {
    stopping_ = true;
    manager_silent_ = false;
    for (auto& exchange : queued_requests_) fail(exchange.waiter, "the client shut down");
    queued_requests_.clear();
    for (auto& [id, waiting] : waiting_) {
      fail(waiting.waiter, "the client shut down");
      abandoned_.insert(id);
    }
    waiting_.clear();
    for (auto& exchange : queued_returns_) fail(exchange.waiter, "the client shut down");
    for (const auto id : std::set<std::uint64_t>(granted_)) release(id);
    const auto start = Clock::now();
    const auto give_up = start + timeout_;
    const auto grace_end = start + std::min<std::chrono::milliseconds>(timeout_, kShutdownGrace);
    for (auto now = start; !manager_silent_ && now < give_up; now = Clock::now()) {
      const bool returning = in_flight_ || !queued_returns_.empty();
      const bool expecting_grants = !abandoned_.empty() && now < grace_end;
      if (!returning && !expecting_grants) break;
      turn(wake_fd, returning ? give_up : grace_end);
    }
  }

 private:
  struct Exchange {
    enum class Kind { request, hold, release };
    Kind kind = Kind::request;
    std::uint64_t id = 0;                     // hold, release
    AdmissionRequest request;                 // request
    std::unique_ptr<AdmissionWaiter> waiter;  // request; hold unless the grant was abandoned
    Clock::time_point deadline;               // queued request: to be sent; then: to be answered
  };
  struct Waiting {
    std::unique_ptr<AdmissionWaiter> waiter;
    Clock::time_point deadline;
  };

  ZmqSocket open_socket(int type, const std::string& address) {
    ZmqSocket socket(zmq_socket(context_.get(), type));
    if (!socket)
      throw std::runtime_error(
          fmt::format("cannot open a ZeroMQ socket: {}", zmq_strerror(zmq_errno())));
    const int no_linger = 0;  // unsent messages are abandoned deliberately, never waited for
    zmq_setsockopt(socket.get(), ZMQ_LINGER, &no_linger, sizeof no_linger);
    if (zmq_connect(socket.get(), address.c_str()) != 0)
      throw std::invalid_argument(fmt::format("cannot connect to the resource manager at {}: {}",
                                              address, zmq_strerror(zmq_errno())));
    return socket;
  }

  void fail(std::unique_ptr<AdmissionWaiter>& waiter, const std::string& why) {
    if (!waiter) return;
    waiter->finish(
        dvidxfer::fail(admission_error(fmt::format("resource manager {}: {}", address_, why))));
    waiter.reset();
  }

  // Holds and releases go first: they give the manager back capacity others wait for.
  void start_next_exchange() {
    while (!in_flight_ && (!queued_returns_.empty() || !queued_requests_.empty())) {
      auto& queue = queued_returns_.empty() ? queued_requests_ : queued_returns_;
      Exchange exchange = std::move(queue.front());
      queue.pop_front();
      const auto now = Clock::now();
      if (!broken_.empty()) {
        fail(exchange.waiter, broken_);
        continue;
      }
      if (exchange.kind == Exchange::Kind::request && exchange.deadline <= now) {
        fail(exchange.waiter, fmt::format("no turn to ask within {} ms (waiting to send a {})",
                                          timeout_.count(), describe(exchange)));
        continue;
      }
      exchange.deadline = now + timeout_;  // a reply abandoned early could be a grant lost
      const std::string message = exchange.kind == Exchange::Kind::request
                                      ? resource_manager::request_message(exchange.request)
                                  : exchange.kind == Exchange::Kind::hold
                                      ? resource_manager::hold_message(exchange.id)
                                      : resource_manager::release_message(exchange.id);
      in_flight_ = std::move(exchange);
      if (zmq_send(requests_socket_.get(), message.data(), message.size(), ZMQ_DONTWAIT) < 0)
        on_timeout();  // the socket cannot take it: as good as unanswered
    }
  }

  std::string describe(const Exchange& exchange) const {
    switch (exchange.kind) {
      case Exchange::Kind::request:
        return fmt::format("{} request for {} bytes of {}",
                           exchange.request.read ? "read" : "write",
                           resource_manager::datasize(exchange.request), exchange.request.resource);
      case Exchange::Kind::hold:
        return fmt::format("hold of grant {}", exchange.id);
      case Exchange::Kind::release:
        return fmt::format("release of grant {}", exchange.id);
    }
    return {};
  }

  void on_reply(std::string_view reply) {
    Exchange exchange = std::move(*in_flight_);
    in_flight_.reset();
    switch (exchange.kind) {
      case Exchange::Kind::request:
        return on_request_reply(std::move(exchange), reply);
      case Exchange::Kind::hold:
        granted_.insert(exchange.id);
        if (exchange.waiter && !stopping_) {
          exchange.waiter->finish(exchange.id);
        } else {
          fail(exchange.waiter, "the client shut down");
          release(exchange.id);
        }
        return;
      case Exchange::Kind::release:
        return;
    }
  }

  void on_request_reply(Exchange exchange, std::string_view reply) {
    auto parsed = resource_manager::parse_request_reply(reply);
    if (!parsed)
      return fail(exchange.waiter,
                  fmt::format("{} (answering a {})", parsed.error(), describe(exchange)));
    const auto answer = parsed.value();
    if (answer.invalid)
      return fail(exchange.waiter,
                  fmt::format("a {} exceeds the manager's configured maximums and can never be "
                              "granted",
                              describe(exchange)));
    if (answer.available) {
      granted_.insert(answer.id);
      if (!stopping_) return exchange.waiter->finish(answer.id);
      fail(exchange.waiter, "the client shut down");
      return release(answer.id);
    }
    if (stopping_) return fail(exchange.waiter, "the client shut down");
    // Subscriptions match prefixes ("1" also hears "11 1"); on_announcement compares whole ids.
    const std::string topic = std::to_string(answer.id);
    zmq_setsockopt(grants_socket_.get(), ZMQ_SUBSCRIBE, topic.data(), topic.size());
    waiting_[answer.id] = {std::move(exchange.waiter), Clock::now() + timeout_};
  }

  void on_announcement(std::string_view announcement) {
    const auto id = resource_manager::announced_id(announcement);
    if (!id) return;
    Exchange hold;
    hold.kind = Exchange::Kind::hold;
    hold.id = *id;
    if (auto waiting = waiting_.find(*id); waiting != waiting_.end()) {
      hold.waiter = std::move(waiting->second.waiter);
      waiting_.erase(waiting);
    } else if (abandoned_.erase(*id) == 0) {
      return;  // someone else's grant, or a repeat of one already taken
    }
    const std::string topic = std::to_string(*id);
    zmq_setsockopt(grants_socket_.get(), ZMQ_UNSUBSCRIBE, topic.data(), topic.size());
    queued_returns_.push_back(std::move(hold));
  }

  void expire(Clock::time_point now) {
    if (in_flight_ && in_flight_->deadline <= now) on_timeout();
    for (auto it = waiting_.begin(); it != waiting_.end();) {
      if (it->second.deadline > now) {
        ++it;
        continue;
      }
      fail(it->second.waiter, fmt::format("no grant for request {} announced on {} within {} ms",
                                          it->first, grants_address_, timeout_.count()));
      // The grant may still come; it is then taken and given straight back.
      abandoned_.insert(it->first);
      it = waiting_.erase(it);
    }
  }

  // A REQ socket that sent without a reply can never send again: replace it.
  void on_timeout() {
    Exchange exchange = std::move(*in_flight_);
    in_flight_.reset();
    manager_silent_ = true;
    requests_socket_.reset();
    try {
      requests_socket_ = open_socket(ZMQ_REQ, address_);
    } catch (const std::exception& e) {
      broken_ = e.what();
    }
    const std::string silence =
        fmt::format("no answer within {} ms to a {}", timeout_.count(), describe(exchange));
    switch (exchange.kind) {
      case Exchange::Kind::request:
        return fail(exchange.waiter, silence);
      case Exchange::Kind::hold:
        // The grant was announced, so it is ours whether or not the hold arrived: give it back.
        fail(exchange.waiter, silence);
        granted_.insert(exchange.id);
        return release(exchange.id);
      case Exchange::Kind::release:
        log::warn("resource manager {}: {}; its share may stay taken", address_, silence);
        return;
    }
  }

  long poll_timeout(std::optional<Clock::time_point> nearest) const {
    const auto consider = [&](Clock::time_point deadline) {
      if (!nearest || deadline < *nearest) nearest = deadline;
    };
    if (in_flight_) consider(in_flight_->deadline);
    for (const auto& [id, waiting] : waiting_) consider(waiting.deadline);
    return nearest ? milliseconds_until(*nearest, Clock::now()) : -1;
  }

  static void drain(int fd) {
    char buffer[64];
    while (::read(fd, buffer, sizeof buffer) > 0) {
    }
  }

  std::string address_;
  std::string grants_address_;
  std::chrono::milliseconds timeout_;
  ZmqContext context_;  // declared before the sockets: closed after them
  ZmqSocket requests_socket_;
  ZmqSocket grants_socket_;

  std::deque<Exchange> queued_returns_;       // holds and releases
  std::deque<Exchange> queued_requests_;      // requests, oldest first
  std::optional<Exchange> in_flight_;         // the one exchange on the REQ socket
  std::map<std::uint64_t, Waiting> waiting_;  // told to wait: listening for their id
  std::set<std::uint64_t> abandoned_;  // waited in vain: a late grant is taken and given back
  std::set<std::uint64_t> granted_;    // granted and not yet released
  bool stopping_ = false;
  bool manager_silent_ = false;  // an exchange went unanswered since finish() began
  std::string broken_;           // why no REQ socket could be reopened: every exchange fails
};

ResourceManagerWorker::ResourceManagerWorker(const std::string& host, int port,
                                             std::chrono::milliseconds timeout)
    : address_(fmt::format("tcp://{}:{}", host, port)), timeout_(timeout) {
  int fds[2];
  if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0)
    throw std::system_error(errno, std::generic_category(), "cannot create a wake-up pipe");
  wake_read_fd_ = fds[0];
  wake_write_fd_ = fds[1];
  try {
    session_ =
        std::make_unique<Session>(address_, fmt::format("tcp://{}:{}", host, port + 1), timeout_);
  } catch (...) {
    ::close(wake_read_fd_);
    ::close(wake_write_fd_);
    throw;
  }
  thread_ = std::thread([this] { run(); });
}

ResourceManagerWorker::~ResourceManagerWorker() {
  stop();
  ::close(wake_read_fd_);
  ::close(wake_write_fd_);
}

void ResourceManagerWorker::admit(AdmissionRequest request,
                                  std::unique_ptr<AdmissionWaiter> waiter) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      admissions_.push_back({std::move(request), std::move(waiter), Clock::now() + timeout_});
      wake();
      return;
    }
  }
  waiter->finish(dvidxfer::fail(
      admission_error(fmt::format("resource manager {}: the client shut down", address_))));
}

void ResourceManagerWorker::release(std::uint64_t id) noexcept {
  std::lock_guard lock(mutex_);
  if (stopping_) return;  // stop() gave back every grant still out
  try {
    releases_.push_back(id);
  } catch (const std::bad_alloc&) {
    log::warn("resource manager {}: out of memory; grant {} stays taken", address_, id);
    return;
  }
  wake();
}

void ResourceManagerWorker::stop() noexcept {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake();
  }
  if (thread_.joinable()) thread_.join();
  session_.reset();
}

void ResourceManagerWorker::wake() noexcept {
  const char byte = 1;
  // A full pipe already holds a wake-up; nothing is lost by dropping this one.
  [[maybe_unused]] const auto written = ::write(wake_write_fd_, &byte, 1);
}

void ResourceManagerWorker::run() {
  for (;;) {
    std::deque<Admission> admissions;
    std::vector<std::uint64_t> releases;
    bool stopping = false;
    {
      std::lock_guard lock(mutex_);
      admissions.swap(admissions_);
      releases.swap(releases_);
      stopping = stopping_;
    }
    for (const auto id : releases) session_->release(id);
    for (auto& admission : admissions) session_->admit(std::move(admission));
    if (stopping) break;
    session_->turn(wake_read_fd_);
  }
  session_->finish(wake_read_fd_);
}

}  // namespace dvidxfer::engine
