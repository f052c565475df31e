#include "instance_creation.hpp"

#include <fmt/format.h>

#include "dvidxfer/codecs/json_writer.hpp"
#include "dvidxfer/errors.hpp"

namespace dvidxfer::api {

void require_instance_name(const std::string& name) {
  if (name.empty()) throw ArgumentError("instance name must not be empty");
  if (name.find('/') != std::string::npos)
    throw ArgumentError(
        fmt::format("instance name '{}' contains '/', which DVID cannot address", name));
}

std::string cubic_block_size(int blocksize) {
  if (blocksize <= 0) throw ArgumentError(fmt::format("blocksize {} must be positive", blocksize));
  return fmt::format("{0},{0},{0}", blocksize);
}

boost::asio::awaitable<bool> create_instance(
    ClientCore* core, std::string uuid, std::string type_name, std::string name,
    std::vector<std::pair<std::string, std::string>> settings) {
  engine::Request request;
  request.method = "POST";
  request.target = core->target(UrlBuilder("/api/repo").segment(uuid).literal("/instance"));
  request.headers = {{"Content-Type", "application/json"}};
  request.body = "{\"typename\":" + codecs::json_quote(type_name) +
                 ",\"dataname\":" + codecs::json_quote(name);
  for (const auto& [key, value] : settings)
    request.body += "," + codecs::json_quote(key) + ":" + codecs::json_quote(value);
  request.body += "}";
  request.idempotent = false;  // a retried creation would report "already exists"
  auto result = co_await core->http().send(request);
  if (!result) throw_transfer_error(result.error());
  const auto& response = result.value();
  if (response.status == 200) co_return true;
  if (response.status == 400 && response.body.find("already exists") != std::string::npos)
    co_return false;
  throw_http_error(request, response, core->endpoint().origin() + request.target);
}

}  // namespace dvidxfer::api
