// The handlers' view (HttpRequest) of a request Beast has parsed: the target split into decoded
// path and query, header names lower-cased. Shared by the listener and the request fuzzer.
#pragma once

#include <boost/beast/http/message.hpp>

#include <optional>
#include <string>

#include "transport/http_exchange.hpp"
#include "transport/received_string_body.hpp"

namespace dvidxfer::server {

// Moves the body out of `message`. Returns nullopt when the target holds a malformed escape (the
// request deserves a 400).
std::optional<HttpRequest> to_http_request(boost::beast::http::request<ReceivedStringBody>& message,
                                           std::string remote_address);

}  // namespace dvidxfer::server
