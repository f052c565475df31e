// The /blocks record stream parser (codecs/block_records): the same stream parsed whole and in
// fuzzer-chosen pieces gives the same records and the same error; every payload respects the
// maximum; the records re-encode to exactly the bytes consumed.
#include <string>
#include <vector>

#include "dvidxfer/codecs/block_records.hpp"
#include "fuzz_check.hpp"

namespace {

using dvidxfer::Unit;
using dvidxfer::codecs::BlockCoord;
using dvidxfer::codecs::BlockRecord;
using dvidxfer::codecs::BlockRecordParser;
using dvidxfer::codecs::CodecResult;

struct Parsed {
  std::vector<std::pair<BlockCoord, std::string>> records;
  bool ok = true;
  std::string error;
  std::size_t error_offset = 0;
  std::uint64_t consumed = 0;
};

// Parses `stream` in pieces of `piece` bytes (0: in one piece); `stop_after` records are accepted
// before the callback refuses one (0: never refuses).
Parsed parse(std::string_view stream, std::size_t piece, std::size_t max_payload,
             std::size_t stop_after) {
  Parsed parsed;
  BlockRecordParser parser(max_payload);
  const BlockRecordParser::OnRecord on_record =
      [&](const BlockRecord& record) -> CodecResult<Unit> {
    FUZZ_CHECK(record.payload.size() <= max_payload);
    parsed.records.emplace_back(record.coord, std::string(record.payload));
    if (stop_after != 0 && parsed.records.size() == stop_after)
      return dvidxfer::fail(dvidxfer::codecs::CodecError{"refused by the consumer", 0});
    return Unit{};
  };
  std::string_view rest = stream;
  CodecResult<Unit> result = Unit{};
  do {
    const std::size_t take = piece == 0 ? rest.size() : std::min(piece, rest.size());
    result = parser.feed(rest.substr(0, take), on_record);
    rest.remove_prefix(take);
  } while (result && !rest.empty());
  if (!result) {
    // After a feed error every later call gives the same error.
    const auto again = parser.feed("more", on_record);
    FUZZ_CHECK(!again && again.error().message == result.error().message);
    FUZZ_CHECK(!parser.finish());
  } else {
    result = parser.finish();
  }
  if (!result) {
    parsed.ok = false;
    parsed.error = result.error().message;
    parsed.error_offset = result.error().offset;
    FUZZ_CHECK(parsed.error_offset <= stream.size());
  }
  parsed.consumed = parser.bytes_consumed();
  FUZZ_CHECK(parsed.consumed <= stream.size());
  FUZZ_CHECK(parser.records_parsed() == parsed.records.size());
  return parsed;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  dvidxfer::fuzz::ByteReader reader(data, size);
  const std::size_t piece = reader.byte() % 32;
  const std::size_t max_payload = std::size_t{1} << (reader.byte() % 21);
  const std::size_t stop_after = reader.byte() % 8;
  const std::string_view stream = reader.rest();

  const Parsed whole = parse(stream, 0, max_payload, stop_after);
  const Parsed pieces = parse(stream, piece, max_payload, stop_after);
  FUZZ_CHECK(whole.records == pieces.records);
  FUZZ_CHECK(whole.ok == pieces.ok);
  FUZZ_CHECK(whole.error == pieces.error);
  FUZZ_CHECK(whole.error_offset == pieces.error_offset);

  // The records delivered re-encode to the start of the stream, byte for byte.
  std::string encoded;
  for (const auto& [coord, payload] : whole.records)
    dvidxfer::codecs::append_block_record(encoded, coord, payload);
  FUZZ_CHECK(stream.substr(0, encoded.size()) == encoded);
  if (whole.ok) FUZZ_CHECK(encoded.size() == stream.size());
  return 0;
}
