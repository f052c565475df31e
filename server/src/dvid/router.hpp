// Router: DVID's HTTP semantics over the versioned in-memory store. It resolves UUIDs, checks
// locks and instances in DVID's order (dvid-api.md §1.1) and dispatches to the handlers.
#pragma once

#include <memory>
#include <string>

#include "transport/http_exchange.hpp"

namespace dvidxfer::server {

struct DvidSettings {
  std::string admin_token;  // empty: repo creation needs no token
  int throttle_limit = 1;   // DVID's maximum number of concurrent throttled operations
};

class Router final : public RequestHandler {
 public:
  explicit Router(DvidSettings settings);
  ~Router() override;

  HttpResponse handle(const HttpRequest& request) override;

  void set_throttle_limit(int limit);
  int throttle_limit() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace dvidxfer::server
