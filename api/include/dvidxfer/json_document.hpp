// JsonDocument: a parsed JSON answer from DVID (simdjson DOM) that owns its text and parse tree.
#pragma once

#include <simdjson.h>

#include <memory>
#include <string>

namespace dvidxfer {

class JsonDocument {
 public:
  // An empty placeholder (no text, no root) to assign a parsed document to.
  JsonDocument() = default;

  // Parses `text`; throws DecodeError naming `source` (the URL it came from) and simdjson's reason
  // when it is not valid JSON.
  static JsonDocument parse(std::string text, const std::string& source);

  // The JSON text exactly as received.
  const std::string& text() const noexcept { return text_; }
  // The root value; valid as long as this document lives (moves keep it valid).
  simdjson::dom::element root() const noexcept { return root_; }

 private:
  std::string text_;
  std::unique_ptr<simdjson::dom::parser> parser_;
  simdjson::dom::element root_;
};

}  // namespace dvidxfer
