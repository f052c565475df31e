#include "block_size_cache.hpp"

#include <fmt/format.h>

#include "dvidxfer/errors.hpp"
#include "dvidxfer/json_document.hpp"

namespace dvidxfer::api {

boost::asio::awaitable<Shape3> BlockSizeCache::get(ClientCore* core, std::string uuid,
                                                   std::string instance) {
  {
    const std::lock_guard lock(mutex_);
    if (const auto it = sizes_.find(instance); it != sizes_.end()) co_return it->second;
  }
  engine::Request request;
  request.target =
      core->target(UrlBuilder("/api/node").segment(uuid).segment(instance).literal("/info"));
  const auto url = core->endpoint().origin() + request.target;
  auto response = co_await core->call(std::move(request));
  const auto info = JsonDocument::parse(std::move(response.body), url);
  simdjson::dom::array xyz;
  if (info.root()["Extended"]["BlockSize"].get_array().get(xyz) || xyz.size() != 3)
    throw DecodeError(
        fmt::format("instance '{}' has no Extended.BlockSize [x,y,z] in its info", instance), url);
  std::array<std::int64_t, 3> values{};
  std::size_t i = 0;
  for (auto element : xyz) {
    std::int64_t v = 0;
    if (element.get_int64().get(v) || v <= 0)
      throw DecodeError(
          fmt::format("instance '{}' reports a block size that is not a positive integer",
                      instance),
          url);
    values[i++] = v;
  }
  const Shape3 block{values[2], values[1], values[0]};  // DVID's x,y,z as (z,y,x)
  const std::lock_guard lock(mutex_);
  sizes_[instance] = block;
  co_return block;
}

}  // namespace dvidxfer::api
