// The TLS settings of the embedded server: a PEM certificate chain and private key, TLS 1.2 at
// least, no session tickets (nothing to resume; and no ticket left unread in an idle client).
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

namespace dvidxfer::server {

// Throws std::runtime_error naming the file that cannot be loaded, or saying that the key does
// not belong to the certificate.
std::unique_ptr<boost::asio::ssl::context> make_tls_server_context(
    const std::string& certificate_chain_file, const std::string& private_key_file);

}  // namespace dvidxfer::server
