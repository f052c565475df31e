#include "dvidxfer/engine/http_message.hpp"

#include <algorithm>

namespace dvidxfer::engine {

std::string_view Response::header(std::string_view name) const {
  const auto equal_ignoring_case = [](std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             const auto lower = [](char c) {
               return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
             };
             return lower(x) == lower(y);
           });
  };
  for (const auto& [key, value] : headers)
    if (equal_ignoring_case(key, name)) return value;
  return {};
}

}  // namespace dvidxfer::engine
