// What labelblk and labelmap share of their label requests (DVID's two types read them with the
// same code): POSTed label volumes (compression=lz4|gzip), the compressions a 3-D GET may ask
// for, and the point list of GET .../labels.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dvid/voxel_geometry.hpp"
#include "transport/http_exchange.hpp"

namespace dvidxfer::server {

// The labels of a 3-D POST body, decompressed as its compression= says; `storage` holds them
// when they had to be decompressed. `expected_bytes` sizes the LZ4 output and bounds the gzip
// output, with the body limit (HttpRequest::max_body_bytes); the length of what is returned is
// checked by the caller, with its type's text. Throws DvidError.
std::string_view posted_labels(const HttpRequest& http, std::int64_t expected_bytes,
                               std::string& storage);

// Throws DvidError unless a 3-D label GET can be sent with this compression= ("", lz4, gzip).
void check_label_read_compression(const std::string& compression);

// The points of a batch label query: a JSON [[x,y,z],...] body, checked against hash= (hex MD5)
// first. Throws DvidError with DVID's texts.
std::vector<Point3> label_query_points(const HttpRequest& http);

}  // namespace dvidxfer::server
