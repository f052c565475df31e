// Everything the server-, repo- and node-level handlers share: the registries, the store and
// the throttle, owned by the Router.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "dvid/repo_registry.hpp"
#include "dvid/throttle.hpp"
#include "dvid/type_registry.hpp"
#include "store/versioned_store.hpp"

namespace dvidxfer::server {

struct ServerContext {
  std::string admin_token;  // empty: no admin gating
  TypeRegistry types;
  RepoRegistry registry;
  VersionedStore& store;
  Throttle throttle;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::atomic<int> gc_percent =
      100;  // what POST /api/server/settings {"gc":"N"} reports as the old value
};

}  // namespace dvidxfer::server
