#include "dvid/server_handlers.hpp"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <map>
#include <thread>

#include "dvid/dvid_config.hpp"
#include "dvid/dvid_errors.hpp"
#include "gocompat/go_format.hpp"

namespace dvidxfer::server {
namespace {

std::string json_string_map(const std::map<std::string, std::string>& values) {
  std::string out = "{";
  for (const auto& [key, value] : values) {
    if (out.size() > 1) out += ',';
    append_go_json_string(out, key);
    out += ':';
    append_go_json_string(out, value);
  }
  return out + "}";
}

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

}  // namespace

HttpResponse heartbeat() {
  HttpResponse response = HttpResponse::text(200, "OK");
  response.content_type = "text/plain";
  return response;
}

HttpResponse server_info(const ServerContext& context) {
  const std::string cores = std::to_string(std::max(1u, std::thread::hardware_concurrency()));
  std::map<std::string, std::string> info = {
      {"Cores", cores},
      {"Maximum Cores", cores},
      {"Datastore Version", "0.11.0"},
      // DVID's own format, v<major>.<minor>.<patch>: clients parse it (neuclease splits it at '.'
      // and '-' into integers to choose wire formats), so the product's version has its own key.
      {"DVID Version", "v1.0.0"},
      {"dvidxfer Version", DVIDXFER_VERSION},
      {"Storage backend", "in-memory"},
      {"Server time", go_time_string(std::chrono::system_clock::now())},
      {"Server uptime", go_duration_string(std::chrono::steady_clock::now() - context.started)},
      {"RPC Address", ""},
      {"Host", host_name()},
      {"Note", "dvidxfer embedded DVID-compatible server (in-memory, versioned)"},
      {"TOML location", ""},
  };
  rlimit open_files{};
  if (getrlimit(RLIMIT_NOFILE, &open_files) == 0)
    info["Max Open Files"] = std::to_string(open_files.rlim_cur);
  return HttpResponse::json(json_string_map(info));
}

HttpResponse server_types(const ServerContext& context) {
  return HttpResponse::json(json_string_map(context.registry.types_in_use()));
}

HttpResponse compiled_types(const ServerContext& context) {
  std::map<std::string, std::string> types;
  for (const auto& type : context.types.types()) types.emplace(type->name(), type->url());
  return HttpResponse::json(json_string_map(types));
}

HttpResponse server_settings(const HttpRequest& request, ServerContext& context, bool admin) {
  if (!context.admin_token.empty() && !admin)
    return bad_request(
        request, "POST /api/server/settings requires admin privileges (admintoken or DSG admin)");
  auto config = DvidConfig::parse(request.body);
  if (!config)
    return bad_request(request,
                       "Error decoding POSTed JSON config for 'new': Malformed JSON "
                       "request in body: " +
                           config.error());
  HttpResponse response = HttpResponse::text(200, "");
  response.content_type = "text/plain";
  // Go reaches each setting in turn, so an error after the first is appended to its output.
  const auto fail_with = [&](std::string_view message) {
    HttpResponse error = bad_request(request, message);
    if (response.body.empty()) return error;
    response.body += error.body;
    return response;
  };
  auto gc = config->get_int("gc");
  if (!gc) return fail_with("POST on settings endpoint had bad parsing of 'gc' key: " + gc.error());
  if (gc->has_value()) {
    const int old = context.gc_percent.exchange(static_cast<int>(**gc));
    response.body += fmt::format(
        "DVID server garbage collection target percentage set to {} from {}\n", **gc, old);
  }
  auto throttle = config->get_int("throttle");
  if (!throttle)
    return fail_with("POST on settings endpoint had bad parsing of 'throttle' key: " +
                     throttle.error());
  if (throttle->has_value()) {
    const int old = context.throttle.set_limit(static_cast<int>(**throttle));
    response.body += fmt::format("Maximum throttled ops set to {} from {}\n", **throttle, old);
  }
  return response;
}

}  // namespace dvidxfer::server
