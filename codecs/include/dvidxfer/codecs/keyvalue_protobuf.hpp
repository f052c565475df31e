// DVID's keyvalue protobuf messages (datatype/common/proto/keyvalue.proto, proto3), encoded and
// decoded by hand: KeyValues for batch reads/writes, Keys for batch-read requests.
// Unknown fields are skipped as proto3 requires; malformed input gives a CodecError.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dvidxfer/codecs/codec_error.hpp"

namespace dvidxfer::codecs {

struct KeyValuePair {
  std::string key;
  std::string value;  // empty when the protobuf field is absent (DVID: missing key)
  friend bool operator==(const KeyValuePair&, const KeyValuePair&) = default;
};

// A byte range of one key's value, inclusive at both ends; 0/0 means the whole value.
struct KeyByteRange {
  std::string key;
  std::uint64_t byte_start = 0;
  std::uint64_t byte_end = 0;
  friend bool operator==(const KeyByteRange&, const KeyByteRange&) = default;
};

// message Keys { repeated string keys = 1; repeated KeyRange key_ranges = 2; }
struct KeysRequest {
  std::vector<std::string> keys;
  std::vector<KeyByteRange> key_ranges;
  friend bool operator==(const KeysRequest&, const KeysRequest&) = default;
};

// message KeyValues { repeated KeyValue kvs = 1; }. Every pair is written, in order; empty keys
// and values are omitted inside their KeyValue as proto3 does.
std::string encode_key_values(std::span<const KeyValuePair> pairs);
// Pairs in message order. Errors (truncation, bad varint, bad field key or wire type, unbalanced
// group) carry the offset in `bytes`. Keys are not checked for UTF-8 (Go's protobuf would be).
CodecResult<std::vector<KeyValuePair>> decode_key_values(std::string_view bytes);

// message Keys: all `keys` (empty ones included), then all `key_ranges`; zero fields omitted.
std::string encode_keys(const KeysRequest& request);
// Same error contract as decode_key_values.
CodecResult<KeysRequest> decode_keys(std::string_view bytes);

}  // namespace dvidxfer::codecs
