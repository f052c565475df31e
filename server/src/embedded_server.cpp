#include "dvidxfer/server/embedded_server.hpp"

#include <fmt/format.h>

#include "dvid/router.hpp"
#include "faults/fault_injector.hpp"
#include "transport/http_listener.hpp"

namespace dvidxfer::server {

struct EmbeddedServer::Impl {
  ServerConfig config;
  Router router;
  FaultInjector faults;
  // Last member: destroyed first, so no request reaches the router or injector after they go.
  HttpListener listener;

  explicit Impl(ServerConfig server_config)
      : config(std::move(server_config)),
        router(DvidSettings{config.admin_token, config.throttle_limit}),
        faults(config.faults),
        listener(ListenerConfig{.host = config.host,
                                .port = config.port,
                                .io_threads = config.threads,
                                .handler_threads = 0,
                                .max_header_bytes = config.max_header_bytes,
                                .max_body_bytes = config.max_body_bytes,
                                .auth_token = config.auth_token,
                                .idle_timeout = config.idle_timeout,
                                .header_timeout = config.header_timeout,
                                .body_timeout = config.body_timeout,
                                .request_timeout = config.request_timeout,
                                .response_timeout = config.response_timeout,
                                .max_connections = config.max_connections,
                                .max_pending_response_bytes = config.max_pending_response_bytes,
                                .tls_certificate_file = config.tls_cert_file,
                                .tls_private_key_file = config.tls_key_file},
                 router, faults) {
    config.port = listener.port();
  }
};

EmbeddedServer::EmbeddedServer(ServerConfig config)
    : impl_(std::make_unique<Impl>(std::move(config))) {}

EmbeddedServer::~EmbeddedServer() {
  stop();
}

std::uint16_t EmbeddedServer::port() const noexcept {
  return impl_->config.port;
}

const std::string& EmbeddedServer::host() const noexcept {
  return impl_->config.host;
}

std::string EmbeddedServer::url() const {
  const auto& config = impl_->config;
  const char* scheme = config.tls_cert_file.empty() ? "http" : "https";
  // An IPv6 literal needs brackets in a URL.
  if (config.host.find(':') != std::string::npos)
    return fmt::format("{}://[{}]:{}", scheme, config.host, config.port);
  return fmt::format("{}://{}:{}", scheme, config.host, config.port);
}

void EmbeddedServer::set_faults(const FaultConfig& faults) {
  impl_->faults.configure(faults);
}

FaultConfig EmbeddedServer::faults() const {
  return impl_->faults.config();
}

FaultCounters EmbeddedServer::fault_counters() const {
  return impl_->faults.counters();
}

void EmbeddedServer::set_throttle_limit(int limit) {
  impl_->router.set_throttle_limit(limit);
}

int EmbeddedServer::throttle_limit() const {
  return impl_->router.throttle_limit();
}

void EmbeddedServer::stop() {
  impl_->listener.stop();
}

}  // namespace dvidxfer::server
