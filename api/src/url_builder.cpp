#include "url_builder.hpp"

#include "dvidxfer/codecs/url_escape.hpp"

namespace dvidxfer::api {

UrlBuilder& UrlBuilder::segment(std::string_view part) {
  path_ += '/';
  path_ += codecs::escape_url_component(part);
  return *this;
}

UrlBuilder& UrlBuilder::literal(std::string_view path) {
  // A caller's endpoint may carry its own query string: keep it, ours follow it.
  const auto question = path.find('?');
  path_ += path.substr(0, question);
  if (question != std::string_view::npos && question + 1 < path.size()) {
    if (!query_.empty()) query_ += '&';
    query_ += path.substr(question + 1);
  }
  return *this;
}

UrlBuilder& UrlBuilder::query(std::string_view name, std::string_view value) {
  if (!query_.empty()) query_ += '&';
  query_ += name;
  query_ += '=';
  query_ += codecs::escape_url_component(value);
  return *this;
}

std::string UrlBuilder::finish(std::string_view user, std::string_view app) const {
  std::string target = path_;
  target += '?';
  if (!query_.empty()) {
    target += query_;
    target += '&';
  }
  target += "u=";
  target += codecs::escape_url_component(user);
  target += "&app=";
  target += codecs::escape_url_component(app);
  return target;
}

}  // namespace dvidxfer::api
