// What a data instance's handler gets: the request, already routed to its node and version.
#pragma once

#include <string>
#include <vector>

#include "dvid/throttle.hpp"
#include "store/versioned_store.hpp"
#include "transport/http_exchange.hpp"

namespace dvidxfer::server {

class RepoRegistry;

struct InstanceRequest {
  const HttpRequest& http;
  // Path segments after "/api/": "node", uuid, data name, keyword, then the keyword's arguments.
  std::vector<std::string> parts;
  std::string uuid;                 // the node the URL named, resolved
  VersionId version = 0;            // where writes go: the node, or the root when unversioned
  std::vector<VersionId> ancestry;  // what reads see, nearest first
  VersionedStore& store;
  RepoRegistry& registry;
  Throttle& throttle;

  const std::string& keyword() const { return parts[3]; }
};

}  // namespace dvidxfer::server
