#include "dvidxfer/codecs/keyvalue_protobuf.hpp"

#include <cstddef>
#include <utility>

namespace dvidxfer::codecs {
namespace {

// Protobuf wire types (encoding.md in the protobuf docs).
enum WireType : std::uint32_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5,
};

constexpr std::uint32_t tag(std::uint32_t field, WireType type) {
  return (field << 3) | type;
}

// ---- encoding ----

void put_varint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

std::size_t varint_size(std::uint64_t value) {
  std::size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

// proto3 omits empty strings and zero numbers.
void put_bytes_field(std::string& out, std::uint32_t field, std::string_view bytes) {
  if (bytes.empty()) return;
  put_varint(out, tag(field, kLengthDelimited));
  put_varint(out, bytes.size());
  out.append(bytes);
}

void put_varint_field(std::string& out, std::uint32_t field, std::uint64_t value) {
  if (value == 0) return;
  put_varint(out, tag(field, kVarint));
  put_varint(out, value);
}

std::size_t bytes_field_size(std::string_view bytes) {
  return bytes.empty() ? 0 : 1 + varint_size(bytes.size()) + bytes.size();
}

std::size_t varint_field_size(std::uint64_t value) {
  return value == 0 ? 0 : 1 + varint_size(value);
}

// An embedded message: always written, even when empty, since each one is a repeated element.
template <class WriteBody>
void put_message_field(std::string& out, std::uint32_t field, std::size_t body_size,
                       WriteBody&& write_body) {
  put_varint(out, tag(field, kLengthDelimited));
  put_varint(out, body_size);
  write_body();
}

// ---- decoding ----

// Reads one message's bytes; offsets in errors are relative to the outermost input.
class Reader {
 public:
  Reader(std::string_view bytes, std::size_t base_offset) : bytes_(bytes), base_(base_offset) {}

  bool at_end() const { return position_ == bytes_.size(); }
  std::size_t offset() const { return base_ + position_; }

  Failure<CodecError> error(std::string message) const {
    return fail(CodecError{std::move(message), offset()});
  }

  CodecResult<std::uint64_t> varint() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at_end()) return error("varint runs past the end of the message");
      const auto byte = static_cast<unsigned char>(bytes_[position_]);
      if (shift == 63 && byte > 1) return error("varint overflows 64 bits");
      ++position_;
      value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    return error("varint overflows 64 bits");
  }

  CodecResult<std::string_view> length_delimited() {
    const std::size_t start = offset();
    auto length = varint();
    if (!length) return fail(std::move(length).error());
    if (*length > bytes_.size() - position_) {
      return fail(CodecError{"length-delimited field runs past the end of the message", start});
    }
    const std::string_view field = bytes_.substr(position_, *length);
    position_ += *length;
    return field;
  }

  CodecResult<Unit> skip(std::size_t count) {
    if (count > bytes_.size() - position_) return error("fixed-size field runs past the end");
    position_ += count;
    return Unit{};
  }

 private:
  std::string_view bytes_;
  std::size_t base_;
  std::size_t position_ = 0;
};

struct FieldKey {
  std::uint32_t number;
  WireType type;
  std::size_t offset;  // where the key starts, for errors about the field as a whole
};

CodecResult<FieldKey> read_field_key(Reader& reader) {
  const std::size_t start = reader.offset();
  auto key = reader.varint();
  if (!key) return fail(std::move(key).error());
  const std::uint64_t number = *key >> 3;
  const auto type = static_cast<WireType>(*key & 7);
  if (number == 0 || number > 0x1FFFFFFF) {
    return fail(CodecError{"invalid field number", start});
  }
  if (type > kFixed32) return fail(CodecError{"invalid wire type", start});
  return FieldKey{static_cast<std::uint32_t>(number), type, start};
}

// Skips the value of an unknown field whose key was just read. Groups (deprecated, but legal on
// the wire) are skipped up to their matching end-group key.
CodecResult<Unit> skip_field(Reader& reader, FieldKey field) {
  switch (field.type) {
    case kVarint: {
      auto value = reader.varint();
      if (!value) return fail(std::move(value).error());
      return Unit{};
    }
    case kFixed64:
      return reader.skip(8);
    case kFixed32:
      return reader.skip(4);
    case kLengthDelimited: {
      auto value = reader.length_delimited();
      if (!value) return fail(std::move(value).error());
      return Unit{};
    }
    case kStartGroup: {
      std::vector<std::uint32_t> open_groups{field.number};
      while (!open_groups.empty()) {
        if (reader.at_end()) return reader.error("group is not closed");
        auto inner = read_field_key(reader);
        if (!inner) return fail(std::move(inner).error());
        if (inner->type == kEndGroup) {
          if (inner->number != open_groups.back()) {
            return fail(CodecError{"end-group does not match its start-group", inner->offset});
          }
          open_groups.pop_back();
        } else if (inner->type == kStartGroup) {
          open_groups.push_back(inner->number);
        } else if (auto skipped = skip_field(reader, *inner); !skipped) {
          return skipped;
        }
      }
      return Unit{};
    }
    case kEndGroup:
      break;
  }
  return fail(CodecError{"end-group without a start-group", field.offset});
}

