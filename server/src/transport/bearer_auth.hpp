// Bearer-token authentication as DVID's DSG auth mode applies it: a request must carry the
// configured token as "Authorization: Bearer <token>" (or in a dsg_token cookie), otherwise it is
// refused with 401 and DVID's message, before any handler runs.
#pragma once

#include <optional>
#include <string_view>

#include "transport/http_exchange.hpp"

namespace dvidxfer::server {

// Nothing when `token` is empty or the request carries it; otherwise the 401 DVID answers
// ("dsg token required ..." when no token came, "invalid DSG token" when another one did).
std::optional<HttpResponse> refuse_unauthorized(const HttpRequest& request, std::string_view token);

}  // namespace dvidxfer::server
