// ClientOptions for Python: the same fields, with durations in seconds (floats), validated when
// constructed (DVIDArgumentError names the field).
#include <chrono>
#include <cmath>
#include <string>

#include "bindings.hpp"
#include "dvidxfer/client_options.hpp"
#include "dvidxfer/errors.hpp"

namespace dvidxfer::python {

namespace {

double seconds(std::chrono::milliseconds duration) {
  return duration.count() / 1000.0;
}

std::chrono::milliseconds milliseconds(double seconds, const char* field) {
  if (!std::isfinite(seconds) || seconds < 0)
    throw ArgumentError(std::string("ClientOptions.") + field +
                        " must be a non-negative number of seconds");
  return std::chrono::milliseconds(std::llround(seconds * 1000.0));
}

// A read-write property in seconds over a milliseconds member.
void def_seconds(py::class_<ClientOptions>& cls, const char* name,
                 std::chrono::milliseconds ClientOptions::*member) {
  cls.def_property(
      name, [member](const ClientOptions& options) { return seconds(options.*member); },
      [member, name](ClientOptions& options, double value) {
        options.*member = milliseconds(value, name);
      });
}

}  // namespace

void bind_client_options(py::module_& module) {
  const ClientOptions defaults;
  py::class_<ClientOptions> cls(
      module, "ClientOptions",
      "Limits, timeouts and pool sizes of a client (durations in seconds). Pass as `options=` to "
      "DVIDNodeService or DVIDServerService.");
  cls.def(py::init([](std::size_t max_connections, unsigned io_threads, double connect_timeout,
                      double inactivity_timeout, double request_timeout, int max_attempts,
                      double initial_backoff, double max_backoff, std::size_t max_response_bytes,
                      double resource_timeout, const std::string& auth_token,
                      const std::string& tls_ca_file) {
            ClientOptions options;
            options.max_connections = max_connections;
            options.io_threads = io_threads;
            options.connect_timeout = milliseconds(connect_timeout, "connect_timeout");
            options.inactivity_timeout = milliseconds(inactivity_timeout, "inactivity_timeout");
            options.request_timeout = milliseconds(request_timeout, "request_timeout");
            options.max_attempts = max_attempts;
            options.initial_backoff = milliseconds(initial_backoff, "initial_backoff");
            options.max_backoff = milliseconds(max_backoff, "max_backoff");
            options.max_response_bytes = max_response_bytes;
            options.resource_timeout = milliseconds(resource_timeout, "resource_timeout");
            options.auth_token = auth_token;
            options.tls_ca_file = tls_ca_file;
            options.validate();
            return options;
          }),
          py::kw_only(), py::arg("max_connections") = defaults.max_connections,
          py::arg("io_threads") = defaults.io_threads,
          py::arg("connect_timeout") = seconds(defaults.connect_timeout),
          py::arg("inactivity_timeout") = seconds(defaults.inactivity_timeout),
          py::arg("request_timeout") = seconds(defaults.request_timeout),
          py::arg("max_attempts") = defaults.max_attempts,
          py::arg("initial_backoff") = seconds(defaults.initial_backoff),
          py::arg("max_backoff") = seconds(defaults.max_backoff),
          py::arg("max_response_bytes") = defaults.max_response_bytes,
          py::arg("resource_timeout") = seconds(defaults.resource_timeout),
          py::arg("auth_token") = "", py::arg("tls_ca_file") = "");
  cls.def_readwrite("max_connections", &ClientOptions::max_connections,
                    "Keep-alive connections (= requests in flight) per server.");
  cls.def_readwrite("io_threads", &ClientOptions::io_threads,
                    "Threads running the client's network I/O.");
  def_seconds(cls, "connect_timeout", &ClientOptions::connect_timeout);
  def_seconds(cls, "inactivity_timeout", &ClientOptions::inactivity_timeout);
  def_seconds(cls, "request_timeout", &ClientOptions::request_timeout);
  cls.def_readwrite("max_attempts", &ClientOptions::max_attempts,
                    "Attempts per request, the first included.");
  def_seconds(cls, "initial_backoff", &ClientOptions::initial_backoff);
  def_seconds(cls, "max_backoff", &ClientOptions::max_backoff);
  cls.def_readwrite("max_response_bytes", &ClientOptions::max_response_bytes,
                    "Larger answers are refused.");
  def_seconds(cls, "resource_timeout", &ClientOptions::resource_timeout);
  cls.def_readwrite("auth_token", &ClientOptions::auth_token,
                    "Sent as 'Authorization: Bearer <token>' on every request; when empty, the "
                    "DVID_TOKEN environment variable is used. Never shown in reprs or errors.");
  cls.def_readwrite("tls_ca_file", &ClientOptions::tls_ca_file,
                    "For https:// servers: a PEM file of CA certificates trusted besides the "
                    "system's. Certificates and host names are always verified.");
  cls.def("__repr__", [](const ClientOptions& options) {
    return py::str(
               "ClientOptions(max_connections={}, io_threads={}, connect_timeout={}, "
               "inactivity_timeout={}, request_timeout={}, max_attempts={}, initial_backoff={}, "
               "max_backoff={}, max_response_bytes={}, resource_timeout={}, auth_token={}, "
               "tls_ca_file={!r})")
        .format(options.max_connections, options.io_threads, seconds(options.connect_timeout),
                seconds(options.inactivity_timeout), seconds(options.request_timeout),
                options.max_attempts, seconds(options.initial_backoff),
                seconds(options.max_backoff), options.max_response_bytes,
                seconds(options.resource_timeout),
                // The token is a secret: the repr only tells whether one is set.
                options.auth_token.empty() ? "''" : "'<hidden>'", options.tls_ca_file);
  });
}

}  // namespace dvidxfer::python
