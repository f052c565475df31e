#include "dvid/repo_handlers.hpp"

#include <fmt/format.h>

#include "dvid/dvid_config.hpp"
#include "dvid/dvid_errors.hpp"
#include "dvid/json_body.hpp"
#include "gocompat/go_format.hpp"

namespace dvidxfer::server {
namespace {

// A string member of a dvid.Config, or a DvidError prefixed as the calling endpoint does.
std::optional<std::string> config_string(const DvidConfig& config, std::string_view key,
                                         std::string_view error_prefix) {
  auto value = config.get_string(key);
  if (!value) throw DvidError(std::string(error_prefix) + value.error());
  return *value;
}

}  // namespace

std::string log_json(const std::vector<std::string>& log) {
  std::string out = "{\"log\":[";
  for (std::size_t i = 0; i < log.size(); ++i) {
    if (i) out += ',';
    append_go_json_string(out, log[i]);
  }
  return out + "]}";
}

HttpResponse post_log(const HttpRequest& request,
                      const std::function<void(const std::vector<std::string>&)>& append) {
  JsonBodyRules rules{[](std::string_view) { return JsonFieldKind::string_list; }, false, true};
  auto fields = parse_json_body(request.body, rules);
  if (!fields) return bad_request(request, "Malformed JSON request in body: " + fields.error());
  append(fields->list("log"));
  if (!fields->has("log"))
    return bad_request(request, "Could not find 'log' value in POSTed JSON.");
  return HttpResponse{};
}

HttpResponse create_repo(const HttpRequest& request, ServerContext& context, bool admin) {
  if (!context.admin_token.empty() && !admin)
    return bad_request(request,
                       "Creating a repo requires admin privileges (admintoken or DSG "
                       "admin) on a server that is not read-only");
  auto config = DvidConfig::parse(request.body);
  if (!config)
    return bad_request(request,
                       "Error decoding POSTed JSON config for new repo: Malformed JSON "
                       "request in body: " +
                           config.error());
  auto alias = config_string(*config, "alias", "POST on repos endpoint requires valid 'alias': ");
  auto description = config_string(*config, "description",
                                   "POST on repos endpoint requires valid 'description': ");
  config_string(*config, "passcode", "POST on repos endpoint requires valid 'passcode': ");
  auto root =
      config_string(*config, "root", "POST on repos endpoint with error on getting 'root': ");
  const std::string uuid =
      context.registry.create_repo(alias.value_or(""), description.value_or(""), root);
  return HttpResponse::json("{\"root\": " + go_json_string(uuid) + "}");
}

HttpResponse repos_info(const ServerContext& context) {
  return HttpResponse::json(context.registry.repos_json());
}

HttpResponse repo_head(const ServerContext& context, const NodeRef& node) {
  HttpResponse response = HttpResponse::text(
      200, "Repo available with root UUID " + context.registry.root_uuid(node.version) + "\n");
  response.content_type = "text/plain";
  return response;
}

HttpResponse repo_info(const ServerContext& context, const NodeRef& node) {
  return HttpResponse::json(context.registry.repo_json(node.version));
}

HttpResponse update_repo_info(const HttpRequest& request, ServerContext& context,
                              const NodeRef& node) {
  auto config = DvidConfig::parse(request.body);
  if (!config)
    return bad_request(request,
                       "Error decoding POSTed JSON config for POST repo: Malformed JSON "
                       "request in body: " +
                           config.error());
  if (auto alias =
          config_string(*config, "alias", "POST on repo/info endpoint requires valid 'alias': "))
    context.registry.set_alias(node.version, *alias);
  if (auto description = config_string(*config, "description",
                                       "POST on repo/info endpoint requires valid 'description': "))
    context.registry.set_description(node.version, *description);
  return HttpResponse{};
}

HttpResponse repo_log(const ServerContext& context, const NodeRef& node) {
  return HttpResponse::json(log_json(context.registry.repo_log(node.version)));
}

HttpResponse append_repo_log(const HttpRequest& request, ServerContext& context,
                             const NodeRef& node) {
  return post_log(request, [&](const std::vector<std::string>& messages) {
    context.registry.append_repo_log(node.version, messages);
  });
}

HttpResponse branch_versions(const ServerContext& context, const NodeRef& node,
                             const std::string& branch) {
  // DVID concatenates the UUIDs into the array without JSON escaping.
  std::string out = "[";
  for (const std::string& uuid : context.registry.branch_versions(node.version, branch)) {
    if (out.size() > 1) out += ',';
    out += '"' + uuid + '"';
  }
  return HttpResponse::json(out + "]");
}

HttpResponse create_instance(const HttpRequest& request, ServerContext& context,
                             const NodeRef& node, bool admin) {
  if (!admin && context.registry.locked(node.version))
    return bad_request(request, "New data instance cannot be created on locked node " + node.uuid);
  auto config = DvidConfig::parse(request.body);
  if (!config)
    return bad_request(request,
                       "Error decoding POSTed JSON config for 'new': Malformed JSON "
                       "request in body: " +
                           config.error());
  auto typename_ = config->get_string("typename");
  if (!typename_ || !typename_->has_value())
    return bad_request(request, "POST on repo endpoint requires specification of valid 'typename'");
  auto dataname = config->get_string("dataname");
  if (!dataname || !dataname->has_value())
    return bad_request(request, "POST on repo endpoint requires specification of valid 'dataname'");
  const DataType* type = context.types.find(**typename_);
  if (!type)
    return bad_request(request, "Data type " + go_json_string(**typename_) +
                                    " is not supported by current DVID server");
  context.registry.create_instance(node.version, *type, **dataname, *config);
  return HttpResponse::json(fmt::format("{{\"result\": \"Added {} [{}] to node {}\"}}", **dataname,
                                        **typename_, node.uuid));
}

}  // namespace dvidxfer::server
