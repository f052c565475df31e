// TestResourceManager: a stand-in dvid-resource-manager on loopback (a ZeroMQ REP socket, and an
// XPUB socket on the next port) speaking the Python manager's protocol, with switches to grant at
// once, withhold until the test grants, refuse as too large, or never answer. It records what
// clients ask, hold and release, and which grant topics they subscribe to.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace dvidxfer::testing {

struct ResourceRequestRecord {
  std::uint64_t id = 0;
  std::uint64_t datasize = 0;
  bool read = false;
  std::string resource;
};

class TestResourceManager {
 public:
  enum class Behavior {
    grant,     // {"id": n, "available": true}
    withhold,  // {"id": n, "available": false} until grant_withheld()
    refuse,    // {"id": n, "available": false, "invalid": true}: beyond the maximums
    silent,    // never reads a request, so never answers
  };

  // Binds both ports on 127.0.0.1 and serves on its own thread. Ids start at 1. `reply_padding`
  // adds a string member of that many bytes to every request reply (replies of any length must
  // parse). Throws std::runtime_error when no free port pair is found.
  explicit TestResourceManager(Behavior behavior, std::size_t reply_padding = 0);
  ~TestResourceManager();
  TestResourceManager(const TestResourceManager&) = delete;
  TestResourceManager& operator=(const TestResourceManager&) = delete;

  int port() const noexcept { return port_; }
  // Changes how requests are answered from now on (returns once the serving thread applies it).
  void set_behavior(Behavior behavior);

  // What arrived so far, in order.
  std::vector<ResourceRequestRecord> requests() const;
  std::vector<std::uint64_t> holds() const;
  std::vector<std::uint64_t> releases() const;
  // Requests told to wait and not granted yet.
  std::vector<std::uint64_t> withheld() const;
  // Grants not yet released.
  std::size_t outstanding() const;
  // Protocol violations the Python manager would crash or misbehave on: a hold of an id not
  // announced, a release of an id not granted or already released.
  std::vector<std::string> violations() const;
  // Whether some client currently subscribes to exactly `topic`.
  bool subscribed(const std::string& topic) const;

  // Grants every withheld request: announces "<id> 1" (again every 50 ms, as the Python manager
  // does every 2 s) until its hold arrives.
  void grant_withheld();
  // Publishes `message` once on the grant socket.
  void publish(std::string message);

  // Polls `condition` every few milliseconds until it holds or `timeout` passes; returns it.
  static bool wait_until(const std::function<bool()>& condition,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  struct State;
  void serve();

  int port_ = 0;
  std::unique_ptr<State> state_;
};

}  // namespace dvidxfer::testing
