#include "arguments.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace dvidxfer::cli {

Arguments::Arguments(int argc, char** argv, int first, std::vector<std::string> flags) {
  for (int i = first; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.rfind("--", 0) != 0 || word == "--") {
      positional_.push_back(word);
      continue;
    }
    std::string name = word.substr(2);
    if (const auto equals = name.find('='); equals != std::string::npos) {
      options_[name.substr(0, equals)] = name.substr(equals + 1);
    } else if (std::find(flags.begin(), flags.end(), name) != flags.end()) {
      options_[name] = "true";
    } else {
      if (i + 1 >= argc) throw UsageError(fmt::format("option --{} needs a value", name));
      options_[name] = argv[++i];
    }
  }
}

std::optional<std::string> Arguments::text(const std::string& name) const {
  const auto it = options_.find(name);
  if (it == options_.end()) return std::nullopt;
  return it->second;
}

std::string Arguments::text(const std::string& name, const std::string& fallback) const {
  return text(name).value_or(fallback);
}

std::int64_t Arguments::integer(const std::string& name, std::int64_t fallback) const {
  const auto value = text(name);
  if (!value) return fallback;
  std::int64_t out = 0;
  const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), out);
  if (ec != std::errc() || end != value->data() + value->size())
    throw UsageError(fmt::format("{} expects an integer, got '{}'", where(name), *value));
  return out;
}

double Arguments::number(const std::string& name, double fallback) const {
  const auto value = text(name);
  if (!value) return fallback;
  try {
    std::size_t used = 0;
    const double out = std::stod(*value, &used);
    if (used == value->size() && std::isfinite(out)) return out;
  } catch (const std::exception&) {
  }
  throw UsageError(fmt::format("{} expects a number, got '{}'", where(name), *value));
}

std::uint64_t Arguments::bytes(const std::string& name, std::uint64_t fallback) const {
  const auto value = text(name);
  if (!value) return fallback;
  std::uint64_t amount = 0;
  const char* begin = value->data();
  const char* end = begin + value->size();
  const auto [rest, ec] = std::from_chars(begin, end, amount);
  if (ec != std::errc() || rest == begin)
    throw UsageError(
        fmt::format("{} expects a byte count such as 100M or 64Ki, got '{}'", where(name), *value));
  const std::string suffix(rest, end);
  static const std::map<std::string, std::uint64_t> multipliers = {
      {"", 1},           {"B", 1},           {"K", 1000},        {"M", 1000000},
      {"G", 1000000000}, {"Ki", 1ull << 10}, {"Mi", 1ull << 20}, {"Gi", 1ull << 30}};
  const auto it = multipliers.find(suffix);
  if (it == multipliers.end())
    throw UsageError(fmt::format("{}: unknown size suffix '{}' (use K, M, G, Ki, Mi or Gi)",
                                 where(name), suffix));
  if (amount > std::numeric_limits<std::uint64_t>::max() / it->second)
    throw UsageError(fmt::format("{} is too large: '{}'", where(name), *value));
  return amount * it->second;
}

void Arguments::allow_only(const std::vector<std::string>& known) const {
  const auto is_known = [&](const std::string& name) {
    return std::find(known.begin(), known.end(), name) != known.end();
  };
  for (const auto& [name, value] : options_)
    if (!is_known(name) && !origins_.count(name))
      throw UsageError(fmt::format("unknown option --{}", name));
  for (const auto& [name, origin] : origins_)
    if (!is_known(name))
      throw UsageError(fmt::format("{} is not an option of this command", where(name)));
}

void Arguments::set_default(const std::string& name, const std::optional<std::string>& value,
                            const std::string& origin) {
  if (options_.count(name)) return;
  origins_[name] = origin;
  if (value) options_[name] = *value;
}

std::string Arguments::where(const std::string& name) const {
  const auto origin = origins_.find(name);
  if (origin == origins_.end()) return "--" + name;
  return fmt::format("{}: key '{}'", origin->second, name);
}

}  // namespace dvidxfer::cli
