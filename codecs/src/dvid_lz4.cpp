#include "dvidxfer/codecs/dvid_lz4.hpp"

#include <lz4.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

namespace dvidxfer::codecs {
namespace {

constexpr std::size_t kLengthPrefixSize = 4;

std::uint32_t read_u32_le(std::string_view bytes) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  }
  return value;
}

}  // namespace

std::size_t lz4_block_bound(std::size_t input_size) {
  if (input_size > LZ4_MAX_INPUT_SIZE) return 0;
  return static_cast<std::size_t>(LZ4_compressBound(static_cast<int>(input_size)));
}

CodecResult<std::size_t> compress_lz4_block(std::string_view input, std::span<char> output) {
  const std::size_t bound = lz4_block_bound(input.size());
  if (bound == 0) {
    return fail(
        CodecError{fmt::format("{} bytes is too large for one LZ4 block", input.size()), 0});
  }
  if (output.size() < bound) {
    return fail(CodecError{
        fmt::format("LZ4 output buffer holds {} bytes, {} needed", output.size(), bound), 0});
  }
  const int written = LZ4_compress_default(input.data(), output.data(),
                                           static_cast<int>(input.size()), static_cast<int>(bound));
  if (written <= 0) return fail(CodecError{"LZ4 compression failed", 0});
  return static_cast<std::size_t>(written);
}

CodecResult<Unit> decompress_lz4_block(std::string_view block, std::span<char> output) {
  if (block.size() > static_cast<std::size_t>(INT32_MAX) || output.size() > INT32_MAX) {
    return fail(CodecError{"LZ4 block or its expected size exceeds 2 GiB", 0});
  }
  const int decoded = LZ4_decompress_safe(
      block.data(), output.data(), static_cast<int>(block.size()), static_cast<int>(output.size()));
  if (decoded < 0) {
    // liblz4 reports -(input position) - 1 for malformed input.
    const std::size_t position = static_cast<std::size_t>(-(decoded + 1));
    return fail(CodecError{
        fmt::format("malformed LZ4 block, or it expands to more than the expected {} bytes",
                    output.size()),
        position < block.size() ? position : block.size()});
  }
  if (static_cast<std::size_t>(decoded) != output.size()) {
    return fail(CodecError{
        fmt::format("LZ4 block expands to {} bytes, expected {}", decoded, output.size()),
        block.size()});
  }
  return Unit{};
}

CodecResult<std::string> decompress_lz4_block_unknown_size(std::string_view block,
                                                           std::size_t max_size) {
  if (block.size() > static_cast<std::size_t>(INT32_MAX))
    return fail(CodecError{"LZ4 block exceeds 2 GiB", 0});
  // LZ4 expands at most 255:1; start near a typical ratio and double up to that bound.
  const std::size_t ceiling = std::min({max_size, block.size() * 255 + 16, std::size_t{INT32_MAX}});
  std::size_t capacity = std::min(ceiling, std::max<std::size_t>(block.size() * 4, 4096));
  std::string output;
  for (;;) {
    output.resize(capacity);
    const int decoded = LZ4_decompress_safe(
        block.data(), output.data(), static_cast<int>(block.size()), static_cast<int>(capacity));
    if (decoded >= 0) {
      // With room to spare liblz4 skips the end-of-block rules (last 5 bytes literals, the
      // empty block a single 0 byte) that it enforces when the output is exactly full, so a
      // malformed block could decode here but not with its size known. Decode again into exactly
      // the size found, so both decoders accept the same blocks.
      if (static_cast<std::size_t>(decoded) != capacity &&
          LZ4_decompress_safe(block.data(), output.data(), static_cast<int>(block.size()),
                              decoded) != decoded)
        return fail(CodecError{
            fmt::format("malformed LZ4 block: its {} bytes break LZ4's end-of-block rules",
                        decoded),
            block.size()});
      output.resize(static_cast<std::size_t>(decoded));
      return output;
    }
    if (capacity >= ceiling)
      return fail(CodecError{
          fmt::format("malformed LZ4 block, or it expands to more than {} bytes", ceiling),
          std::min(static_cast<std::size_t>(-(decoded + 1)), block.size())});
    capacity = std::min(ceiling, capacity * 2);
  }
}

CodecResult<std::string> encode_dvid_lz4_value(std::string_view data) {
  // A stated length of 0 means "stored uncompressed", so empty data is the bare prefix.
  if (data.empty()) return std::string(kLengthPrefixSize, '\0');
  const std::size_t bound = lz4_block_bound(data.size());
  std::string value(kLengthPrefixSize + bound, '\0');
  for (std::size_t i = 0; i < kLengthPrefixSize; ++i) {
    value[i] = static_cast<char>((data.size() >> (8 * i)) & 0xFF);
  }
  auto written = compress_lz4_block(data, std::span<char>(value).subspan(kLengthPrefixSize));
  if (!written) return fail(std::move(written).error());
  value.resize(kLengthPrefixSize + *written);
  return value;
}

CodecResult<std::string> decode_dvid_lz4_value(std::string_view value, std::size_t max_size) {
  if (value.size() < kLengthPrefixSize) {
    return fail(CodecError{"DVID LZ4 value is shorter than its 4-byte length", value.size()});
  }
  const std::uint32_t stated_size = read_u32_le(value);
  const std::string_view payload = value.substr(kLengthPrefixSize);
  if (stated_size == 0) {
    if (payload.size() > max_size) {
      return fail(CodecError{fmt::format("uncompressed DVID value of {} bytes exceeds the {} "
                                         "byte limit",
                                         payload.size(), max_size),
                             kLengthPrefixSize});
    }
    return std::string(payload);
  }
  if (stated_size > max_size) {
    return fail(CodecError{fmt::format("DVID LZ4 value states {} bytes, above the {} byte limit",
                                       stated_size, max_size),
                           0});
  }
  std::string data(stated_size, '\0');
  auto decoded = decompress_lz4_block(payload, data);
  if (!decoded) {
    CodecError error = std::move(decoded).error();
    error.offset += kLengthPrefixSize;
    return fail(std::move(error));
  }
  return data;
}

}  // namespace dvidxfer::codecs
