#include "types/keyvalue/byte_range.hpp"

#include <fmt/format.h>

#include <charconv>

#include "gocompat/go_format.hpp"

namespace dvidxfer::server {
namespace {

// strconv.ParseUint(text, 10, 64): decimal digits only, no sign.
std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string_view trim(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

Result<ByteRange, std::string> make_byte_range(std::string_view key, std::uint64_t start,
                                               std::uint64_t end) {
  if (start > end)
    return fail(fmt::format("byte_start {} must be <= byte_end {} for key {}", start, end,
                            go_json_string(key)));
  return ByteRange{start, end};
}

Result<std::optional<ByteRange>, std::string> byte_range_from_query(const HttpRequest& request,
                                                                    std::string_view key) {
  const bool has_start = request.has_query("byte_start");
  const bool has_end = request.has_query("byte_end");
  if (!has_start && !has_end) return std::optional<ByteRange>{};
  if (!has_start || !has_end)
    return fail(fmt::format("range read for key {} requires both byte_start and byte_end",
                            go_json_string(key)));
  const std::string start_text = request.query_value("byte_start");
  const auto start = parse_unsigned(start_text);
  if (!start)
    return fail("byte_start must be an unsigned integer, got " + go_json_string(start_text));
  const std::string end_text = request.query_value("byte_end");
  const auto end = parse_unsigned(end_text);
  if (!end) return fail("byte_end must be an unsigned integer, got " + go_json_string(end_text));
  auto range = make_byte_range(key, *start, *end);
  if (!range) return fail(std::move(range).error());
  return std::optional<ByteRange>{*range};
}

Result<std::string_view, std::string> slice_value(std::string_view key, std::string_view value,
                                                  const ByteRange& range) {
  if (range.start >= value.size())
    return fail(fmt::format("byte_start {} is outside value for key {} with {} bytes", range.start,
                            go_json_string(key), value.size()));
  if (range.end >= value.size())
    return fail(fmt::format("byte_end {} is outside value for key {} with {} bytes", range.end,
                            go_json_string(key), value.size()));
  return value.substr(range.start, range.end - range.start + 1);
}

RangeRequest parse_range_header(std::string_view header, std::uint64_t length) {
  constexpr std::string_view kUnit = "bytes=";
  if (!header.starts_with(kUnit)) return IgnoredRange{};
  const std::string_view spec = trim(header.substr(kUnit.size()));
  if (spec.empty() || spec.find(',') != std::string_view::npos) return IgnoredRange{};
  const std::size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return IgnoredRange{};
  const std::string_view start_text = trim(spec.substr(0, dash));
  const std::string_view end_text = trim(spec.substr(dash + 1));
  if (start_text.empty() && end_text.empty()) return IgnoredRange{};
  if (length == 0)
    return UnsatisfiableRange{"Range " + go_json_string(header) +
                              " is not satisfiable for an empty value"};

  if (start_text.empty()) {  // "-n": the last n bytes
    const auto suffix = parse_unsigned(end_text);
    if (!suffix) return IgnoredRange{};
    if (*suffix == 0)
      return UnsatisfiableRange{"Range " + go_json_string(header) + " is not satisfiable"};
    return ByteRange{*suffix < length ? length - *suffix : 0, length - 1};
  }
  const auto start = parse_unsigned(start_text);
  if (!start) return IgnoredRange{};
  if (*start >= length)
    return UnsatisfiableRange{
        fmt::format("Range start {} is outside value with {} bytes", *start, length)};
  if (end_text.empty()) return ByteRange{*start, length - 1};
  const auto end = parse_unsigned(end_text);
  if (!end || *start > *end) return IgnoredRange{};
  return ByteRange{*start, std::min(*end, length - 1)};
}

}  // namespace dvidxfer::server
