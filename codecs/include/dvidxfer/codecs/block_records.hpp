// The record stream of DVID's /blocks, /specificblocks and POST /blocks bodies (dvid-api.md 5.5):
// int32 LE bx, by, bz, uint32 LE N, N payload bytes, repeated to the end; no count, no terminator.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "dvidxfer/codecs/codec_error.hpp"

namespace dvidxfer::codecs {

// Each record's header: int32 x, y, z and the uint32 payload length.
inline constexpr std::size_t kBlockRecordHeaderBytes = 16;

struct BlockCoord {
  std::int32_t x = 0;
  std::int32_t y = 0;
  std::int32_t z = 0;
  friend bool operator==(const BlockCoord&, const BlockCoord&) = default;
};

struct BlockRecord {
  BlockCoord coord;
  std::string_view payload;  // valid only during the callback that receives it
};

// Appends one record. Precondition: payload.size() fits in uint32.
void append_block_record(std::string& out, BlockCoord coord, std::string_view payload);

// Parses a record stream delivered in arbitrary pieces (network reads). Records that lie whole
// inside one piece are handed over without copying; a record split across pieces is gathered in
// one buffer, so at most one record (16 + max_payload_size bytes) is ever buffered.
// Zero-length payloads are valid framing and delivered (DVID's POST /blocks rejects them).
class BlockRecordParser {
 public:
  // Receives each record; returning an error stops the parse and feed() returns that error.
  using OnRecord = std::function<CodecResult<Unit>(const BlockRecord&)>;

  // Payload lengths above max_payload_size (or negative as int32) are rejected as corrupt.
  explicit BlockRecordParser(std::size_t max_payload_size);

  // Parses the next piece of the stream, calling on_record for every record it completes.
  // Errors name the stream offset and, once known, the block coordinate; after an error every
  // later call returns the same error.
  CodecResult<Unit> feed(std::string_view bytes, const OnRecord& on_record);

  // Call at end of stream: fails when it ended inside a record.
  CodecResult<Unit> finish() const;

  std::uint64_t bytes_consumed() const { return offset_; }
  std::uint64_t records_parsed() const { return records_; }

 private:
  static constexpr std::size_t kHeaderSize = kBlockRecordHeaderBytes;

  CodecResult<Unit> start_payload();
  CodecResult<Unit> deliver(std::string_view payload, const OnRecord& on_record);
  CodecResult<Unit> stop(CodecError error);

  std::size_t max_payload_size_;
  std::array<char, kHeaderSize> header_{};
  std::size_t header_filled_ = 0;
  BlockCoord coord_;
  std::size_t payload_size_ = 0;
  std::string payload_buffer_;  // the part of a split payload received so far
  std::uint64_t offset_ = 0;    // stream bytes consumed
  std::uint64_t record_start_ = 0;
  std::uint64_t records_ = 0;
  bool in_payload_ = false;
  std::optional<CodecError> failure_;
};

}  // namespace dvidxfer::codecs
