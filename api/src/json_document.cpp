#include "dvidxfer/json_document.hpp"

#include <fmt/format.h>

#include "dvidxfer/errors.hpp"

namespace dvidxfer {

JsonDocument JsonDocument::parse(std::string text, const std::string& source) {
  JsonDocument document;
  document.text_ = std::move(text);
  document.parser_ = std::make_unique<simdjson::dom::parser>();
  const auto parsed = document.parser_->parse(document.text_);
  if (parsed.error()) {
    const std::string_view excerpt(document.text_.data(),
                                   std::min<std::size_t>(document.text_.size(), 120));
    throw DecodeError(
        fmt::format("malformed JSON from {}: {} (received {} bytes starting '{}')", source,
                    simdjson::error_message(parsed.error()), document.text_.size(), excerpt),
        source);
  }
  document.root_ = parsed.value_unsafe();
  return document;
}

}  // namespace dvidxfer
