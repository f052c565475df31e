// ClientOptions: every limit, timeout and pool size of a client in one value with sane defaults.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace dvidxfer {

struct ClientOptions {
  std::size_t max_connections = 8;  // keep-alive connections (= requests in flight) per server
  unsigned io_threads = 2;          // threads running the client's network I/O
  std::chrono::milliseconds connect_timeout{5000};        // resolve + TCP connect, per attempt
  std::chrono::milliseconds inactivity_timeout{30000};    // longest silence within one exchange
  std::chrono::milliseconds request_timeout{120000};      // a whole call, retries included
  int max_attempts = 10;                                  // per request, the first included
  std::chrono::milliseconds initial_backoff{50};          // first retry wait (jittered)
  std::chrono::milliseconds max_backoff{5000};            // longest single retry wait
  std::size_t max_response_bytes = std::size_t(8) << 30;  // larger answers are refused
  // With a dvid-resource-manager (NodeService's resource_server): the longest wait for each of
  // its answers, a grant included. A request it leaves waiting longer fails with
  // TransportError(admission); raise it when the manager legitimately queues for longer.
  std::chrono::milliseconds resource_timeout{30000};
  // Sent as "Authorization: Bearer <token>" on every request (DVID's DSG auth). When empty, the
  // DVID_TOKEN environment variable is used if set. Never logged nor put in error messages.
  std::string auth_token;
  // For https:// servers: a PEM file of CA certificates to trust besides the system's (e.g. a
  // private CA). Certificates are always verified, host names included.
  std::string tls_ca_file;

  // Checks ranges; throws ArgumentError naming the field.
  void validate() const;
};

}  // namespace dvidxfer
