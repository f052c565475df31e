// An HttpListener on a free loopback port over a FakeHandler and its own FaultInjector.
#pragma once

#include <cstdint>

// The server's internal headers are not on the test include path; reach them from here.
#include "faults/fault_injector.hpp"
#include "transport/http_listener.hpp"
#include "transport_fake_handler.hpp"

namespace dvidxfer::testing {

struct TestListener {
  explicit TestListener(server::ListenerConfig config = {}) : listener(config, handler, faults) {}
  std::uint16_t port() const { return listener.port(); }

  FakeHandler handler;
  server::FaultInjector faults;
  server::HttpListener listener;  // last: stops before the handler and injector go
};

}  // namespace dvidxfer::testing
