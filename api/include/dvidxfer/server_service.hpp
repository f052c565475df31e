// ServerService: calls about a DVID server as a whole (not one version node).
// Thread-safe: share one instance between threads; copies share connections.
#pragma once

#include <future>
#include <memory>
#include <string>

#include "dvidxfer/client_options.hpp"
#include "dvidxfer/json_document.hpp"

namespace dvidxfer {

namespace api {
class ClientCore;
}

class ServerService {
 public:
  // Connects to `web_addr` ("host:port" or "http://host:port") and checks it answers
  // GET /api/server/info. Throws ArgumentError for a bad address, TransportError when nothing
  // answers within options.connect_timeout, HttpError when the server refuses.
  explicit ServerService(const std::string& web_addr, std::string user = "anonymous",
                         std::string app = "dvidxfer", ClientOptions options = {});

  // Creates a repo (POST /api/repos) and returns its root uuid. `admin_token` is sent as
  // ?admintoken= when not empty (newer DVIDs require it). Throws HttpError with DVID's reason.
  std::string create_new_repo(const std::string& alias, const std::string& description,
                              const std::string& admin_token = "");
  std::future<std::string> create_new_repo_async(std::string alias, std::string description,
                                                 std::string admin_token = "");

  // GET /api/server/info: DVID's description of itself (all values are strings).
  JsonDocument get_server_info();
  std::future<JsonDocument> get_server_info_async();

  // "http://host:port" of the server.
  std::string get_addr() const;

 private:
  std::shared_ptr<api::ClientCore> core_;
};

}  // namespace dvidxfer
