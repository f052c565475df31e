#include "types/voxels/label_requests.hpp"

#include <fmt/format.h>
#include <lz4.h>
#include <simdjson.h>

#include <algorithm>
#include <array>

#include "dvid/dvid_errors.hpp"
#include "dvid/md5_digest.hpp"
#include "dvidxfer/codecs/gzip.hpp"
#include "gocompat/go_format.hpp"

namespace dvidxfer::server {
namespace {

// A POSTed raw LZ4 block, decompressed into exactly `size` bytes; shorter output stays
// zero-padded, as golz4 leaves DVID's buffer.
std::string lz4_body(std::string_view body, std::size_t size) {
  if (body.empty()) throw DvidError("received 0 LZ4 compressed bytes");
  if (size > static_cast<std::size_t>(INT32_MAX) || body.size() > INT32_MAX)
    throw DvidError("LZ4 payload too large");
  // LZ4 expands a byte into at most 255, so a short body cannot make the server allocate (and
  // zero) a large buffer for nothing.
  if (size / 255 > body.size())
    throw DvidError(
        fmt::format("Uncompress error: {} LZ4 bytes cannot hold {} bytes", body.size(), size));
  std::string out(size, '\0');
  const int decoded = LZ4_decompress_safe(body.data(), out.data(), static_cast<int>(body.size()),
                                          static_cast<int>(size));
  if (decoded < 0) throw DvidError("Uncompress error: malformed LZ4 data");
  return out;
}

}  // namespace

std::string_view posted_labels(const HttpRequest& http, std::int64_t expected_bytes,
                               std::string& storage) {
  const std::string compression = http.query_value("compression");
  if (compression.empty()) return http.body;
  if (compression == "lz4") {
    storage =
        lz4_body(http.body, static_cast<std::size_t>(std::max<std::int64_t>(0, expected_bytes)));
    return storage;
  }
  if (compression == "gzip") {
    // Inflating stops as soon as the output passes the box or the body limit, so a small bomb
    // never makes the server hold gigabytes before refusing them.
    const auto expected = static_cast<std::uint64_t>(std::max<std::int64_t>(0, expected_bytes));
    const std::uint64_t bound = std::min(expected, http.max_body_bytes);
    auto inflated = codecs::gzip_decompress(http.body, static_cast<std::size_t>(bound));
    if (inflated) {
      storage = std::move(*inflated);
      return storage;
    }
    // The codecs tell an output past the bound from a malformed stream by their message only.
    if (inflated.error().message.find("expands past") == std::string::npos)
      throw DvidError(inflated.error().message);
    if (bound < expected)
      throw DvidError(fmt::format(
          "gzip'd labels expand past {} bytes, the server's limit on request bodies", bound));
    throw DvidError(
        fmt::format("labels data was more than {} bytes, expected {} bytes", bound, expected));
  }
  throw DvidError("unknown compression type " + go_json_string(compression));
}

void check_label_read_compression(const std::string& compression) {
  if (!compression.empty() && compression != "lz4" && compression != "gzip")
    throw DvidError(compression == "google" || compression == "googlegzip"
                        ? "neuroglancer compressed_segmentation is not served by this server"
                        : "unknown compression type " + go_json_string(compression));
}

std::vector<Point3> label_query_points(const HttpRequest& http) {
  if (const std::string hash = http.query_value("hash"); !hash.empty()) {
    const std::string actual = md5_hex(http.body);
    if (actual != hash)
      throw DvidError("content hash incorrect.  expected " + hash + ", got " + actual);
  }
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(http.body);
  simdjson::dom::array list;
  if (parser.parse(padded).get_array().get(list))
    throw DvidError("Bad labels request JSON: invalid character, want an array of [x,y,z]");
  std::vector<Point3> points;
  for (simdjson::dom::element item : list) {
    simdjson::dom::array coords;
    std::array<std::int32_t, 3> xyz{};
    std::size_t index = 0;
    if (item.get_array().get(coords))
      throw DvidError(
          "Bad labels request JSON: json: cannot unmarshal into Go value of type "
          "dvid.Point3d");
    for (simdjson::dom::element value : coords) {
      std::int64_t number = 0;
      if (value.get_int64().get(number) || number < INT32_MIN || number > INT32_MAX)
        throw DvidError(
            "Bad labels request JSON: json: cannot unmarshal into Go value of type "
            "int32");
      if (index < 3) xyz[index] = static_cast<std::int32_t>(number);
      ++index;
    }
    points.push_back({xyz[0], xyz[1], xyz[2]});
  }
  return points;
}

}  // namespace dvidxfer::server
