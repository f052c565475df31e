#include "types/voxels/parallel_lz4.hpp"

#include <lz4.h>
#include <tbb/parallel_for.h>

#include <memory>
#include <stdexcept>
#include <vector>

namespace dvidxfer::server {
namespace {

constexpr std::size_t kChunkSize = 4 << 20;

// A length field of the LZ4 sequence format: a 4-bit nibble, 15 meaning "255-bytes follow".
std::size_t read_length(const unsigned char*& at, std::size_t nibble) {
  std::size_t length = nibble;
  if (nibble == 15) {
    unsigned char byte = 0;
    do {
      byte = *at++;
      length += byte;
    } while (byte == 255);
  }
  return length;
}

void append_length_extension(std::string& out, std::size_t length) {
  if (length < 15) return;
  length -= 15;
  for (; length >= 255; length -= 255) out += static_cast<char>(255);
  out += static_cast<char>(length);
}

struct Sequence {
  const unsigned char* start;     // the token
  const unsigned char* literals;  // the literal bytes
  std::size_t literal_length;
  const unsigned char* after_literals;  // the match offset, or the end for the last sequence
};

Sequence read_sequence(const unsigned char* at) {
  Sequence sequence{at, nullptr, 0, nullptr};
  const unsigned char token = *at++;
  sequence.literal_length = read_length(at, token >> 4);
  sequence.literals = at;
  sequence.after_literals = at + sequence.literal_length;
  return sequence;
}

// The start of the sequence after `sequence`, which must have a match.
const unsigned char* skip_match(const Sequence& sequence) {
  const unsigned char* at = sequence.after_literals + 2;  // the offset
  read_length(at, *sequence.start & 15);
  return at;
}

struct Literals {
  const unsigned char* data;
  std::size_t size;
};

}  // namespace

void ParallelLz4Block::append(std::string_view piece) {
  input_size_ += piece.size();
  if (input_size_ > LZ4_MAX_INPUT_SIZE)
    throw std::runtime_error(std::to_string(input_size_) + " bytes is too large for one LZ4 block");
  const std::size_t count = (piece.size() + kChunkSize - 1) / kChunkSize;
  const std::size_t first = chunks_.size();
  chunks_.resize(first + count);
  tbb::parallel_for(std::size_t{0}, count, [&](std::size_t i) {
    const std::size_t begin = i * kChunkSize;
    const std::size_t size = std::min(kChunkSize, piece.size() - begin);
    thread_local std::vector<char> scratch;
    const auto bound = static_cast<std::size_t>(LZ4_compressBound(static_cast<int>(size)));
    if (scratch.size() < bound) scratch.resize(bound);
    const int written = LZ4_compress_default(piece.data() + begin, scratch.data(),
                                             static_cast<int>(size), static_cast<int>(bound));
    if (written <= 0) throw std::runtime_error("LZ4 compression failed");
    chunks_[first + i].assign(scratch.data(), static_cast<std::size_t>(written));
  });
}

std::string ParallelLz4Block::finish() const {
  std::size_t total = 0;
  for (const std::string& chunk : chunks_) total += chunk.size();
  std::string out;
  out.reserve(total + 16);
  // Literal runs that close chunks, waiting to lead the next sequence that has a match.
  std::vector<Literals> pending;
  std::size_t pending_size = 0;
  // With no chunks at all this writes one empty literal run, as LZ4 does for an empty input.
  for (const std::string& chunk : chunks_) {
    const auto* begin = reinterpret_cast<const unsigned char*>(chunk.data());
    const unsigned char* end = begin + chunk.size();
    const Sequence first = read_sequence(begin);
    if (first.after_literals == end) {  // the chunk is one literal run
      pending.push_back({first.literals, first.literal_length});
      pending_size += first.literal_length;
      continue;
    }
    // The first sequence, with the pending literals before its own.
    const std::size_t literals = pending_size + first.literal_length;
    out += static_cast<char>((std::min<std::size_t>(literals, 15) << 4) | (*first.start & 15));
    append_length_extension(out, literals);
    for (const Literals& run : pending)
      out.append(reinterpret_cast<const char*>(run.data), run.size);
    out.append(reinterpret_cast<const char*>(first.literals), first.literal_length);
    // The rest of the chunk up to its closing literal run, unchanged.
    const unsigned char* copy_from = first.after_literals;
    const unsigned char* at = skip_match(first);
    Sequence last = read_sequence(at);
    while (last.after_literals != end) {
      at = skip_match(last);
      last = read_sequence(at);
    }
    out.append(reinterpret_cast<const char*>(copy_from),
               static_cast<std::size_t>(last.start - copy_from));
    pending.assign(1, {last.literals, last.literal_length});
    pending_size = last.literal_length;
  }
  out += static_cast<char>(std::min<std::size_t>(pending_size, 15) << 4);
  append_length_extension(out, pending_size);
  for (const Literals& run : pending) out.append(reinterpret_cast<const char*>(run.data), run.size);
  return out;
}

std::string compress_lz4_block_parallel(std::string_view input) {
  ParallelLz4Block block;
  block.append(input);
  return block.finish();
}

}  // namespace dvidxfer::server
