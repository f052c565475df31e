// The ptquery result decoder (one JSON bool per point asked): asked for the number of answers
// the first byte says, a clean DecodeError or exactly that many bools, which written back decode
// the same.
#include "json_answers.hpp"
#include "json_input.hpp"

using namespace dvidxfer;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t asked = data[0];
  const auto document = fuzz::parse_answer(data + 1, size - 1);
  if (!document) return 0;
  const auto inside = fuzz::decode_or_error(
      [&] { return api::decode_ptquery(*document, asked, fuzz::kAnswerUrl); });
  if (!inside) return 0;
  FUZZ_CHECK(inside->size() == asked);
  std::string json = "[";
  for (std::size_t i = 0; i < inside->size(); ++i)
    json += std::string(i ? "," : "") + ((*inside)[i] ? "true" : "false");
  json += "]";
  FUZZ_CHECK(api::decode_ptquery(JsonDocument::parse(json, fuzz::kAnswerUrl), asked,
                                 fuzz::kAnswerUrl) == *inside);
  return 0;
}
