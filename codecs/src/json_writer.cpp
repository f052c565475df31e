#include "dvidxfer/codecs/json_writer.hpp"

#include <cstddef>

namespace dvidxfer::codecs {
namespace {

// Length of the well-formed UTF-8 sequence starting at text[i] (1 to 4), or 0 when the bytes
// there are not one (stray continuation, overlong form, surrogate, above U+10FFFF, truncated).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;  // overlong
    if (lead == 0xED) second_max = 0x9F;  // UTF-16 surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;  // overlong
    if (lead == 0xF4) second_max = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (text.size() - i < length) return 0;
  if (byte(i + 1) < second_min || byte(i + 1) > second_max) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return length;
}

void append_unicode_escape(std::string& out, unsigned char c) {
  static constexpr char kHexDigits[] = "0123456789abcdef";
  out.append("\\u00");
  out.push_back(kHexDigits[c >> 4]);
  out.push_back(kHexDigits[c & 0x0F]);
}

}  // namespace

std::string json_quote(std::string_view text) {
  std::string out;
  append_json_quoted(out, text);
  return out;
}

void append_json_quoted(std::string& out, std::string_view text) {
  out.reserve(out.size() + text.size() + 2);
  out.push_back('"');
  std::size_t i = 0;
  while (i < text.size()) {
    // Copy the longest run of bytes that need no escaping in one append.
    std::size_t run_end = i;
    while (run_end < text.size()) {
      const auto c = static_cast<unsigned char>(text[run_end]);
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
      ++run_end;
    }
    out.append(text.substr(i, run_end - i));
    i = run_end;
    if (i == text.size()) break;

    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const std::size_t length = utf8_sequence_length(text, i);
      if (length == 0) {
        append_unicode_escape(out, c);  // not UTF-8: keep the byte as U+00XX
        ++i;
      } else {
        out.append(text.substr(i, length));
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        append_unicode_escape(out, c);
        break;
    }
    ++i;
  }
  out.push_back('"');
}

}  // namespace dvidxfer::codecs
