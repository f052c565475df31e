// gzip streams (RFC 1952) as DVID's Go compress/gzip writes and reads them: labelblk raw GET/POST
// with compression=gzip and labelvol sparsevol (dvid-api.md 10.1).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "dvidxfer/codecs/codec_error.hpp"

namespace dvidxfer::codecs {

// One gzip member holding `data`, at level 6 (Go's default), through libdeflate.
CodecResult<std::string> gzip_compress(std::string_view data);

// Decompresses a gzip stream (concatenated members are joined, as Go's reader does), refusing to
// produce more than max_size bytes so a hostile stream cannot make it allocate without bound.
CodecResult<std::string> gzip_decompress(std::string_view stream, std::size_t max_size);

// The same into a caller's buffer: returns the bytes written, or an error when the stream
// expands past out.size(). For hot paths that reuse one buffer.
CodecResult<std::size_t> gzip_decompress_into(std::string_view stream, std::span<char> out);

}  // namespace dvidxfer::codecs
