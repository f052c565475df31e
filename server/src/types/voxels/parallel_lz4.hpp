// One raw LZ4 block (dvid-api.md 10.1: no frame, no length prefix) compressed on every core:
// the input is cut into chunks compressed independently, then the chunks are stitched into a
// single valid block by joining each chunk's closing literal run with the next chunk's first
// sequence. Matches never reach back across a chunk edge, so the result decodes like any LZ4
// block, with any LZ4 decoder.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dvidxfer::server {

// Builds the block from consecutive pieces of the input, so a caller can produce the input a
// slab at a time in one reused buffer instead of holding all of it.
class ParallelLz4Block {
 public:
  // Compresses the next piece (its chunks in parallel); the piece may be reused afterwards.
  // Throws std::runtime_error once the input so far is too large for one LZ4 block (about
  // 2 GiB), as DVID's golz4 fails then too.
  void append(std::string_view piece);
  // The block of everything appended.
  std::string finish() const;

 private:
  std::vector<std::string> chunks_;  // each chunk compressed on its own
  std::size_t input_size_ = 0;
};

// The whole input at once.
std::string compress_lz4_block_parallel(std::string_view input);

}  // namespace dvidxfer::server
