#include "dvid/router.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "dvid/dvid_errors.hpp"
#include "dvid/instance_request.hpp"
#include "dvid/node_handlers.hpp"
#include "dvid/repo_handlers.hpp"
#include "dvid/server_context.hpp"
#include "dvid/server_handlers.hpp"
#include "gocompat/ascii_case.hpp"
#include "gocompat/go_format.hpp"
#include "store/memory_store.hpp"

namespace dvidxfer::server {
namespace {

// Path segments after "/api/", without one trailing empty segment (DVID ignores a trailing '/').
std::vector<std::string> api_segments(const std::string& path) {
  constexpr std::string_view kPrefix = "/api/";
  std::vector<std::string> segments;
  if (!std::string_view(path).starts_with(kPrefix)) return segments;
  std::string_view rest = std::string_view(path).substr(kPrefix.size());
  while (true) {
    const std::size_t slash = rest.find('/');
    segments.emplace_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (segments.size() > 1 && segments.back().empty()) segments.pop_back();
  return segments;
}

// goji's named parameters match one or more characters.
bool params_present(const std::vector<std::string>& segments, std::size_t count) {
  return std::none_of(
      segments.begin(),
      segments.begin() + static_cast<std::ptrdiff_t>(std::min(count, segments.size())),
      [](const std::string& s) { return s.empty(); });
}

bool is_get(const HttpRequest& request) {
  return request.method == "GET" || request.method == "HEAD";  // goji's Get also answers HEAD
}

}  // namespace

struct Router::State {
  explicit State(DvidSettings settings)
      : context{std::move(settings.admin_token), TypeRegistry::compiled(), RepoRegistry(), store,
                Throttle(settings.throttle_limit)} {}

  MemoryStore store;
  ServerContext context;

  bool admin(const HttpRequest& request) const {
    return !context.admin_token.empty() && request.query_value("admintoken") == context.admin_token;
  }

