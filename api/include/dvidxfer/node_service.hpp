// NodeService: the calls of libdvid-cpp's DVIDNodeService on one version node (uuid) of a DVID
// server, with the seed's names, argument order and defaults. Every call has a blocking form and
// a future-returning `_async` form.
//
// Thread safety: one NodeService may be shared by any number of threads; calls run concurrently
// over a pool of keep-alive connections (ClientOptions::max_connections). Copies share the pool.
// Destroying the last copy abandons calls still in flight (their futures throw broken_promise).
//
// Errors: ArgumentError before anything is sent for bad input; HttpError (status, method, URL,
// the server's words) when DVID refuses; TransportError when it cannot be reached or the
// connection fails beyond the retry policy; DecodeError when an answer cannot be decoded.
#pragma once

#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dvidxfer/client_options.hpp"
#include "dvidxfer/json_document.hpp"

namespace dvidxfer {

namespace api {
class ClientCore;
}

// HTTP verbs for custom_request, as libdvid's ConnectionMethod.
enum class ConnectionMethod { HEAD, GET, POST, PUT, DELETE };

class NodeService {
 public:
  // Connects to `web_addr` and checks that node `uuid` exists (a full uuid, a unique prefix, or
  // "uuid:branch"); throws HttpError naming server and uuid when DVID does not know it.
  // `user` and `app` are sent as u= and app= on every request. resource_server/resource_port
  // name a dvid-resource-manager; it is not supported yet and a non-empty name throws ArgumentError.
  NodeService(const std::string& web_addr, std::string uuid, std::string user = "anonymous",
              std::string app = "dvidxfer", const std::string& resource_server = "",
              int resource_port = 0, ClientOptions options = {});

  const std::string& get_uuid() const noexcept { return uuid_; }

  // ---- key-value -----------------------------------------------------------------------------
  // Creates a keyvalue instance. True if created, false if an instance of that name existed.
  bool create_keyvalue(const std::string& instance_name);
  std::future<bool> create_keyvalue_async(std::string instance_name);

  // Stores `value` at `key` (overwriting at this node). Keys must be non-empty and must not
  // contain '/', which DVID cannot address.
  void put(const std::string& instance_name, const std::string& key, std::string_view value);
  std::future<void> put_async(std::string instance_name, std::string key, std::string value);

  // The bytes stored at `key`; HttpError 404 when the key does not exist.
  std::string get(const std::string& instance_name, const std::string& key);
  std::future<std::string> get_async(std::string instance_name, std::string key);

  // The value at `key` parsed as JSON; DecodeError when it is not valid JSON.
  JsonDocument get_json(const std::string& instance_name, const std::string& key);
  std::future<JsonDocument> get_json_async(std::string instance_name, std::string key);

  // All keys of the instance, in DVID's (byte) order.
  std::vector<std::string> get_keys(const std::string& instance_name);
  std::future<std::vector<std::string>> get_keys_async(std::string instance_name);

  // ---- general -------------------------------------------------------------------------------
  // The instance's metadata (GET .../info).
  JsonDocument get_typeinfo(const std::string& instance_name);
  std::future<JsonDocument> get_typeinfo_async(std::string instance_name);

  // `method` on /api/node/<uuid><endpoint> (a leading '/' is added if missing; a query in the
  // endpoint is kept) with `payload` as body; returns the answer's body for any 2xx status.
  // `compress`: the payload is sent lz4-compressed and the answer lz4-decompressed, with
  // compression=lz4 in the query, as libdvid does. `datasize` is for a resource manager.
  std::string custom_request(const std::string& endpoint, std::string_view payload,
                             ConnectionMethod method, bool compress = false,
                             std::uint64_t datasize = 1);
  std::future<std::string> custom_request_async(std::string endpoint, std::string payload,
                                                ConnectionMethod method, bool compress = false,
                                                std::uint64_t datasize = 1);

 private:
  std::shared_ptr<api::ClientCore> core_;
  std::string uuid_;
};

}  // namespace dvidxfer
