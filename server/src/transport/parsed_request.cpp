#include "transport/parsed_request.hpp"

#include "gocompat/ascii_case.hpp"
#include "transport/request_target.hpp"

namespace dvidxfer::server {

std::optional<HttpRequest> to_http_request(boost::beast::http::request<ReceivedStringBody>& message,
                                           std::string remote_address) {
  auto target = parse_request_target(message.target());
  if (!target) return std::nullopt;
  HttpRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  request.path = std::move(target->path);
  request.raw_query = std::move(target->raw_query);
  request.query = std::move(target->query);
  for (const auto& field : message)
    request.headers.emplace_back(ascii_lower(field.name_string()), std::string(field.value()));
  request.body = std::move(message.body());
  request.remote_address = std::move(remote_address);
  return request;
}

}  // namespace dvidxfer::server
