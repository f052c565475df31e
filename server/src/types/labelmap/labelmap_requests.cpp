#include "types/labelmap/labelmap_requests.hpp"

#include <charconv>

#include "dvid/dvid_errors.hpp"
#include "gocompat/go_format.hpp"

namespace dvidxfer::server {

std::int64_t go_atoi(std::string_view text) {
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '+')
    digits.remove_prefix(1);  // from_chars takes '-' only
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || digits.front() == '+' || end != digits.data() + digits.size() ||
      (error != std::errc() && error != std::errc::result_out_of_range))
    throw DvidError("strconv.Atoi: parsing " + go_json_string(text) + ": invalid syntax");
  if (error == std::errc::result_out_of_range)
    throw DvidError("strconv.Atoi: parsing " + go_json_string(text) + ": value out of range");
  return value;
}

std::uint8_t scale_of(const HttpRequest& http, std::string_view error_prefix) {
  const std::string text = http.query_value("scale");
  if (text.empty()) return 0;
  try {
    return static_cast<std::uint8_t>(go_atoi(text));
  } catch (const DvidError& error) {
    throw DvidError(std::string(error_prefix) + error.what());
  }
}

}  // namespace dvidxfer::server
