// The new-repo answer decoder (POST /api/repos: {"root": "<uuid>"}): a clean DecodeError or the
// root, which written back decodes the same.
#include "dvidxfer/codecs/json_writer.hpp"
#include "json_answers.hpp"
#include "json_input.hpp"

using namespace dvidxfer;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto document = fuzz::parse_answer(data, size);
  if (!document) return 0;
  const auto root =
      fuzz::decode_or_error([&] { return api::decode_repo_root(*document, fuzz::kAnswerUrl); });
  if (!root) return 0;
  const std::string json = "{\"root\":" + codecs::json_quote(*root) + "}";
  FUZZ_CHECK(api::decode_repo_root(JsonDocument::parse(json, fuzz::kAnswerUrl), fuzz::kAnswerUrl) ==
             *root);
  return 0;
}
