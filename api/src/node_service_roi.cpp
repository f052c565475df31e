// NodeService's ROI calls: spans out and in, partitions and point queries.
#include <fmt/format.h>

#include "client_core.hpp"
#include "dvid_coordinates.hpp"
#include "dvidxfer/errors.hpp"
#include "dvidxfer/node_service.hpp"
#include "instance_creation.hpp"
#include "instance_info_cache.hpp"
#include "json_answers.hpp"
#include "roi_spans.hpp"

namespace dvidxfer {

namespace asio = boost::asio;
using api::ClientCore;
using api::UrlBuilder;

namespace {

engine::Request roi_request(ClientCore* core, const std::string& uuid, const std::string& roi,
                            std::string_view keyword) {
  engine::Request request;
  request.target =
      core->target(UrlBuilder("/api/node").segment(uuid).segment(roi).literal(keyword));
  return request;
}

asio::awaitable<void> send_ok(ClientCore* core, engine::Request request) {
  co_await core->call(std::move(request));
}

asio::awaitable<std::vector<BlockZYX>> fetch_roi(ClientCore* core, engine::Request request) {
  const auto url = core->endpoint().origin() + request.target;
  auto response = co_await core->call(std::move(request));
  co_return api::decode_roi_spans(response.body, url, core->http().options().max_response_bytes);
}

asio::awaitable<RoiPartition> fetch_partition(ClientCore* core, api::InstanceInfoCache* instances,
                                              std::string uuid, std::string roi,
                                              int partition_size) {
  const auto info = co_await instances->get(core, uuid, roi);
  const auto block = info.block;
  engine::Request request;
  request.target = core->target(UrlBuilder("/api/node")
                                    .segment(uuid)
                                    .segment(roi)
                                    .literal("/partition")
                                    .query("batchsize", std::to_string(partition_size)));
  const auto url = core->endpoint().origin() + request.target;
  auto response = co_await core->call(std::move(request));
  const auto document = JsonDocument::parse(std::move(response.body), url);
  co_return api::decode_roi_partition(document, block[2] * partition_size, url);
}

asio::awaitable<std::vector<bool>> fetch_ptquery(ClientCore* core, engine::Request request,
                                                 std::size_t count) {
  const auto url = core->endpoint().origin() + request.target;
  auto response = co_await core->call(std::move(request));
  const auto document = JsonDocument::parse(std::move(response.body), url);
  co_return api::decode_ptquery(document, count, url);
}

}  // namespace

std::future<void> NodeService::post_roi_async(std::string roi_name,
                                              std::vector<BlockZYX> blocks_zyx) {
  api::require_instance_name(roi_name);
  auto request = roi_request(core_.get(), uuid_, roi_name, "/roi");
  request.method = "POST";
  request.headers = {{"Content-Type", "application/json"}};
  request.body = api::encode_roi_spans(std::move(blocks_zyx));
  return core_->spawn(send_ok(core_.get(), std::move(request)));
}

void NodeService::post_roi(const std::string& roi_name, const std::vector<BlockZYX>& blocks_zyx) {
  post_roi_async(roi_name, blocks_zyx).get();
}

std::future<std::vector<BlockZYX>> NodeService::get_roi_async(std::string roi_name) {
  api::require_instance_name(roi_name);
  return core_->spawn(fetch_roi(core_.get(), roi_request(core_.get(), uuid_, roi_name, "/roi")));
}

std::vector<BlockZYX> NodeService::get_roi(const std::string& roi_name) {
  return get_roi_async(roi_name).get();
}

RoiPartition NodeService::get_roi_partition(const std::string& roi_name, int partition_size) {
  api::require_instance_name(roi_name);
  if (partition_size <= 0)
    throw ArgumentError(fmt::format("get_roi_partition on '{}': partition size {} must be positive",
                                    roi_name, partition_size));
  return core_
      ->spawn(fetch_partition(core_.get(), instances_.get(), uuid_, roi_name, partition_size))
      .get();
}

std::vector<bool> NodeService::roi_ptquery(const std::string& roi_name,
                                           const std::vector<PointZYX>& points_zyx) {
  api::require_instance_name(roi_name);
  if (points_zyx.empty())
    throw ArgumentError(fmt::format("roi_ptquery on '{}': the point list is empty", roi_name));
  auto request = roi_request(core_.get(), uuid_, roi_name, "/ptquery");
  request.method = "POST";
  request.headers = {{"Content-Type", "application/json"}};
  request.body = "[";
  for (const auto& point : points_zyx) {
    if (request.body.size() > 1) request.body += ',';
    request.body += api::dvid_xyz_json(point);
  }
  request.body += ']';
  return core_->spawn(fetch_ptquery(core_.get(), std::move(request), points_zyx.size())).get();
}

}  // namespace dvidxfer
