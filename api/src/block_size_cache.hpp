// BlockSizeCache: each instance's block size, read once from GET .../info (Extended.BlockSize,
// DVID's [x, y, z]) and kept as (z, y, x). Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <map>
#include <mutex>
#include <string>

#include "client_core.hpp"
#include "dvidxfer/volume.hpp"

namespace dvidxfer::api {

class BlockSizeCache {
 public:
  // The block size of `instance` at node `uuid`; throws HttpError/DecodeError from the info call.
  boost::asio::awaitable<Shape3> get(ClientCore* core, std::string uuid, std::string instance);

 private:
  std::mutex mutex_;
  std::map<std::string, Shape3> sizes_;  // by instance name
};

}  // namespace dvidxfer::api
