// The status line and header block the transport sends for an HttpResponse. The transport owns
// the framing: it always sends an explicit Content-Length (none for 1xx and 204, which carry no
// body) and drops framing headers a handler set, except an explicit Content-Length on a HEAD
// answer, which tells the size GET would send without building the body.
#pragma once

#include <string>

#include "transport/http_exchange.hpp"

namespace dvidxfer::server {

// Whether a response with this status may carry a body at all.
bool status_allows_body(unsigned status);

// "HTTP/1.1 <status> <reason>\r\n...\r\n\r\n". `close` adds "Connection: close".
std::string format_response_head(const HttpResponse& response, bool head_request, bool close);

}  // namespace dvidxfer::server
