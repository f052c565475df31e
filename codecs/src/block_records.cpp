#include "dvidxfer/codecs/block_records.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cstring>
#include <limits>

namespace dvidxfer::codecs {
namespace {

std::uint32_t read_u32_le(const char* bytes) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  }
  return value;
}

void append_u32_le(std::string& out, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

std::string describe(BlockCoord coord) {
  return fmt::format("block ({}, {}, {})", coord.x, coord.y, coord.z);
}

}  // namespace

void append_block_record(std::string& out, BlockCoord coord, std::string_view payload) {
  assert(payload.size() <= std::numeric_limits<std::uint32_t>::max());
  out.reserve(out.size() + 16 + payload.size());
  append_u32_le(out, static_cast<std::uint32_t>(coord.x));
  append_u32_le(out, static_cast<std::uint32_t>(coord.y));
  append_u32_le(out, static_cast<std::uint32_t>(coord.z));
  append_u32_le(out, static_cast<std::uint32_t>(payload.size()));
  out.append(payload);
}

BlockRecordParser::BlockRecordParser(std::size_t max_payload_size)
    : max_payload_size_(max_payload_size) {}

CodecResult<Unit> BlockRecordParser::feed(std::string_view bytes, const OnRecord& on_record) {
  if (failure_) return fail(*failure_);
  while (true) {
    if (!in_payload_) {
      if (bytes.empty()) break;
      const std::size_t take = std::min(kHeaderSize - header_filled_, bytes.size());
      std::memcpy(header_.data() + header_filled_, bytes.data(), take);
      header_filled_ += take;
      offset_ += take;
      bytes.remove_prefix(take);
      if (header_filled_ < kHeaderSize) break;
      if (auto started = start_payload(); !started) return started;
    }
    if (payload_buffer_.empty() && bytes.size() >= payload_size_) {
      // The whole payload is in this piece: hand it over in place.
      const std::string_view payload = bytes.substr(0, payload_size_);
      offset_ += payload_size_;
      bytes.remove_prefix(payload_size_);
      if (auto delivered = deliver(payload, on_record); !delivered) return delivered;
      continue;
    }
    if (bytes.empty()) break;
    const std::size_t take = std::min(payload_size_ - payload_buffer_.size(), bytes.size());
    payload_buffer_.append(bytes.substr(0, take));
    offset_ += take;
    bytes.remove_prefix(take);
    if (payload_buffer_.size() < payload_size_) break;
    auto delivered = deliver(payload_buffer_, on_record);
    payload_buffer_.clear();
    if (!delivered) return delivered;
  }
  return Unit{};
}

CodecResult<Unit> BlockRecordParser::start_payload() {
  coord_ = {static_cast<std::int32_t>(read_u32_le(header_.data())),
            static_cast<std::int32_t>(read_u32_le(header_.data() + 4)),
            static_cast<std::int32_t>(read_u32_le(header_.data() + 8))};
  const std::uint32_t length = read_u32_le(header_.data() + 12);
  if (length > max_payload_size_) {
    const auto as_int32 = static_cast<std::int32_t>(length);
    return stop(CodecError{
        fmt::format("{}: payload length {}{} at byte offset {} exceeds the maximum of {} bytes",
                    describe(coord_), length,
                    as_int32 < 0 ? fmt::format(" (negative as int32: {})", as_int32) : "",
                    record_start_ + 12, max_payload_size_),
        static_cast<std::size_t>(record_start_ + 12)});
  }
  payload_size_ = length;
  in_payload_ = true;
  return Unit{};
}

CodecResult<Unit> BlockRecordParser::deliver(std::string_view payload, const OnRecord& on_record) {
  in_payload_ = false;
  header_filled_ = 0;
  record_start_ = offset_;
  ++records_;
  auto accepted = on_record(BlockRecord{coord_, payload});
  if (!accepted) return stop(std::move(accepted).error());
  return Unit{};
}

CodecResult<Unit> BlockRecordParser::stop(CodecError error) {
  failure_ = error;
  return fail(std::move(error));
}

CodecResult<Unit> BlockRecordParser::finish() const {
  if (failure_) return fail(*failure_);
  if (in_payload_) {
    return fail(CodecError{
        fmt::format("stream ends inside the payload of {} (record at byte offset {}): {} of {} "
                    "bytes received",
                    describe(coord_), record_start_, payload_buffer_.size(), payload_size_),
        static_cast<std::size_t>(offset_)});
  }
  if (header_filled_ > 0) {
    return fail(CodecError{
        fmt::format("stream ends inside the 16-byte header of the record at byte offset {}: {} "
                    "bytes received",
                    record_start_, header_filled_),
        static_cast<std::size_t>(offset_)});
  }
  return Unit{};
}

}  // namespace dvidxfer::codecs
