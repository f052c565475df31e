// DVID's error responses. Almost every failure in DVID is a 400 whose body is the message, the
// URL path in parentheses and a period (server/web.go BadRequest), written by Go's http.Error.
#pragma once

#include <stdexcept>
#include <string_view>

#include "transport/http_exchange.hpp"

namespace dvidxfer::server {

// A failure DVID reports with BadRequest: thrown by the registry and the handlers, turned into
// bad_request() by the router.
class DvidError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// 400 "<message> (<path>).\n".
HttpResponse bad_request(const HttpRequest& request, std::string_view message);

// Go's http.Error: `message` and a newline, text/plain, X-Content-Type-Options: nosniff.
HttpResponse http_error(unsigned status, std::string_view message);

// Go's http.NotFound, which goji answers for every path or method it has no route for.
HttpResponse page_not_found();

}  // namespace dvidxfer::server
