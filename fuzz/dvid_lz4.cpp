// DVID's lz4 framings (codecs/dvid_lz4): a raw block decoded into an exactly sized output (ASan
// watches its end), the unknown-size variant bounded by its maximum and agreeing with the
// known-size decoder, DVID's length-prefixed value, and compress -> decompress round trips of the
// same bytes.
#include <string>
#include <vector>

#include "dvidxfer/codecs/dvid_lz4.hpp"
#include "fuzz_check.hpp"

namespace codecs = dvidxfer::codecs;

namespace {

// Compressing `data` and decompressing it both ways gives `data` back.
void check_round_trip(std::string_view data) {
  std::vector<char> compressed(codecs::lz4_block_bound(data.size()));
  const auto written = codecs::compress_lz4_block(data, compressed);
  FUZZ_CHECK(written.ok());
  const std::string_view block(compressed.data(), *written);
  std::vector<char> exact(data.size());
  FUZZ_CHECK(codecs::decompress_lz4_block(block, exact).ok());
  FUZZ_CHECK(std::string_view(exact.data(), exact.size()) == data);
  const auto unknown = codecs::decompress_lz4_block_unknown_size(block, data.size());
  FUZZ_CHECK(unknown.ok() && *unknown == data);
  if (!data.empty()) {
    // One byte less than the block expands to is refused.
    FUZZ_CHECK(!codecs::decompress_lz4_block_unknown_size(block, data.size() - 1));
    std::vector<char> short_output(data.size() - 1);
    FUZZ_CHECK(!codecs::decompress_lz4_block(block, short_output));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  dvidxfer::fuzz::ByteReader reader(data, size);
  const std::size_t expected_size = reader.u16();          // what the caller says the block holds
  const std::size_t max_size = reader.u32() % (1u << 20);  // the unknown-size cap
  const std::string_view input = reader.rest();

  // Known size: the output is exactly expected_size bytes, on the heap so ASan sees overruns.
  std::vector<char> output(expected_size);
  const auto known = codecs::decompress_lz4_block(input, output);
  if (!known) FUZZ_CHECK(known.error().offset <= input.size());

  // Unknown size: never more than max_size, and the known-size decoder agrees on the result.
  const auto unknown = codecs::decompress_lz4_block_unknown_size(input, max_size);
  if (unknown) {
    FUZZ_CHECK(unknown->size() <= max_size);
    std::vector<char> exact(unknown->size());
    FUZZ_CHECK(codecs::decompress_lz4_block(input, exact).ok());
    FUZZ_CHECK(std::string_view(exact.data(), exact.size()) == *unknown);
    if (known) FUZZ_CHECK(expected_size == unknown->size());
    check_round_trip(*unknown);
  } else {
    FUZZ_CHECK(unknown.error().offset <= input.size());
    // A block that decodes to a size within the cap is never refused.
    if (known) FUZZ_CHECK(expected_size > max_size);
  }
  if (known) check_round_trip(std::string_view(output.data(), output.size()));

  // DVID's value form: bounded by max_size, and a decoded value re-encodes to the same data.
  const auto value = codecs::decode_dvid_lz4_value(input, max_size);
  if (value) {
    FUZZ_CHECK(value->size() <= max_size);
    const auto encoded = codecs::encode_dvid_lz4_value(*value);
    FUZZ_CHECK(encoded.ok());
    const auto again = codecs::decode_dvid_lz4_value(*encoded, value->size());
    FUZZ_CHECK(again.ok() && *again == *value);
  } else {
    FUZZ_CHECK(value.error().offset <= input.size());
  }

  check_round_trip(input);
  return 0;
}
