// keyvalue's batch endpoints: keyrangevalues (protobuf, JSON or tar), keyvalues GET with a body
// naming the keys (protobuf Keys or JSON), and keyvalues POST (protobuf KeyValues).
#pragma once

#include "dvid/data_instance.hpp"
#include "dvid/instance_request.hpp"
#include "transport/http_exchange.hpp"

namespace dvidxfer::server {

// GET .../keyrangevalues/{first}/{last}: every live key in [first, last] with its value.
HttpResponse key_range_values(const InstanceRequest& request, const DataInstance& instance);
// GET .../keyvalues: the values of the keys the body names, in the body's order.
HttpResponse read_key_values(const InstanceRequest& request, const DataInstance& instance);
// POST .../keyvalues: stores every pair of a protobuf KeyValues body, in order.
HttpResponse write_key_values(const InstanceRequest& request, const DataInstance& instance);

}  // namespace dvidxfer::server
