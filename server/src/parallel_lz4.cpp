#include "parallel_lz4.hpp"

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

std::string compress_lz4_block_parallel(std::string_view input) {
  if (input.size() > LZ4_MAX_INPUT_SIZE)
    throw std::runtime_error(std::to_string(input.size()) +
                             " bytes is too large for one LZ4 block");
  const std::size_t chunks = std::max<std::size_t>(1, (input.size() + kChunkSize - 1) / kChunkSize);
  const auto chunk_bound =
      static_cast<std::size_t>(LZ4_compressBound(static_cast<int>(kChunkSize)));
  auto scratch = std::make_unique_for_overwrite<char[]>(chunks * chunk_bound);
  std::vector<std::size_t> sizes(chunks);
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t i) {
    const std::size_t begin = i * kChunkSize;
    const std::size_t size = std::min(kChunkSize, input.size() - begin);
    const int written = LZ4_compress_default(input.data() + begin, scratch.get() + i * chunk_bound,
                                             static_cast<int>(size), static_cast<int>(chunk_bound));
    if (written <= 0) throw std::runtime_error("LZ4 compression failed");
    sizes[i] = static_cast<std::size_t>(written);
  });

  std::size_t total = 0;
  for (std::size_t size : sizes) total += size;
  std::string out;
  out.reserve(total + 16);
  // Literal runs that close chunks, waiting to lead the next sequence that has a match.
  std::vector<Literals> pending;
  std::size_t pending_size = 0;
  for (std::size_t i = 0; i < chunks; ++i) {
    const auto* begin = reinterpret_cast<const unsigned char*>(scratch.get() + i * chunk_bound);
    const unsigned char* end = begin + sizes[i];
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

}  // namespace dvidxfer::server
