// HostileServer: a loopback TCP server playing a DVID gone bad, to prove that a client fails
// cleanly, promptly and within bounded memory whatever the server does. A test's script picks
// each request's reply: an honest one, or one misbehaviour (a lying Content-Length, an endless or
// oversized body, a body dripped a byte at a time, silence). Requests the script leaves alone get
// the honest answers a NodeService needs before its real call (node status, instance info).
// One thread per connection; the destructor wakes every hang and joins them all.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace dvidxfer::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;  // as sent: path and query
  std::string body;
  // The target without its query.
  std::string_view path() const;
  // Whether path() ends with `suffix` (e.g. "/info").
  bool path_ends_with(std::string_view suffix) const;
};

// How a reply's body is delimited.
enum class Framing {
  content_length,   // Content-Length: the truth, or HostileReply::announced_length when set
  chunked,          // Transfer-Encoding: chunked, one chunk per repetition of the body
  close_delimited,  // no length at all: the body ends when the server closes
};

// What the server does once the reply is written.
enum class Ending {
  keep_alive,  // reads the next request on the same connection
  close,       // closes the connection
  hang,        // keeps the connection open and silent until the server is destroyed
};

struct HostileReply {
  unsigned status = 200;
  std::string content_type = "application/octet-stream";
  std::string body;               // one repetition of the body
  std::uint64_t repetitions = 1;  // how many times the body is sent; 0: until the client leaves
  Framing framing = Framing::content_length;
  std::optional<std::uint64_t> announced_length;  // a lying Content-Length, when set
  Ending ending = Ending::keep_alive;
  // When positive, the whole reply (status line included) goes out one byte per interval.
  std::chrono::milliseconds byte_interval{0};
  bool silent = false;  // read the request, never answer, keep the connection open
};

// nullopt: the honest answer (see HostileServer).
using HostileScript = std::function<std::optional<HostileReply>(const ReceivedRequest&)>;

class HostileServer {
 public:
  // Listens on 127.0.0.1, port 0. Honest answers: a path ending in /status gets 200 (the node
  // exists), one ending in /info an instance's info with cubic blocks of `block_size` voxels;
  // anything else 404.
  explicit HostileServer(HostileScript script, int block_size = 32);
  ~HostileServer();
  HostileServer(const HostileServer&) = delete;
  HostileServer& operator=(const HostileServer&) = delete;

  // "127.0.0.1:<port>", as NodeService takes it.
  std::string address() const;
  // Bytes written so far by replies the script chose, headers included (honest ones not counted).
  std::uint64_t hostile_bytes_sent() const noexcept { return hostile_bytes_sent_.load(); }
  // Requests answered (or left unanswered) by the script's choice.
  int hostile_replies() const noexcept { return hostile_replies_.load(); }

 private:
  void accept_loop();
  void serve_connection(int fd);
  std::optional<ReceivedRequest> read_request(int fd, std::string& pending);
  // Writes the reply; false when the connection is done (closed, hung up on, or stopping).
  bool send_reply(int fd, const HostileReply& reply, bool hostile);
  bool send_all(int fd, std::string_view bytes, std::chrono::milliseconds byte_interval,
                bool hostile);
  // Reads and drops whatever the client sends until it leaves or the server stops.
  void linger(int fd);
  // Sleeps for `duration` or until the server stops; false when it stops.
  bool pause(std::chrono::milliseconds duration);
  bool stopping() const noexcept { return stopping_.load(); }
  HostileReply honest_reply(const ReceivedRequest& request) const;

  HostileScript script_;
  int block_size_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> hostile_bytes_sent_{0};
  std::atomic<int> hostile_replies_{0};
  std::mutex mutex_;  // guards the stop wait and the connection threads
  std::condition_variable stopped_;
  std::vector<std::thread> connections_;
  std::thread acceptor_;
};

}  // namespace dvidxfer::testing
