// A RequestHandler for the transport tests, so they exercise HttpListener without DVID semantics:
//   /echo          answers the request body, with X-Method and X-Path headers
//   /bytes?n=N     answers N bytes (a repeating pattern)
//   /empty         answers 200 with an empty body
//   /no-content    answers 204
//   /gate          blocks until open_gate() is called, then answers "opened"
//   /throw         throws std::runtime_error("handler exploded")
// It records every request it handled.
#pragma once

#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

// The server's internal headers are not on the test include path; reach them from here.
#include "transport/http_exchange.hpp"

namespace dvidxfer::testing {

class FakeHandler final : public server::RequestHandler {
 public:
  server::HttpResponse handle(const server::HttpRequest& request) override {
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
    }
    if (request.path == "/echo") {
      auto response = server::HttpResponse::octets(request.body);
      response.headers.emplace_back("X-Method", request.method);
      response.headers.emplace_back("X-Path", request.path);
      return response;
    }
    if (request.path == "/bytes") {
      const auto n = std::stoull(request.query_value("n", "0"));
      std::string body(n, '\0');
      for (std::size_t i = 0; i < n; ++i) body[i] = static_cast<char>('a' + i % 26);
      return server::HttpResponse::octets(std::move(body));
    }
    if (request.path == "/empty") return server::HttpResponse::text(200, "");
    if (request.path == "/no-content") return server::HttpResponse::text(204, "");
    if (request.path == "/gate") {
      gate_entered_.set_value();
      gate_.wait();
      return server::HttpResponse::text(200, "opened");
    }
    if (request.path == "/throw") throw std::runtime_error("handler exploded");
    return server::HttpResponse::text(404, "404 page not found\n");
  }

  std::vector<server::HttpRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::size_t handled() const {
    std::lock_guard lock(mutex_);
    return requests_.size();
  }
  server::HttpRequest last_request() const {
    std::lock_guard lock(mutex_);
    return requests_.empty() ? server::HttpRequest{} : requests_.back();
  }

  // /gate (one use per handler): wait until a request is inside, then let it finish.
  void wait_until_gate_entered() { gate_entered_future_.wait(); }
  void open_gate() { gate_opener_.set_value(); }

 private:
  mutable std::mutex mutex_;
  std::vector<server::HttpRequest> requests_;
  std::promise<void> gate_entered_;
  std::shared_future<void> gate_entered_future_ = gate_entered_.get_future().share();
  std::promise<void> gate_opener_;
  std::shared_future<void> gate_ = gate_opener_.get_future().share();
};

}  // namespace dvidxfer::testing
