// Repo-level endpoints: POST /api/repos, GET /api/repos/info and /api/repo/{uuid}/...
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "dvid/repo_registry.hpp"
#include "dvid/server_context.hpp"
#include "transport/http_exchange.hpp"

namespace dvidxfer::server {

// `admin`: the request carries the configured admin token.
HttpResponse create_repo(const HttpRequest& request, ServerContext& context, bool admin);
HttpResponse repos_info(const ServerContext& context);
HttpResponse repo_head(const ServerContext& context, const NodeRef& node);
HttpResponse repo_info(const ServerContext& context, const NodeRef& node);
HttpResponse update_repo_info(const HttpRequest& request, ServerContext& context,
                              const NodeRef& node);
HttpResponse repo_log(const ServerContext& context, const NodeRef& node);
HttpResponse append_repo_log(const HttpRequest& request, ServerContext& context,
                             const NodeRef& node);
HttpResponse branch_versions(const ServerContext& context, const NodeRef& node,
                             const std::string& branch);
HttpResponse create_instance(const HttpRequest& request, ServerContext& context,
                             const NodeRef& node, bool admin);

// {"log":[...]} as DVID writes it for repos and nodes.
std::string log_json(const std::vector<std::string>& log);
// Appends the "log" member of a POSTed {"log":[...]} with DVID's quirk: a body without "log" is
// refused yet still counts as an (empty) addition.
HttpResponse post_log(const HttpRequest& request,
                      const std::function<void(const std::vector<std::string>&)>& append);

}  // namespace dvidxfer::server
