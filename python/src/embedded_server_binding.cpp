// EmbeddedServer: dvidxfer's in-memory DVID-compatible server inside the Python process, for
// testing pipelines without a DVID, including against faults (latency, bandwidth, 503/500,
// resets, truncations).
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "bindings.hpp"
#include "dvidxfer/server/embedded_server.hpp"
#include "without_gil.hpp"

namespace dvidxfer::python {

namespace {

using server::EmbeddedServer;
using server::FaultConfig;

py::dict fault_dict(const FaultConfig& faults) {
  py::dict dict;
  dict["seed"] = faults.seed;
  dict["latency_ms"] = faults.latency.count();
  dict["bandwidth_bytes_per_second"] = faults.bandwidth_bytes_per_second;
  dict["rate_503"] = faults.rate_503;
  dict["rate_500"] = faults.rate_500;
  dict["rate_reset"] = faults.rate_reset;
  dict["rate_truncate"] = faults.rate_truncate;
  return dict;
}

py::dict counter_dict(const server::FaultCounters& counters) {
  py::dict dict;
  dict["requests"] = counters.requests;
  dict["injected_503"] = counters.injected_503;
  dict["injected_500"] = counters.injected_500;
  dict["resets"] = counters.resets;
  dict["truncations"] = counters.truncations;
  return dict;
}

}  // namespace

void bind_embedded_server(py::module_& module) {
  py::class_<EmbeddedServer, std::shared_ptr<EmbeddedServer>> cls(
      module, "EmbeddedServer",
      "An in-memory DVID-compatible server running in this process (for tests and demos). "
      "Serves until stop(); usable as a context manager.");
  cls.def(
      py::init([](std::uint16_t port, const std::string& host, unsigned threads,
                  const std::string& admin_token, int throttle_limit, const std::string& auth_token,
                  const std::string& tls_cert_file, const std::string& tls_key_file) {
        server::ServerConfig config;
        config.port = port;
        config.host = host;
        config.threads = threads;
        config.admin_token = admin_token;
        config.throttle_limit = throttle_limit;
        config.auth_token = auth_token;
        config.tls_cert_file = tls_cert_file;
        config.tls_key_file = tls_key_file;
        return make_shared_without_gil<EmbeddedServer>(config);
      }),
      py::arg("port") = 0, py::arg("host") = "127.0.0.1", py::arg("threads") = 2,
      py::arg("admin_token") = "", py::arg("throttle_limit") = 1, py::arg("auth_token") = "",
      py::arg("tls_cert_file") = "", py::arg("tls_key_file") = "",
      "Binds host:port (port 0 picks a free one) and starts serving. admin_token: required by "
      "repo creation when not empty. throttle_limit: DVID's concurrent throttled operations. "
      "auth_token: when not empty, requests without 'Authorization: Bearer <auth_token>' get "
      "401. tls_cert_file, tls_key_file: serve HTTPS with this PEM certificate chain and key.");
  cls.def_property_readonly("url", &EmbeddedServer::url, "'http://HOST:PORT' (or https://).");
  cls.def_property_readonly("port", &EmbeddedServer::port);
  cls.def_property_readonly("host", &EmbeddedServer::host);
  cls.def_property("throttle_limit", &EmbeddedServer::throttle_limit,
                   &EmbeddedServer::set_throttle_limit);
  cls.def(
      "set_faults",
      [](EmbeddedServer& server, std::uint64_t seed, std::int64_t latency_ms,
         std::uint64_t bandwidth_bytes_per_second, double rate_503, double rate_500,
         double rate_reset, double rate_truncate) {
        FaultConfig faults;
        faults.seed = seed;
        faults.latency = std::chrono::milliseconds(latency_ms);
        faults.bandwidth_bytes_per_second = bandwidth_bytes_per_second;
        faults.rate_503 = rate_503;
        faults.rate_500 = rate_500;
        faults.rate_reset = rate_reset;
        faults.rate_truncate = rate_truncate;
        server.set_faults(faults);
      },
      py::kw_only(), py::arg("seed") = 1, py::arg("latency_ms") = 0,
      py::arg("bandwidth_bytes_per_second") = 0, py::arg("rate_503") = 0.0,
      py::arg("rate_500") = 0.0, py::arg("rate_reset") = 0.0, py::arg("rate_truncate") = 0.0,
      "Replaces the injected faults (all off by default): latency before every response, a "
      "per-connection bandwidth cap, and per-request probabilities of 503, 500, reset and "
      "truncation, drawn deterministically from seed.");
  cls.def(
      "faults", [](const EmbeddedServer& server) { return fault_dict(server.faults()); },
      "The current fault configuration, as a dict of set_faults' keywords.");
  cls.def(
      "fault_counters",
      [](const EmbeddedServer& server) { return counter_dict(server.fault_counters()); },
      "Requests served and faults injected since start, as a dict.");
  cls.def(
      "stop", [](EmbeddedServer& server) { without_gil([&] { server.stop(); }); },
      "Stops serving and closes every connection. Idempotent.");
  cls.def("__enter__", [](const py::object& self) { return self; });
  cls.def("__exit__",
          [](EmbeddedServer& server, const py::args&) { without_gil([&] { server.stop(); }); });
}

}  // namespace dvidxfer::python
