// The TLS settings of a client: certificates verified against the system's trust store (and a CA
// file when given), TLS 1.2 at least. Host name checks and SNI are per connection (connection.cpp).
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

#include "dvidxfer/common/result.hpp"

namespace dvidxfer::engine {

// A client context that verifies peers against the system trust store plus `ca_file` (PEM) when
// not empty; an error naming the file when it cannot be loaded.
Result<std::shared_ptr<boost::asio::ssl::context>, std::string> make_tls_client_context(
    const std::string& ca_file);

}  // namespace dvidxfer::engine
