// roi's query endpoints as DVID serves them (datatype/roi/roi.go ServeHTTP): the request checks
// and texts, and the response formats, around the geometry of roi_queries.hpp.
#pragma once

#include <vector>

#include "dvid/instance_request.hpp"
#include "transport/http_exchange.hpp"
#include "types/roi/roi_queries.hpp"

namespace dvidxfer::server {

// What the query endpoints read of the instance: its spans at the request's version (sorted and
// unique), its Z extent and block size.
struct RoiQueryInput {
  std::vector<RoiSpan> spans;
  RoiZExtent extent;
  Point3 block_size;
};

// GET .../mask/0_1_2/{size}/{offset}: uint8 0/1 per voxel, application/octet-stream.
HttpResponse serve_roi_mask(const InstanceRequest& request, const RoiQueryInput& roi);

// POST .../ptquery with [[x,y,z],...]: [true,false,...] in request order. Other verbs than GET
// get DVID's empty 200.
HttpResponse serve_roi_ptquery(const InstanceRequest& request, const RoiQueryInput& roi);

// GET .../partition?batchsize=N[&optimized=true|on]: json.MarshalIndent of DVID's subvolumes.
HttpResponse serve_roi_partition(const InstanceRequest& request, const RoiQueryInput& roi);

}  // namespace dvidxfer::server
