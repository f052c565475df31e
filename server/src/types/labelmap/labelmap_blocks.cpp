// LabelmapInstance's block streams: GET /blocks, GET /specificblocks, POST /blocks and POST
// /ingest-supervoxels (dvid-api.md 5.5).
#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "dvid/dvid_errors.hpp"
#include "dvidxfer/codecs/block_records.hpp"
#include "gocompat/ascii_case.hpp"
#include "gocompat/go_format.hpp"
#include "types/labelmap/block_payloads.hpp"
#include "types/labelmap/labelmap_instance.hpp"
#include "types/labelmap/labelmap_requests.hpp"
#include "types/labelmap/posted_blocks.hpp"

namespace dvidxfer::server {

HttpResponse LabelmapInstance::blocks(InstanceRequest& request) {
  ThrottleClaim throttle = claim_throttle(request);
  if (throttle.refusal) return *throttle.refusal;
  if (request.http.method != "GET") return write_blocks(request, false);
  return read_blocks(request);
}

std::string LabelmapInstance::records(const std::vector<StoredBlock>& stored,
                                      BlockCompression compression, bool supervoxels) const {
  std::vector<StoredValue> payloads(stored.size());
  tbb::parallel_for(std::size_t{0}, stored.size(), [&](std::size_t i) {
    payloads[i] = block_payload(labels_, stored[i].value, compression, supervoxels);
  });
  std::size_t total = 0;
  for (const StoredValue& payload : payloads)
    total += codecs::kBlockRecordHeaderBytes + payload->size();
  std::string out;
  out.reserve(total);
  for (std::size_t i = 0; i < stored.size(); ++i)
    codecs::append_block_record(out, {stored[i].coord.x, stored[i].coord.y, stored[i].coord.z},
                                *payloads[i]);
  return out;
}

HttpResponse LabelmapInstance::read_blocks(const InstanceRequest& request) {
  const HttpRequest& http = request.http;
  const std::uint8_t scale = scale_of(http, "bad scale specified: ");
  if (request.parts.size() < 6)
    return bad_request(http, "must specify size and offset with GET /blocks endpoint");
  const Box box = parse_subvolume(request.parts[4], request.parts[5]);
  if (!block_aligned(box, block_size()))
    return bad_request(http, fmt::format("cannot use labels via {} endpoint in non-block aligned "
                                         "geometry {} -> {}",
                                         flavor_ == LabelFlavor::labelmap ? "'blocks'" : "'block'",
                                         to_string(box.offset), to_string(box.end())));
  const BlockCompression compression =
      parse_block_compression(http.query_value("compression"), BlockCompression::lz4);
  // Records go out in z,y,x order (DVID's labelmap sends them in completion order).
  const std::vector<StoredBlock> stored =
      labels_.existing(request.store, request.ancestry, scale, blocks_covering(box, block_size()));
  return HttpResponse::octets(records(stored, compression, supervoxels_of(http)));
}

HttpResponse LabelmapInstance::specific_blocks(const InstanceRequest& request) const {
  const HttpRequest& http = request.http;
  const std::uint8_t scale = scale_of(http, "");
  if (http.method != "GET")
    return bad_request(http, "DVID does not accept the " + ascii_lower(http.method) +
                                 " action on the 'specificblocks' endpoint");
  // labelarray has no compression= here and sends the stored gzip'd Blocks.
  const BlockCompression compression =
      flavor_ == LabelFlavor::labelmap
          ? parse_block_compression(http.query_value("compression"), BlockCompression::blocks)
          : BlockCompression::blocks;
  const std::string list = http.query_value("blocks");
  if (list.empty()) return HttpResponse::octets({});
  std::vector<std::string_view> numbers;
  for (std::string_view rest = list;;) {
    const std::size_t comma = rest.find(',');
    numbers.push_back(rest.substr(0, comma));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (numbers.size() % 3 != 0)
    return bad_request(http, "block query string should be three coordinates per block");
  // In request order (DVID's labelmap sends them in completion order); absent blocks are left
  // out.
  std::vector<StoredBlock> stored;
  for (std::size_t i = 0; i < numbers.size(); i += 3) {
    const Point3 coord{static_cast<std::int32_t>(go_atoi(numbers[i])),
                       static_cast<std::int32_t>(go_atoi(numbers[i + 1])),
                       static_cast<std::int32_t>(go_atoi(numbers[i + 2]))};
    if (StoredValue value = labels_.get(request.store, request.ancestry, scale, coord))
      stored.push_back({coord, std::move(value)});
  }
  return HttpResponse::octets(records(stored, compression, supervoxels_of(http)));
}

HttpResponse LabelmapInstance::write_blocks(InstanceRequest& request, bool ingest) {
  const HttpRequest& http = request.http;
  const std::uint8_t scale = scale_of(http, "bad scale specified: ");
  const bool downscale = !ingest && http.query_value("downres") == "true";
  if (downscale && scale != 0) return bad_request(http, "cannot downscale blocks of scale > 0");
  if (!ingest) {
    const std::string compression = http.query_value("compression");
    if (!compression.empty() && compression != "blocks")
      return bad_request(http, R"(compression must be "blocks" (default) at this time)");
  }
  if (settings_.compression_format != "gzip compression")
    return bad_request(
        http, fmt::format("{} {} cannot accept GZIP /blocks POST since it "
                          "internally uses {}",
                          type().name(), go_json_string(name()), settings_.compression_format));
  // ingest-supervoxels takes no lock in DVID either: its callers keep their blocks apart.
  std::unique_lock lock(write_mutex_, std::defer_lock);
  if (!ingest) lock.lock();
  const PostedBlocks posted = parse_posted_blocks(http.body, labels_.shape(), name());
  std::vector<Point3> written;
  written.reserve(posted.blocks.size());
  for (const PostedBlock& block : posted.blocks) {
    labels_.put(request.store, request.version, scale, block.coord, std::string(block.gzip));
    written.push_back(block.coord);
  }
  // At scale 0 every stored block raises the max label, before an error as after, with or
  // without noindexing (DVID raises it in goroutines it does not wait for; here it is done by
  // the time the response is sent).
  if (!ingest && scale == 0)
    for (const PostedBlock& block : posted.blocks)
      counters_.raise(request.ancestry, block.max_label);
  if (posted.error) return bad_request(http, *posted.error);
  if (!ingest && scale == 0 && !written.empty()) {
    Point3 low = written.front(), high = written.front();
    for (const Point3& block : written) {
      low = {std::min(low.x, block.x), std::min(low.y, block.y), std::min(low.z, block.z)};
      high = {std::max(high.x, block.x), std::max(high.y, block.y), std::max(high.z, block.z)};
    }
    const Point3& size = block_size();
    grow_extents(request, {{low.x * size.x, low.y * size.y, low.z * size.z},
                           {(high.x - low.x + 1) * size.x, (high.y - low.y + 1) * size.y,
                            (high.z - low.z + 1) * size.z}});
  }
  if (downscale) downres(request, std::move(written));
  return HttpResponse{};
}

}  // namespace dvidxfer::server
