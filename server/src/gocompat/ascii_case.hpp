// ASCII lower-casing, as DVID lower-cases config keys, methods and setting values.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace dvidxfer::server {

inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace dvidxfer::server
