#include "dvidxfer/engine/tls_client_context.hpp"

#include <fmt/format.h>

namespace dvidxfer::engine {

namespace ssl = boost::asio::ssl;

Result<std::shared_ptr<ssl::context>, std::string> make_tls_client_context(
    const std::string& ca_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  // Without a system store (a minimal container) only the CA file can vouch for servers.
  context->set_default_verify_paths(ec);
  if (!ca_file.empty()) {
    context->load_verify_file(ca_file, ec);
    if (ec) return fail(fmt::format("cannot load the TLS CA file '{}': {}", ca_file, ec.message()));
  }
  context->set_verify_mode(ssl::verify_peer);
  return context;
}

}  // namespace dvidxfer::engine
