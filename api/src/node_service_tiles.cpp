// NodeService's tile calls: the stored bytes, or decoded to grayscale.
#include <fmt/format.h>

#include "client_core.hpp"
#include "dvidxfer/codecs/image_decode.hpp"
#include "dvidxfer/errors.hpp"
#include "dvidxfer/node_service.hpp"
#include "instance_creation.hpp"

namespace dvidxfer {

namespace asio = boost::asio;
using api::ClientCore;
using api::UrlBuilder;

namespace {

const char* plane_name(Slice2D plane) {
  switch (plane) {
    case Slice2D::XY:
      return "xy";
    case Slice2D::XZ:
      return "xz";
    case Slice2D::YZ:
      return "yz";
  }
  throw ArgumentError("unknown Slice2D value");
}

engine::Request tile_request(ClientCore* core, const std::string& uuid, const std::string& instance,
                             Slice2D plane, unsigned scaling,
                             const std::vector<std::int64_t>& tile_numbers) {
  api::require_instance_name(instance);
  if (tile_numbers.size() != 3)
    throw ArgumentError(fmt::format("tile location for '{}' must be (x, y, z), got {} numbers",
                                    instance, tile_numbers.size()));
  engine::Request request;
  // The seed's tile location is (x, y, z), already DVID's order.
  request.target =
      core->target(UrlBuilder("/api/node")
                       .segment(uuid)
                       .segment(instance)
                       .literal(fmt::format("/tile/{}/{}/{}_{}_{}", plane_name(plane), scaling,
                                            tile_numbers[0], tile_numbers[1], tile_numbers[2])));
  return request;
}

asio::awaitable<std::string> fetch_tile(ClientCore* core, engine::Request request) {
  auto response = co_await core->call(std::move(request));
  co_return std::move(response.body);
}

asio::awaitable<GrayImage> fetch_decoded_tile(ClientCore* core, engine::Request request) {
  const auto url = core->endpoint().origin() + request.target;
  auto response = co_await core->call(std::move(request));
  auto decoded = codecs::decode_gray_image(response.body);
  if (!decoded)
    throw DecodeError(
        fmt::format("the tile from {} does not decode: {}", url, decoded.error().message), url);
  auto& pixels = decoded.value();
  co_return GrayImage{pixels.height, pixels.width, std::move(pixels.pixels)};
}

}  // namespace

std::string NodeService::get_tile_slice_binary(const std::string& instance_name, Slice2D slice_type,
                                               unsigned scaling,
                                               const std::vector<std::int64_t>& tile_numbers) {
  return core_
      ->spawn(fetch_tile(core_.get(), tile_request(core_.get(), uuid_, instance_name, slice_type,
                                                   scaling, tile_numbers)))
      .get();
}

std::future<GrayImage> NodeService::get_tile_slice_async(std::string instance_name,
                                                         Slice2D slice_type, unsigned scaling,
                                                         std::vector<std::int64_t> tile_numbers) {
  return core_->spawn(fetch_decoded_tile(
      core_.get(),
      tile_request(core_.get(), uuid_, instance_name, slice_type, scaling, tile_numbers)));
}

GrayImage NodeService::get_tile_slice(const std::string& instance_name, Slice2D slice_type,
                                      unsigned scaling,
                                      const std::vector<std::int64_t>& tile_numbers) {
  return get_tile_slice_async(instance_name, slice_type, scaling, tile_numbers).get();
}

}  // namespace dvidxfer
