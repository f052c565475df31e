#include "hostile_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace dvidxfer::testing {

namespace {

constexpr int kPollMilliseconds = 20;  // how often blocked loops look at the stop flag

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The Content-Length of a request head (0 when absent).
std::size_t request_body_length(std::string_view head) {
  const auto lower = lowercase(head);
  const auto at = lower.find("\r\ncontent-length:");
  if (at == std::string::npos) return 0;
  return std::stoul(lower.substr(at + 17));
}

const char* reason(unsigned status) {
  switch (status) {
    case 200:
      return "OK";
    case 404:
      return "Not Found";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Whatever";
  }
}

std::string hex(std::size_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[value % 16]);
    value /= 16;
  } while (value != 0);
  return out;
}

}  // namespace

std::string_view ReceivedRequest::path() const {
  const std::string_view whole(target);
  return whole.substr(0, whole.find('?'));
}

bool ReceivedRequest::path_ends_with(std::string_view suffix) const {
  return path().ends_with(suffix);
}

HostileServer::HostileServer(HostileScript script, int block_size)
    : script_(std::move(script)), block_size_(block_size) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (listen_fd_ < 0 ||
      ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listen_fd_, 64) != 0)
    throw std::runtime_error("HostileServer: cannot listen on 127.0.0.1");
  socklen_t length = sizeof address;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

HostileServer::~HostileServer() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stopped_.notify_all();
  acceptor_.join();
  // The acceptor has stopped adding threads.
  for (auto& connection : connections_) connection.join();
  ::close(listen_fd_);
}

std::string HostileServer::address() const {
  return "127.0.0.1:" + std::to_string(port_);
}

void HostileServer::accept_loop() {
  while (!stopping()) {
    pollfd ready{listen_fd_, POLLIN, 0};
    if (::poll(&ready, 1, kPollMilliseconds) <= 0) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    const std::lock_guard lock(mutex_);
    connections_.emplace_back([this, fd] { serve_connection(fd); });
  }
}

void HostileServer::serve_connection(int fd) {
  std::string pending;
  for (;;) {
    auto request = read_request(fd, pending);
    if (!request) break;
    auto chosen = script_(*request);
    const bool hostile = chosen.has_value();
    if (hostile) ++hostile_replies_;
    const HostileReply reply = hostile ? std::move(*chosen) : honest_reply(*request);
    if (reply.silent) {
      linger(fd);
      break;
    }
    if (!send_reply(fd, reply, hostile)) break;
  }
  ::close(fd);
}

std::optional<ReceivedRequest> HostileServer::read_request(int fd, std::string& pending) {
  char piece[65536];
  for (;;) {
    if (const auto head_end = pending.find("\r\n\r\n"); head_end != std::string::npos) {
      const std::string_view head(pending.data(), head_end);
      const auto total = head_end + 4 + request_body_length(head);
      if (pending.size() >= total) {
        ReceivedRequest request;
        const auto method_end = head.find(' ');
        const auto target_end = head.find(' ', method_end + 1);
        request.method = std::string(head.substr(0, method_end));
        request.target = std::string(head.substr(method_end + 1, target_end - method_end - 1));
        request.body = pending.substr(head_end + 4, total - head_end - 4);
        pending.erase(0, total);
        return request;
      }
    }
    if (stopping()) return std::nullopt;
    pollfd ready{fd, POLLIN, 0};
    if (::poll(&ready, 1, kPollMilliseconds) <= 0) continue;
    const auto n = ::recv(fd, piece, sizeof piece, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return std::nullopt;
    if (n > 0) pending.append(piece, static_cast<std::size_t>(n));
  }
}

void HostileServer::linger(int fd) {
  char piece[65536];
  while (!stopping()) {
    pollfd ready{fd, POLLIN, 0};
    if (::poll(&ready, 1, kPollMilliseconds) <= 0) continue;
    const auto n = ::recv(fd, piece, sizeof piece, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return;
  }
}

bool HostileServer::pause(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  return !stopped_.wait_for(lock, duration, [this] { return stopping(); });
}

bool HostileServer::send_all(int fd, std::string_view bytes,
                             std::chrono::milliseconds byte_interval, bool hostile) {
  while (!bytes.empty()) {
    if (stopping()) return false;
    const std::size_t want = byte_interval.count() > 0 ? 1 : bytes.size();
    const auto n = ::send(fd, bytes.data(), want, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno != EAGAIN && errno != EINTR) return false;  // the client left
      pollfd ready{fd, POLLOUT, 0};
      ::poll(&ready, 1, kPollMilliseconds);
      continue;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
    if (hostile) hostile_bytes_sent_ += static_cast<std::uint64_t>(n);
    if (byte_interval.count() > 0 && !bytes.empty() && !pause(byte_interval)) return false;
  }
  return true;
}

bool HostileServer::send_reply(int fd, const HostileReply& reply, bool hostile) {
  std::string head = "HTTP/1.1 " + std::to_string(reply.status) + " " + reason(reply.status) +
                     "\r\nContent-Type: " + reply.content_type + "\r\n";
  switch (reply.framing) {
    case Framing::content_length:
      head +=
          "Content-Length: " +
          std::to_string(reply.announced_length.value_or(reply.body.size() * reply.repetitions)) +
          "\r\n";
      break;
    case Framing::chunked:
      head += "Transfer-Encoding: chunked\r\n";
      break;
    case Framing::close_delimited:
      break;
  }
  if (reply.ending == Ending::close || reply.framing == Framing::close_delimited)
    head += "Connection: close\r\n";
  head += "\r\n";

  const auto interval = reply.byte_interval;
  // Small replies go out in one write, so a client sees head, body and any excess together.
  const bool one_write = reply.framing == Framing::content_length && reply.repetitions == 1;
  if (one_write) {
    if (!send_all(fd, head + reply.body, interval, hostile)) return false;
  } else {
    if (!send_all(fd, head, interval, hostile)) return false;
    const std::string chunk_head = hex(reply.body.size()) + "\r\n";
    for (std::uint64_t i = 0; reply.repetitions == 0 || i < reply.repetitions; ++i) {
      if (reply.framing == Framing::chunked && !send_all(fd, chunk_head, interval, hostile))
        return false;
      if (!send_all(fd, reply.body, interval, hostile)) return false;
      if (reply.framing == Framing::chunked && !send_all(fd, "\r\n", interval, hostile))
        return false;
    }
    if (reply.framing == Framing::chunked && !send_all(fd, "0\r\n\r\n", interval, hostile))
      return false;
  }
  if (reply.ending == Ending::hang) {
    linger(fd);
    return false;
  }
  return reply.ending == Ending::keep_alive && reply.framing != Framing::close_delimited;
}

HostileReply HostileServer::honest_reply(const ReceivedRequest& request) const {
  HostileReply reply;
  reply.content_type = "application/json";
  if (request.path_ends_with("/status")) {
    reply.body = "{}";
  } else if (request.path_ends_with("/info")) {
    // Label calls check the instance's type: an instance named "labels" is a labelblk.
    const auto size = std::to_string(block_size_);
    const char* type = request.path_ends_with("/labels/info") ? "labelblk" : "uint8blk";
    reply.body = std::string(R"({"Base":{"TypeName":")") + type +
                 R"(","Name":"hostile"},"Extended":{"BlockSize":[)" + size + "," + size + "," +
                 size + "]}}";
  } else {
    reply.status = 404;
    reply.content_type = "text/plain";
    reply.body = "no such endpoint on the hostile server";
  }
  return reply;
}

}  // namespace dvidxfer::testing
