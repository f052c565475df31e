// UrlBuilder: the one place request targets are built. Path parts given as data (instance names,
// keys, uuids) are percent-escaped; every target ends with u=<user>&app=<app>, as DVID records
// them.
#pragma once

#include <string>
#include <string_view>

namespace dvidxfer::api {

class UrlBuilder {
 public:
  // Starts at a literal path such as "/api/node" (not escaped).
  explicit UrlBuilder(std::string_view literal_path) : path_(literal_path) {}

  // Appends "/" + the escaped `part`.
  UrlBuilder& segment(std::string_view part);
  // Appends `path` as given (already a valid path, e.g. "/raw/0_1_2/..." or a caller's endpoint).
  UrlBuilder& literal(std::string_view path);
  // Adds name=value (value escaped).
  UrlBuilder& query(std::string_view name, std::string_view value);

  // The target with u= and app= appended last.
  std::string finish(std::string_view user, std::string_view app) const;

 private:
  std::string path_;
  std::string query_;
};

}  // namespace dvidxfer::api
