#include "gocompat/go_format.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <ctime>

namespace dvidxfer::server {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence at text[i], or 0 if it is not valid UTF-8.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i, char32_t& code_point) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char lead = byte(0);
  std::size_t length;
  char32_t minimum;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, minimum = 0x80, code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, minimum = 0x800, code_point = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, minimum = 0x10000, code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(k) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(k) & 0x3F);
  }
  if (code_point < minimum || code_point > 0x10FFFF) return 0;
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return 0;
  return length;
}

std::tm utc_fields(std::chrono::system_clock::time_point time) {
  const std::time_t seconds =
      std::chrono::system_clock::to_time_t(std::chrono::floor<std::chrono::seconds>(time));
  std::tm fields{};
  gmtime_r(&seconds, &fields);
  return fields;
}

// Nanoseconds past the second, as ".123456789" with trailing zeros trimmed ("" when zero).
std::string trimmed_fraction(std::uint64_t nanoseconds, int digits = 9) {
  if (nanoseconds == 0) return {};
  std::string fraction = fmt::format(".{:0{}}", nanoseconds, digits);
  while (fraction.back() == '0') fraction.pop_back();
  return fraction;
}

std::uint64_t subsecond_nanoseconds(std::chrono::system_clock::time_point time) {
  const auto since_epoch =
      std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch());
  return static_cast<std::uint64_t>(since_epoch.count() % 1'000'000'000);
}

std::string date_and_time(const std::tm& f, char separator) {
  return fmt::format("{:04}-{:02}-{:02}{}{:02}:{:02}:{:02}", f.tm_year + 1900, f.tm_mon + 1,
                     f.tm_mday, separator, f.tm_hour, f.tm_min, f.tm_sec);
}

}  // namespace

void append_go_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        default:
          if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    char32_t code_point = 0;
    const std::size_t length = utf8_sequence_length(text, i, code_point);
    if (length == 0) {
      out += "\\ufffd";
      ++i;
    } else if (code_point == 0x2028 || code_point == 0x2029) {
      out += code_point == 0x2028 ? "\\u2028" : "\\u2029";
      i += length;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  out += '"';
}

std::string go_json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_go_json_string(out, text);
  return out;
}

std::string go_rfc3339(std::chrono::system_clock::time_point time) {
  return date_and_time(utc_fields(time), 'T') + "Z";
}

std::string go_json_time(std::chrono::system_clock::time_point time) {
  return '"' + date_and_time(utc_fields(time), 'T') +
         trimmed_fraction(subsecond_nanoseconds(time)) + "Z\"";
}

std::string go_time_string(std::chrono::system_clock::time_point time) {
  return date_and_time(utc_fields(time), ' ') + trimmed_fraction(subsecond_nanoseconds(time)) +
         " +0000 UTC";
}

std::string go_duration_string(std::chrono::nanoseconds duration) {
  std::int64_t ns = duration.count();
  if (ns == 0) return "0s";
  std::string sign = ns < 0 ? "-" : "";
  const std::uint64_t magnitude =
      ns < 0 ? static_cast<std::uint64_t>(-(ns + 1)) + 1 : static_cast<std::uint64_t>(ns);
  if (magnitude < 1'000) return fmt::format("{}{}ns", sign, magnitude);
  if (magnitude < 1'000'000)
    return fmt::format("{}{}{}µs", sign, magnitude / 1'000, trimmed_fraction(magnitude % 1'000, 3));
  if (magnitude < 1'000'000'000)
    return fmt::format("{}{}{}ms", sign, magnitude / 1'000'000,
                       trimmed_fraction(magnitude % 1'000'000, 6));
  const std::uint64_t total_seconds = magnitude / 1'000'000'000;
  const std::string seconds =
      fmt::format("{}{}s", total_seconds % 60, trimmed_fraction(magnitude % 1'000'000'000));
  const std::uint64_t minutes = total_seconds / 60 % 60;
  const std::uint64_t hours = total_seconds / 3600;
  if (hours > 0) return fmt::format("{}{}h{}m{}", sign, hours, minutes, seconds);
  if (minutes > 0) return fmt::format("{}{}m{}", sign, minutes, seconds);
  return sign + seconds;
}

std::string go_float_string(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value < 0 ? "-Inf" : "+Inf";
  // Shortest round-trip digits in scientific form, e.g. "4.5e+06", then laid out as Go's %v does.
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  const std::string_view scientific(buffer, static_cast<std::size_t>(result.ptr - buffer));
  const std::size_t e = scientific.find('e');
  std::string_view mantissa = scientific.substr(0, e);
  const int exponent = std::stoi(std::string(scientific.substr(e + 1)));
  std::string sign;
  if (!mantissa.empty() && mantissa.front() == '-') {
    sign = "-";
    mantissa.remove_prefix(1);
  }
  std::string digits;
  for (char c : mantissa)
    if (c != '.') digits += c;
  std::string out = sign;
  if (exponent < -4 || exponent >= 6) {
    out.append(digits, 0, 1);
    if (digits.size() > 1) out.append(".").append(digits, 1);
    return out + fmt::format("e{}{:02}", exponent < 0 ? '-' : '+', std::abs(exponent));
  }
  if (exponent < 0) {
    out.append("0.").append(static_cast<std::size_t>(-exponent - 1), '0').append(digits);
    return out;
  }
  const auto integer_digits = static_cast<std::size_t>(exponent) + 1;
  if (digits.size() <= integer_digits) {
    out.append(digits).append(integer_digits - digits.size(), '0');
    return out;
  }
  out.append(digits, 0, integer_digits).append(".").append(digits, integer_digits);
  return out;
}

}  // namespace dvidxfer::server
