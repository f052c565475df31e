#include "dvidxfer/codecs/gzip.hpp"

#include <zlib.h>

#include <fmt/format.h>

#include <algorithm>
#include <climits>

namespace dvidxfer::codecs {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // zlib's way of asking for a gzip wrapper
constexpr std::size_t kMaxChunk = UINT_MAX;

std::string zlib_message(const z_stream& stream, int status) {
  return stream.msg ? stream.msg : fmt::format("zlib error {}", status);
}

}  // namespace

CodecResult<std::string> gzip_compress(std::string_view data) {
  z_stream stream{};
  int status = deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8,
                            Z_DEFAULT_STRATEGY);
  if (status != Z_OK) return fail(CodecError{zlib_message(stream, status), 0});
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  std::size_t in_left = data.size();
  std::size_t out_left = out.size();
  do {
    stream.avail_in = static_cast<uInt>(std::min(in_left, kMaxChunk));
    stream.avail_out = static_cast<uInt>(std::min(out_left, kMaxChunk));
    const uInt in_given = stream.avail_in;
    const uInt out_given = stream.avail_out;
    status = deflate(&stream, in_left == in_given ? Z_FINISH : Z_NO_FLUSH);
    in_left -= in_given - stream.avail_in;
    out_left -= out_given - stream.avail_out;
  } while (status == Z_OK);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) return fail(CodecError{"gzip compression failed", 0});
  out.resize(out.size() - out_left);
  return out;
}

CodecResult<std::string> gzip_decompress(std::string_view input, std::size_t max_size) {
  z_stream stream{};
  int status = inflateInit2(&stream, kGzipWindowBits);
  if (status != Z_OK) return fail(CodecError{zlib_message(stream, status), 0});
  std::string out;
  std::size_t consumed = 0;
  std::size_t produced = 0;
  while (true) {
    if (produced == out.size()) {
      if (out.size() >= max_size) {
        inflateEnd(&stream);
        return fail(
            CodecError{fmt::format("gzip stream expands past {} bytes", max_size), consumed});
      }
      out.resize(std::min(max_size, std::max<std::size_t>(out.size() * 2, input.size() * 4 + 64)));
    }
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data() + consumed));
    stream.avail_in = static_cast<uInt>(std::min(input.size() - consumed, kMaxChunk));
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    stream.avail_out = static_cast<uInt>(std::min(out.size() - produced, kMaxChunk));
    const uInt in_given = stream.avail_in;
    const uInt out_given = stream.avail_out;
    status = inflate(&stream, Z_NO_FLUSH);
    consumed += in_given - stream.avail_in;
    produced += out_given - stream.avail_out;
    if (status == Z_STREAM_END) {
      if (consumed == input.size()) break;
      inflateReset(&stream);  // another member follows
      continue;
    }
    if (status == Z_BUF_ERROR && consumed == input.size()) {
      inflateEnd(&stream);
      return fail(CodecError{"gzip stream ends early (unexpected EOF)", consumed});
    }
    if (status != Z_OK && status != Z_BUF_ERROR) {
      const std::string message = zlib_message(stream, status);
      inflateEnd(&stream);
      return fail(CodecError{"gzip: " + message, consumed});
    }
  }
  inflateEnd(&stream);
  out.resize(produced);
  return out;
}

}  // namespace dvidxfer::codecs

namespace dvidxfer::codecs {

CodecResult<std::size_t> gzip_decompress_into(std::string_view input, std::span<char> out) {
  auto data = gzip_decompress(input, out.size());
  if (!data) return fail(std::move(data).error());
  std::copy(data->begin(), data->end(), out.begin());
  return data->size();
}

}  // namespace dvidxfer::codecs
