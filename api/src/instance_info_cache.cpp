#include "instance_info_cache.hpp"

#include "json_answers.hpp"

namespace dvidxfer::api {

boost::asio::awaitable<InstanceInfo> InstanceInfoCache::get(ClientCore* core, std::string uuid,
                                                            std::string instance) {
  {
    const std::lock_guard lock(mutex_);
    if (const auto it = infos_.find(instance); it != infos_.end()) co_return it->second;
  }
  engine::Request request;
  request.target =
      core->target(UrlBuilder("/api/node").segment(uuid).segment(instance).literal("/info"));
  const auto url = core->endpoint().origin() + request.target;
  auto response = co_await core->call(std::move(request));
  const auto document = JsonDocument::parse(std::move(response.body), url);
  InstanceInfo info;
  info.type_name = decode_type_name(document, instance, url);
  info.block = decode_block_size(document, instance, url);
  info.max_downres_level = decode_max_downres_level(document);
  const std::lock_guard lock(mutex_);
  infos_[instance] = info;
  co_return info;
}

}  // namespace dvidxfer::api
