// Arguments: the command line of one subcommand, as positional words and --name value options,
// plus the values of a --config file (config_file.hpp) for the options the command line leaves out.
// Values are checked and converted on access; problems throw UsageError naming the option, or the
// file and key it came from.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace dvidxfer::cli {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Arguments {
 public:
  // `flags` are options that take no value (e.g. "json"); every other --name takes one.
  Arguments(int argc, char** argv, int first, std::vector<std::string> flags = {});

  const std::vector<std::string>& positional() const noexcept { return positional_; }
  bool has(const std::string& name) const { return options_.count(name) != 0; }
  std::string text(const std::string& name, const std::string& fallback) const;
  std::optional<std::string> text(const std::string& name) const;
  std::int64_t integer(const std::string& name, std::int64_t fallback) const;
  double number(const std::string& name, double fallback) const;
  // A byte count with an optional K/M/G suffix (powers of 1000) or Ki/Mi/Gi (powers of 1024).
  std::uint64_t bytes(const std::string& name, std::uint64_t fallback) const;
  // Fails if an option was given that is not in `known`.
  void allow_only(const std::vector<std::string>& known) const;

  // Sets `name` to `value` read from the file `origin`, unless the command line gave it. A flag
  // the file turns off has no value but is still an option checked by allow_only.
  void set_default(const std::string& name, const std::optional<std::string>& value,
                   const std::string& origin);
  // How to name the option in a message: "--name", or "FILE: key 'name'" when it came from a file.
  std::string where(const std::string& name) const;

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::string> options_;
  std::map<std::string, std::string> origins_;  // option -> the file it came from
};

}  // namespace dvidxfer::cli