  HttpResponse route(const HttpRequest& request);
  HttpResponse route_server(const HttpRequest& request, const std::vector<std::string>& segments);
  HttpResponse route_repo(const HttpRequest& request, const std::vector<std::string>& segments);
  HttpResponse route_node(const HttpRequest& request, const std::vector<std::string>& segments);
  HttpResponse route_instance(const HttpRequest& request, std::vector<std::string> segments,
                              const NodeRef& node);
};

Router::Router(DvidSettings settings) : state_(std::make_unique<State>(std::move(settings))) {}
Router::~Router() = default;

void Router::set_throttle_limit(int limit) {
  state_->context.throttle.set_limit(limit);
}
int Router::throttle_limit() const {
  return state_->context.throttle.limit();
}

HttpResponse Router::handle(const HttpRequest& request) {
  try {
    return state_->route(request);
  } catch (const ResponseBudgetExceeded&) {
    throw;  // the transport's 503
  } catch (const DvidError& error) {
    return bad_request(request, error.what());
  } catch (const std::exception& error) {
    return http_error(
        500, fmt::format("Panic detected on request {}:\n{}\nIP: {}, URL: {}", request.target,
                         error.what(), request.remote_address, request.path));
  }
}

HttpResponse Router::State::route(const HttpRequest& request) {
  const std::vector<std::string> segments = api_segments(request.path);
  if (segments.empty() || !params_present(segments, segments.size() == 1 ? 1 : 2))
    return page_not_found();
  const std::string& area = segments[0];
  if (area == "heartbeat" && segments.size() == 1 && is_get(request)) return heartbeat();
  if (area == "server" && segments.size() == 2) return route_server(request, segments);
  if (area == "repos") {
    if (segments.size() == 1 && request.method == "POST")
      return create_repo(request, context, admin(request));
    if (segments.size() == 2 && segments[1] == "info" && is_get(request))
      return repos_info(context);
  }
  if (area == "repo" && segments.size() >= 2 && segments.size() <= 4 &&
      params_present(segments, segments.size()))
    return route_repo(request, segments);
  if (area == "node" && segments.size() >= 2) return route_node(request, segments);
  return page_not_found();
}

HttpResponse Router::State::route_server(const HttpRequest& request,
                                         const std::vector<std::string>& segments) {
  const std::string& action = segments[1];
  if (is_get(request)) {
    if (action == "info") return server_info(context);
    if (action == "types") return server_types(context);
    if (action == "compiled-types") return compiled_types(context);
  }
  if (request.method == "POST" && action == "settings")
    return server_settings(request, context, admin(request));
  return page_not_found();
}

HttpResponse Router::State::route_repo(const HttpRequest& request,
                                       const std::vector<std::string>& segments) {
  // DVID resolves the UUID before routing: a bad UUID is a 400 even for an unknown action.
  const NodeRef node = context.registry.resolve(segments[1]);
  if (segments.size() == 2)
    return request.method == "HEAD" ? repo_head(context, node) : page_not_found();
  const std::string& action = segments[2];
  const bool get = is_get(request);
  const bool post = request.method == "POST";
  if (segments.size() == 4)
    return action == "branch-versions" && get ? branch_versions(context, node, segments[3])
                                              : page_not_found();
  if (action == "info" && get) return repo_info(context, node);
  if (action == "info" && post) return update_repo_info(request, context, node);
  if (action == "instance" && post) return create_instance(request, context, node, admin(request));
  if (action == "log" && get) return repo_log(context, node);
  if (action == "log" && post) return append_repo_log(request, context, node);
  return page_not_found();
}

HttpResponse Router::State::route_node(const HttpRequest& request,
                                       const std::vector<std::string>& segments) {
  if (!params_present(segments, std::min<std::size_t>(segments.size(), 4))) return page_not_found();
  const NodeRef node = context.registry.resolve(segments[1]);
  if (segments.size() >= 4) return route_instance(request, segments, node);

  const std::string action = segments.size() == 3 ? segments[2] : "";
  const bool changes_version = action == "branch" || action == "newversion" || action == "tag";
  if (!admin(request) && !is_get(request) && !changes_version &&
      context.registry.locked(node.version))
    return bad_request(request,
                       "Cannot do " + ascii_lower(request.method) + " on locked node " + node.uuid);
  const bool get = is_get(request);
  const bool post = request.method == "POST";
  if (get && (action == "status" || action == "commit")) return node_status(context, node);
  if (get && action == "note") return node_note(context, node);
  if (get && action == "log") return node_log(context, node);
  if (post && action == "note") return set_node_note(request, context, node);
  if (post && action == "log") return append_node_log(request, context, node);
  if (post && action == "commit") return commit_node(request, context, node);
  if (post && action == "newversion") return new_version(request, context, node);
  if (post && action == "branch") return new_branch(request, context, node);
  if (post && action == "tag") return tag_node(request, context, node);
  return page_not_found();
}

HttpResponse Router::State::route_instance(const HttpRequest& request,
                                           std::vector<std::string> segments, const NodeRef& node) {
  std::shared_ptr<DataInstance> instance =
      context.registry.find_instance(node.version, segments[2]);
  if (!instance) return bad_request(request, "invalid data instance name");
  VersionId version = node.version;
  if (!instance->versioned()) {
    version = context.registry.root_version(node.version);
  } else if (!admin(request) && instance->is_mutation_request(request.method, segments[3]) &&
             context.registry.locked(node.version)) {
    return bad_request(request, "Cannot do " + request.method + " on endpoint " +
                                    go_json_string(segments[3]) + " of locked node " + node.uuid);
  }
  InstanceRequest instance_request{request,
                                   std::move(segments),
                                   node.uuid,
                                   version,
                                   context.registry.ancestry(version),
                                   context.store,
                                   context.registry,
                                   context.throttle};
  return instance->serve(instance_request);
}

}  // namespace dvidxfer::server
