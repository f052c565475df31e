// InstanceInfoCache: each instance's type name (Base.TypeName) and block size (Extended.BlockSize,
// DVID's [x, y, z], kept as (z, y, x)), read once from GET .../info. The volume calls choose their
// wire by the type. Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <map>
#include <mutex>
#include <string>

#include "client_core.hpp"
#include "dvidxfer/volume.hpp"

namespace dvidxfer::api {

struct InstanceInfo {
  std::string type_name;  // "uint8blk", "labelblk", "labelmap", "labelarray", ...
  Shape3 block{};
  int max_downres_level = 0;  // labelmap/labelarray Extended.MaxDownresLevel (lower scales kept)
  // labelmap and labelarray store compressed label blocks (and read and write /blocks).
  bool stores_label_blocks() const { return type_name == "labelmap" || type_name == "labelarray"; }
  bool holds_labels() const { return type_name == "labelblk" || stores_label_blocks(); }
};

class InstanceInfoCache {
 public:
  // The info of `instance` at node `uuid`; throws HttpError/DecodeError from the info call.
  boost::asio::awaitable<InstanceInfo> get(ClientCore* core, std::string uuid,
                                           std::string instance);

 private:
  std::mutex mutex_;
  std::map<std::string, InstanceInfo> infos_;  // by instance name
};

}  // namespace dvidxfer::api
