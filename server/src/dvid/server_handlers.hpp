// Server-level endpoints: /api/heartbeat and /api/server/{info,types,compiled-types,settings}.
#pragma once

#include "dvid/server_context.hpp"
#include "transport/http_exchange.hpp"

namespace dvidxfer::server {

HttpResponse heartbeat();
HttpResponse server_info(const ServerContext& context);
HttpResponse server_types(const ServerContext& context);
HttpResponse compiled_types(const ServerContext& context);
// `admin`: the request carries the configured admin token.
HttpResponse server_settings(const HttpRequest& request, ServerContext& context, bool admin);

}  // namespace dvidxfer::server
