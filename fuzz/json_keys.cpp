// The keys-list decoder (GET .../keys, .../keyrange: a JSON array of strings): a clean
// DecodeError or the strings, which written back as JSON (codecs::json_quote) decode the same.
#include "dvidxfer/codecs/json_writer.hpp"
#include "json_answers.hpp"
#include "json_input.hpp"

using namespace dvidxfer;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto document = fuzz::parse_answer(data, size);
  if (!document) return 0;
  const auto keys =
      fuzz::decode_or_error([&] { return api::decode_string_list(*document, fuzz::kAnswerUrl); });
  if (!keys) return 0;
  std::string json = "[";
  for (const auto& key : *keys) {
    if (json.size() > 1) json += ',';
    codecs::append_json_quoted(json, key);
  }
  json += ']';
  const auto again =
      api::decode_string_list(JsonDocument::parse(json, fuzz::kAnswerUrl), fuzz::kAnswerUrl);
  FUZZ_CHECK(again == *keys);
  return 0;
}
