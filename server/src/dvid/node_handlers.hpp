// Version-node endpoints: /api/node/{uuid}/{status,commit,newversion,branch,tag,note,log}.
#pragma once

#include "dvid/repo_registry.hpp"
#include "dvid/server_context.hpp"
#include "transport/http_exchange.hpp"

namespace dvidxfer::server {

HttpResponse node_status(const ServerContext& context, const NodeRef& node);
HttpResponse commit_node(const HttpRequest& request, ServerContext& context, const NodeRef& node);
HttpResponse new_version(const HttpRequest& request, ServerContext& context, const NodeRef& node);
HttpResponse new_branch(const HttpRequest& request, ServerContext& context, const NodeRef& node);
HttpResponse tag_node(const HttpRequest& request, ServerContext& context, const NodeRef& node);
HttpResponse node_note(const ServerContext& context, const NodeRef& node);
HttpResponse set_node_note(const HttpRequest& request, ServerContext& context, const NodeRef& node);
HttpResponse node_log(const ServerContext& context, const NodeRef& node);
HttpResponse append_node_log(const HttpRequest& request, ServerContext& context,
                             const NodeRef& node);

}  // namespace dvidxfer::server
