// gzip through libdeflate: whole-buffer (de)compression, measured about 2x zlib's speed on
// encoded label Blocks (bench/README.md), and every buffer here is whole anyway.
#include "dvidxfer/codecs/gzip.hpp"

#include <libdeflate.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

namespace dvidxfer::codecs {
namespace {

// libdeflate level 6: Go's default level, and sizes within 1% of zlib's there (bench/README.md).
constexpr int kLevel = 6;
// No deflate stream expands more than this (a 258-byte match per 2 bits at best).
constexpr std::size_t kMaxDeflateRatio = 1032;

// libdeflate's state is reusable and never allocates per call, so each thread keeps one.
libdeflate_compressor* compressor() {
  thread_local const std::unique_ptr<libdeflate_compressor, void (*)(libdeflate_compressor*)> state(
      libdeflate_alloc_compressor(kLevel), libdeflate_free_compressor);
  return state.get();
}

libdeflate_decompressor* decompressor() {
  thread_local const std::unique_ptr<libdeflate_decompressor, void (*)(libdeflate_decompressor*)>
      state(libdeflate_alloc_decompressor(), libdeflate_free_decompressor);
  return state.get();
}

enum class Inflated { ok, too_big, bad };

// Decompresses every member of `input` into `out`; `consumed` ends at the failing member's start.
Inflated inflate_members(std::string_view input, std::span<char> out, std::size_t& consumed,
                         std::size_t& produced) {
  libdeflate_decompressor* state = decompressor();
  if (!state) return Inflated::bad;
  consumed = 0;
  produced = 0;
  do {
    std::size_t in_used = 0;
    std::size_t out_used = 0;
    const libdeflate_result result = libdeflate_gzip_decompress_ex(
        state, input.data() + consumed, input.size() - consumed, out.data() + produced,
        out.size() - produced, &in_used, &out_used);
    if (result == LIBDEFLATE_INSUFFICIENT_SPACE) return Inflated::too_big;
    if (result != LIBDEFLATE_SUCCESS) return Inflated::bad;
    consumed += in_used;
    produced += out_used;
  } while (consumed < input.size());
  return Inflated::ok;
}

Failure<CodecError> bad_stream(std::size_t member_start) {
  return fail(
      CodecError{"gzip: invalid or truncated gzip member (header, deflate data, CRC32 "
                 "or length)",
                 member_start});
}

}  // namespace

CodecResult<std::string> gzip_compress(std::string_view data) {
  libdeflate_compressor* state = compressor();
  if (!state) return fail(CodecError{"gzip: cannot allocate a compressor", 0});
  std::string out(libdeflate_gzip_compress_bound(state, data.size()), '\0');
  const std::size_t size =
      libdeflate_gzip_compress(state, data.data(), data.size(), out.data(), out.size());
  if (size == 0) return fail(CodecError{"gzip compression failed", 0});
  out.resize(size);
  return out;
}

CodecResult<std::size_t> gzip_decompress_into(std::string_view input, std::span<char> out) {
  std::size_t consumed = 0;
  std::size_t produced = 0;
  switch (inflate_members(input, out, consumed, produced)) {
    case Inflated::ok:
      return produced;
    case Inflated::too_big:
      return fail(
          CodecError{fmt::format("gzip stream expands past {} bytes", out.size()), consumed});
    case Inflated::bad:
      break;
  }
  return bad_stream(consumed);
}

CodecResult<std::string> gzip_decompress(std::string_view input, std::size_t max_size) {
  // The last member's ISIZE trailer sizes the output exactly for the usual single member; it is
  // capped at what the input could really expand to, so a lying trailer costs no more memory
  // than a real gzip bomb of the same size. Otherwise the buffer doubles and decoding restarts.
  std::uint32_t trailer = 0;
  if (input.size() >= 4) std::memcpy(&trailer, input.data() + input.size() - 4, 4);
  std::size_t capacity =
      std::min({max_size, std::size_t{trailer}, input.size() * kMaxDeflateRatio});
  capacity = std::max(capacity, std::min(max_size, input.size() * 4 + 64));
  std::string out;
  while (true) {
    out.resize(capacity);
    std::size_t consumed = 0;
    std::size_t produced = 0;
    switch (inflate_members(input, out, consumed, produced)) {
      case Inflated::ok:
        out.resize(produced);
        return out;
      case Inflated::too_big:
        if (capacity >= max_size) {
          return fail(
              CodecError{fmt::format("gzip stream expands past {} bytes", max_size), consumed});
        }
        capacity = std::min(max_size, 2 * capacity);
        continue;
      case Inflated::bad:
        return bad_stream(consumed);
    }
  }
}

}  // namespace dvidxfer::codecs
