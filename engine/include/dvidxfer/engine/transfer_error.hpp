// TransferError: the engine's one error type. Every failed exchange ends in exactly one of these,
// carrying enough context (method, URL, status, the server's words) for a useful message.
#pragma once

#include <string>

#include "dvidxfer/common/result.hpp"

namespace dvidxfer::engine {

enum class ErrorKind {
  connect,      // could not resolve or connect within the connect deadline
  timeout,      // a deadline (inactivity or total) expired during the exchange
  connection,   // the connection broke: reset, early EOF, truncated body
  protocol,     // the peer sent something that is not valid HTTP/1.1, or an oversized response
  cancelled,    // the caller cancelled
  http_status,  // the server answered with a status the caller treats as failure
  admission,    // an admission authority (resource manager) refused or did not answer in time
  tls,          // the TLS handshake failed: certificate not trusted, wrong host, no TLS on the peer
};

struct TransferError {
  ErrorKind kind = ErrorKind::connection;
  std::string message;            // what happened, in words
  std::string method;             // "GET", "POST", ...
  std::string url;                // full URL of the request
  unsigned status = 0;            // HTTP status when kind == http_status (or the last one seen)
  std::string body_excerpt;       // first bytes of the server's answer, for http_status
  int attempts = 1;               // how many times the request was sent
  bool response_started = false;  // some response bytes had arrived when it failed

  // One line: "<method> <url>: <message> [HTTP status] [after N attempts]: <body excerpt>".
  std::string describe() const;
};

template <class T>
using TransferResult = Result<T, TransferError>;

const char* to_string(ErrorKind kind) noexcept;

// At most `limit` bytes of a body, printable, for error messages.
std::string body_excerpt(std::string_view body, std::size_t limit = 512);

}  // namespace dvidxfer::engine
