// CaptureServer: a one-thread TCP listener on loopback that records each raw request it receives
// and answers with a canned response (or, in silent mode, never answers). It lets client tests
// check the exact bytes a client puts on the wire, and how it copes with a peer that hangs.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace dvidxfer::testing {

class CaptureServer {
 public:
  // `response`: bytes written after each request's headers and Content-Length body were read;
  // empty = accept and read, but never answer.
  explicit CaptureServer(std::string response);
  ~CaptureServer();

  std::uint16_t port() const noexcept { return port_; }
  std::string url() const;
  // Raw requests received so far (request line, headers and body).
  std::vector<std::string> requests() const;
  // Connections accepted so far.
  int connections() const noexcept { return connections_.load(); }

 private:
  void serve();
  void serve_connection(int fd);

  std::string response_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
  std::vector<int> open_fds_;
  std::thread thread_;
};

}  // namespace dvidxfer::testing
