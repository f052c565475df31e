#include "transport/tls_server_context.hpp"

#include <fmt/format.h>
#include <openssl/ssl.h>

#include <stdexcept>

namespace dvidxfer::server {

namespace ssl = boost::asio::ssl;

std::unique_ptr<ssl::context> make_tls_server_context(const std::string& certificate_chain_file,
                                                      const std::string& private_key_file) {
  if (certificate_chain_file.empty() || private_key_file.empty())
    throw std::runtime_error("TLS needs both a certificate file and a private key file");
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::single_dh_use);
  boost::system::error_code ec;
  context->use_certificate_chain_file(certificate_chain_file, ec);
  if (ec)
    throw std::runtime_error(fmt::format("cannot load the TLS certificate '{}': {}",
                                         certificate_chain_file, ec.message()));
  context->use_private_key_file(private_key_file, ssl::context::pem, ec);
  if (ec)
    throw std::runtime_error(
        fmt::format("cannot load the TLS private key '{}': {}", private_key_file, ec.message()));
  if (SSL_CTX_check_private_key(context->native_handle()) != 1)
    throw std::runtime_error(
        fmt::format("the TLS private key '{}' does not match the certificate '{}'",
                    private_key_file, certificate_chain_file));
  SSL_CTX_set_num_tickets(context->native_handle(), 0);
  return context;
}

}  // namespace dvidxfer::server
