// The typeinfo / instance info decoder (Extended.BlockSize [x, y, z] as (z, y, x)): a clean
// DecodeError or three positive sides, which written back as DVID writes them decode the same.
#include <fmt/format.h>

#include "json_answers.hpp"
#include "json_input.hpp"

using namespace dvidxfer;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto document = fuzz::parse_answer(data, size);
  if (!document) return 0;
  const auto block = fuzz::decode_or_error(
      [&] { return api::decode_block_size(*document, "fuzzed", fuzz::kAnswerUrl); });
  if (!block) return 0;
  for (const auto side : *block) FUZZ_CHECK(side > 0);
  const std::string json =
      fmt::format(R"({{"Base":{{"TypeName":"labelblk"}},"Extended":{{"BlockSize":[{},{},{}]}}}})",
                  (*block)[2], (*block)[1], (*block)[0]);
  const auto again = api::decode_block_size(JsonDocument::parse(json, fuzz::kAnswerUrl), "fuzzed",
                                            fuzz::kAnswerUrl);
  FUZZ_CHECK(again == *block);
  return 0;
}
