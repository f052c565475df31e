#include "capture_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace dvidxfer::testing {

CaptureServer::CaptureServer(std::string response) : response_(std::move(response)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listen_fd_, 64) != 0)
    throw std::runtime_error("CaptureServer: cannot listen on 127.0.0.1");
  socklen_t length = sizeof address;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { serve(); });
}

CaptureServer::~CaptureServer() {
  stopping_ = true;
  thread_.join();
  ::close(listen_fd_);
  for (int fd : open_fds_) ::close(fd);
}

std::string CaptureServer::url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::vector<std::string> CaptureServer::requests() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

void CaptureServer::serve() {
  // One connection at a time is enough for these tests; poll so that stop is prompt.
  while (!stopping_) {
    pollfd ready{listen_fd_, POLLIN, 0};
    if (::poll(&ready, 1, 20) <= 0) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    ++connections_;
    serve_connection(fd);
  }
}

void CaptureServer::serve_connection(int fd) {
  std::string pending;
  char chunk[65536];
  while (!stopping_) {
    pollfd ready{fd, POLLIN, 0};
    if (::poll(&ready, 1, 20) <= 0) continue;
    const auto n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    pending.append(chunk, static_cast<std::size_t>(n));
    for (;;) {
      const auto header_end = pending.find("\r\n\r\n");
      if (header_end == std::string::npos) break;
      std::size_t body_length = 0;
      const auto length_at = pending.find("Content-Length: ");
      if (length_at != std::string::npos && length_at < header_end)
        body_length = std::stoul(pending.substr(length_at + 16));
      const auto total = header_end + 4 + body_length;
      if (pending.size() < total) break;
      {
        const std::lock_guard lock(mutex_);
        requests_.push_back(pending.substr(0, total));
      }
      pending.erase(0, total);
      if (response_.empty()) continue;  // silent: read on, never answer
      ::send(fd, response_.data(), response_.size(), MSG_NOSIGNAL);
    }
  }
  if (stopping_ || response_.empty()) {
    const std::lock_guard lock(mutex_);
    open_fds_.push_back(fd);  // keep it open until destruction: the peer must see no EOF
    return;
  }
  ::close(fd);
}

}  // namespace dvidxfer::testing
