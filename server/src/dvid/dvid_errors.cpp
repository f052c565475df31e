#include "dvid/dvid_errors.hpp"

#include <string>

namespace dvidxfer::server {

HttpResponse http_error(unsigned status, std::string_view message) {
  std::string body(message);
  body += '\n';
  HttpResponse response = HttpResponse::text(status, std::move(body));
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return response;
}

HttpResponse bad_request(const HttpRequest& request, std::string_view message) {
  std::string text(message);
  text += " (";
  text += request.path;
  text += ").";
  return http_error(400, text);
}

HttpResponse page_not_found() {
  return http_error(404, "404 page not found");
}

}  // namespace dvidxfer::server