// Calls on_field(reader, field) for every field of one message; it returns true when it consumed
// the field's value, false to have the field skipped as unknown.
template <class OnField>
CodecResult<Unit> for_each_field(Reader& reader, OnField&& on_field) {
  while (!reader.at_end()) {
    auto field = read_field_key(reader);
    if (!field) return fail(std::move(field).error());
    auto handled = on_field(*field);
    if (!handled) return fail(std::move(handled).error());
    if (*handled) continue;
    if (auto skipped = skip_field(reader, *field); !skipped) return skipped;
  }
  return Unit{};
}

// Reads a length-delimited field's bytes into `target` (proto: the last occurrence wins).
CodecResult<bool> read_string_into(Reader& reader, std::string& target) {
  auto bytes = reader.length_delimited();
  if (!bytes) return fail(std::move(bytes).error());
  target.assign(*bytes);
  return true;
}

CodecResult<bool> read_varint_into(Reader& reader, std::uint64_t& target) {
  auto value = reader.varint();
  if (!value) return fail(std::move(value).error());
  target = *value;
  return true;
}

CodecResult<KeyValuePair> decode_key_value(std::string_view bytes, std::size_t base) {
  KeyValuePair pair;
  Reader reader(bytes, base);
  auto done = for_each_field(reader, [&](FieldKey field) -> CodecResult<bool> {
    if (field.type != kLengthDelimited) return false;
    if (field.number == 1) return read_string_into(reader, pair.key);
    if (field.number == 2) return read_string_into(reader, pair.value);
    return false;
  });
  if (!done) return fail(std::move(done).error());
  return pair;
}

CodecResult<KeyByteRange> decode_key_range(std::string_view bytes, std::size_t base) {
  KeyByteRange range;
  Reader reader(bytes, base);
  auto done = for_each_field(reader, [&](FieldKey field) -> CodecResult<bool> {
    if (field.number == 1 && field.type == kLengthDelimited) {
      return read_string_into(reader, range.key);
    }
    if (field.number == 2 && field.type == kVarint)
      return read_varint_into(reader, range.byte_start);
    if (field.number == 3 && field.type == kVarint) return read_varint_into(reader, range.byte_end);
    return false;
  });
  if (!done) return fail(std::move(done).error());
  return range;
}

// Reads an embedded message, decodes it with decode(bytes, base_offset) and appends it.
template <class T, class Decode>
CodecResult<bool> read_message_into(Reader& reader, std::vector<T>& target, Decode&& decode) {
  auto bytes = reader.length_delimited();
  if (!bytes) return fail(std::move(bytes).error());
  auto message = decode(*bytes, reader.offset() - bytes->size());
  if (!message) return fail(std::move(message).error());
  target.push_back(std::move(message).value());
  return true;
}

}  // namespace

std::string encode_key_values(std::span<const KeyValuePair> pairs) {
  std::size_t total = 0;
  for (const auto& pair : pairs) {
    const std::size_t body = bytes_field_size(pair.key) + bytes_field_size(pair.value);
    total += 1 + varint_size(body) + body;
  }
  std::string out;
  out.reserve(total);
  for (const auto& pair : pairs) {
    const std::size_t body = bytes_field_size(pair.key) + bytes_field_size(pair.value);
    put_message_field(out, 1, body, [&] {
      put_bytes_field(out, 1, pair.key);
      put_bytes_field(out, 2, pair.value);
    });
  }
  return out;
}

CodecResult<std::vector<KeyValuePair>> decode_key_values(std::string_view bytes) {
  std::vector<KeyValuePair> pairs;
  Reader reader(bytes, 0);
  auto done = for_each_field(reader, [&](FieldKey field) -> CodecResult<bool> {
    if (field.number != 1 || field.type != kLengthDelimited) return false;
    return read_message_into(reader, pairs, decode_key_value);
  });
  if (!done) return fail(std::move(done).error());
  return pairs;
}

std::string encode_keys(const KeysRequest& request) {
  std::string out;
  for (const auto& key : request.keys) {
    // A repeated string keeps empty elements: they are entries, not absent fields.
    put_varint(out, tag(1, kLengthDelimited));
    put_varint(out, key.size());
    out.append(key);
  }
  for (const auto& range : request.key_ranges) {
    const std::size_t body = bytes_field_size(range.key) + varint_field_size(range.byte_start) +
                             varint_field_size(range.byte_end);
    put_message_field(out, 2, body, [&] {
      put_bytes_field(out, 1, range.key);
      put_varint_field(out, 2, range.byte_start);
      put_varint_field(out, 3, range.byte_end);
    });
  }
  return out;
}

CodecResult<KeysRequest> decode_keys(std::string_view bytes) {
  KeysRequest request;
  Reader reader(bytes, 0);
  auto done = for_each_field(reader, [&](FieldKey field) -> CodecResult<bool> {
    if (field.type != kLengthDelimited) return false;
    if (field.number == 1) {
      auto key = reader.length_delimited();
      if (!key) return fail(std::move(key).error());
      request.keys.emplace_back(*key);
      return true;
    }
    if (field.number == 2) return read_message_into(reader, request.key_ranges, decode_key_range);
    return false;
  });
  if (!done) return fail(std::move(done).error());
  return request;
}

}  // namespace dvidxfer::codecs
