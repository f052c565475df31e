// POST .../sync bodies, {"sync":"name1,name2"} (datastore/pubsub.go SetSyncByJSON), shared by the
// label types.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "dvid/data_instance.hpp"

namespace dvidxfer::server {

// The instances the body names, each checked to exist at the request's node; empty for
// {"sync":""}. Throws DvidError with DVID's texts.
std::vector<std::shared_ptr<DataInstance>> synced_instances(const InstanceRequest& request);

}  // namespace dvidxfer::server
