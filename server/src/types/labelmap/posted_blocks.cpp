#include "types/labelmap/posted_blocks.hpp"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstring>

#include "dvidxfer/codecs/block_records.hpp"
#include "dvidxfer/codecs/gzip.hpp"
#include "gocompat/go_format.hpp"

namespace dvidxfer::server {
namespace {

struct Framed {
  Point3 coord;
  std::string_view payload;
};

// Go's %s of a dvid.IZYXString block coordinate.
std::string block_name(const Point3& coord) {
  return fmt::format("({}, {}, {})", coord.x, coord.y, coord.z);
}

std::int32_t int32_at(std::string_view bytes, std::size_t offset) {
  std::uint32_t value = 0;
  std::memcpy(&value, bytes.data() + offset, 4);  // little-endian host
  return static_cast<std::int32_t>(value);
}

// The records of `body` up to the first framing error, and DVID's text for that error.
std::pair<std::vector<Framed>, std::optional<std::string>> frame(std::string_view body) {
  std::vector<Framed> records;
  constexpr std::size_t kHeader = codecs::kBlockRecordHeaderBytes;
  while (!body.empty()) {
    // DVID's io.ReadFull of the header reports a short one as Go's io.ErrUnexpectedEOF.
    if (body.size() < kHeader) return {std::move(records), "unexpected EOF"};
    const Point3 coord{int32_at(body, 0), int32_at(body, 4), int32_at(body, 8)};
    const auto size = static_cast<std::uint32_t>(int32_at(body, 12));
    body.remove_prefix(kHeader);
    if (size == 0)
      return {std::move(records),
              fmt::format("illegal zero length block at block ({}, {}, {}) detected", coord.x,
                          coord.y, coord.z)};
    if (body.size() < size)
      return {std::move(records),
              fmt::format("error reading {} bytes for block {}: {} actually read ({})", size,
                          block_name(coord), body.size(), body.empty() ? "EOF" : "unexpected EOF")};
    records.push_back({coord, body.substr(0, size)});
    body.remove_prefix(size);
  }
  return {std::move(records), std::nullopt};
}

// The largest Block a payload may gunzip to: header, a label list as long as the block has
// voxels, the sub-block counts, as many indices, and 9 bits per voxel, with room to spare.
std::size_t max_block_bytes(codecs::LabelBlockShape shape) {
  const std::size_t voxels = std::size_t{shape.nx} * shape.ny * shape.nz;
  return 64 + voxels * 14 + voxels / 256;
}

// Why a payload is not a Block of `shape` (DVID's texts where DVID checks), or nullopt; sets
// `max_label` when it is one.
std::optional<std::string> check_payload(const Framed& record, codecs::LabelBlockShape shape,
                                         const std::string& data_name, std::uint64_t& max_label) {
  const std::string_view payload = record.payload;
  // Go's gzip.NewReader reads the 10-byte header first.
  if (payload.size() < 10 || static_cast<unsigned char>(payload[0]) != 0x1f ||
      static_cast<unsigned char>(payload[1]) != 0x8b || payload[2] != 8)
    return fmt::format("can't initiate gzip reader on compressed data of length {}: {}",
                       payload.size(),
                       payload.size() < 10 ? "unexpected EOF" : "gzip: invalid header");
  thread_local std::vector<char> scratch;
  scratch.resize(max_block_bytes(shape));
  auto inflated = codecs::gzip_decompress_into(payload, scratch);
  if (!inflated)
    return fmt::format("can't read all {} bytes from gzipped block {}: {}", payload.size(),
                       block_name(record.coord), inflated.error().message);
  const std::string_view block(scratch.data(), *inflated);
  if (block.size() < 24)
    return fmt::format("can't unmarshal block binary of length {}", block.size());
  if (int32_at(block, 12) == 0) return std::string("block has 0 labels, which is not allowed");
  auto invalid = [&](const codecs::CodecError& error) {
    return fmt::format("invalid label block at block {}: {} (byte {})", block_name(record.coord),
                       error.message, error.offset);
  };
  auto stated = codecs::label_block_shape(block);
  if (!stated) return invalid(stated.error());
  if (!(*stated == shape))
    // A deliberate difference from DVID, whose POST /blocks stores a Block of any size and then
    // fails (or misreads) on every read of it.
    return fmt::format(
        "label block at block {} is {}x{}x{} voxels, but data {} has {}x{}x{} voxel blocks",
        block_name(record.coord), stated->nx, stated->ny, stated->nz, go_json_string(data_name),
        shape.nx, shape.ny, shape.nz);
  thread_local std::vector<std::uint64_t> voxels;
  voxels.resize(std::size_t{shape.nx} * shape.ny * shape.nz);
  if (auto decoded = codecs::decode_label_block(block, shape, voxels); !decoded)
    return invalid(decoded.error());
  auto labels = codecs::label_block_labels(block);
  if (!labels) return invalid(labels.error());
  max_label = *std::max_element(labels->begin(), labels->end());
  return std::nullopt;
}
}  // namespace

PostedBlocks parse_posted_blocks(std::string_view body, codecs::LabelBlockShape shape,
                                 const std::string& data_name) {
  // Named, not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
  auto framed = frame(body);
  const std::vector<Framed>& records = framed.first;
  std::optional<std::string>& framing_error = framed.second;
  std::vector<std::optional<std::string>> errors(records.size());
  std::vector<std::uint64_t> max_labels(records.size(), 0);
  tbb::parallel_for(std::size_t{0}, records.size(), [&](std::size_t i) {
    errors[i] = check_payload(records[i], shape, data_name, max_labels[i]);
  });
  PostedBlocks posted;
  posted.error = std::move(framing_error);
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (errors[i]) {
      posted.error = std::move(errors[i]);
      break;
    }
    posted.blocks.push_back({records[i].coord, records[i].payload, max_labels[i]});
  }
  return posted;
}

}  // namespace dvidxfer::server
