// One raw LZ4 block (dvid-api.md 10.1: no frame, no length prefix) compressed on every core:
// the input is cut into chunks compressed independently, then the chunks are stitched into a
// single valid block by joining each chunk's closing literal run with the next chunk's first
// sequence. Matches never reach back across a chunk edge, so the result decodes like any LZ4
// block, with any LZ4 decoder.
#pragma once

#include <string>
#include <string_view>

namespace dvidxfer::server {

// Throws std::runtime_error when the input is too large for one LZ4 block (about 2 GiB), as
// DVID's golz4 fails then too.
std::string compress_lz4_block_parallel(std::string_view input);

}  // namespace dvidxfer::server
