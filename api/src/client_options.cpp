#include "dvidxfer/client_options.hpp"

#include <fmt/format.h>

#include "dvidxfer/errors.hpp"

namespace dvidxfer {

void ClientOptions::validate() const {
  const auto require = [](bool ok, const char* field, const std::string& value) {
    if (!ok)
      throw ArgumentError(fmt::format("ClientOptions::{} = {} is out of range", field, value));
  };
  require(max_connections >= 1 && max_connections <= 4096, "max_connections",
          std::to_string(max_connections));
  require(io_threads >= 1 && io_threads <= 256, "io_threads", std::to_string(io_threads));
  require(connect_timeout.count() > 0, "connect_timeout", std::to_string(connect_timeout.count()));
  require(inactivity_timeout.count() > 0, "inactivity_timeout",
          std::to_string(inactivity_timeout.count()));
  require(request_timeout.count() > 0, "request_timeout", std::to_string(request_timeout.count()));
  require(max_attempts >= 1, "max_attempts", std::to_string(max_attempts));
  require(initial_backoff.count() >= 0, "initial_backoff", std::to_string(initial_backoff.count()));
  require(max_backoff >= initial_backoff, "max_backoff", std::to_string(max_backoff.count()));
  require(resource_timeout.count() > 0, "resource_timeout",
          std::to_string(resource_timeout.count()));
  require(max_response_bytes > 0, "max_response_bytes", std::to_string(max_response_bytes));
  // Named, never shown: the token is a secret.
  for (const char c : auth_token)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      throw ArgumentError("ClientOptions::auth_token (or DVID_TOKEN) contains a control character");
}

}  // namespace dvidxfer
