#include "block_size_cache.hpp"

#include "json_answers.hpp"

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
  const Shape3 block = decode_block_size(info, instance, url);
  const std::lock_guard lock(mutex_);
  sizes_[instance] = block;
  co_return block;
}

}  // namespace dvidxfer::api
