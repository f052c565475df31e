#include "dvidxfer/codecs/tar_writer.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace dvidxfer::codecs {
namespace {

namespace fs = std::filesystem;

struct TarEntry {
  std::string name;
  std::string content;
};

// A fresh directory under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "dvidxfer-tar-XXXXXX").string();
    EXPECT_NE(mkdtemp(pattern.data()), nullptr);
    path_ = pattern;
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Runs a shell command and returns its stdout; the exit status must be 0.
std::string run(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr) << command;
  if (pipe == nullptr) return output;
  std::array<char, 4096> buffer;
  std::size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) output.append(buffer.data(), n);
  EXPECT_EQ(pclose(pipe), 0) << command;
  return output;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string make_archive(const std::vector<TarEntry>& entries) {
  std::string archive;
  for (const auto& e : entries) append_tar_file(archive, e.name, e.content);
  finish_tar(archive);
  return archive;
}

TEST(TarWriter, HeaderFieldsAreByteExact) {
  const std::string archive = make_archive({{"key1", "hello"}});
  ASSERT_EQ(archive.size(), 512u * 4);  // header, one content block, two end blocks
  const std::string_view header(archive.data(), 512);
  EXPECT_EQ(header.substr(0, 5), std::string_view("key1\0", 5));
  EXPECT_EQ(header.substr(100, 8), std::string_view("0000755\0", 8));
  EXPECT_EQ(header.substr(108, 8), std::string_view("0000000\0", 8));
  EXPECT_EQ(header.substr(116, 8), std::string_view("0000000\0", 8));
  EXPECT_EQ(header.substr(124, 12), std::string_view("00000000005\0", 12));
  EXPECT_EQ(header.substr(136, 12), std::string_view("00000000000\0", 12));
  EXPECT_EQ(header[156], '0');
  EXPECT_EQ(header.substr(257, 8), std::string_view("ustar\0"
                                                    "00",
                                                    8));

  unsigned sum = 0;
  for (std::size_t i = 0; i < 512; ++i) {
    sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(header[i]);
  }
  char checksum[8];
  std::snprintf(checksum, sizeof checksum, "%06o", sum);
  EXPECT_EQ(header.substr(148, 6), checksum);
  EXPECT_EQ(header[154], '\0');
  EXPECT_EQ(header[155], ' ');

  EXPECT_EQ(archive.substr(512, 5), "hello");
  EXPECT_EQ(archive.substr(517), std::string(512 * 3 - 5, '\0'));
}

TEST(TarWriter, EmptyArchiveIsTwoZeroBlocks) {
  std::string archive;
  finish_tar(archive);
  EXPECT_EQ(archive, std::string(1024, '\0'));
}

TEST(TarWriter, LongNamesUsePrefixWhenASlashAllowsIt) {
  const std::string name = std::string(120, 'd') + "/" + std::string(90, 'f');
  const std::string archive = make_archive({{name, "x"}});
  EXPECT_EQ(archive.size(), 512u * 4);
  EXPECT_EQ(archive.substr(0, 91), std::string(90, 'f') + '\0');
  EXPECT_EQ(archive.substr(345, 121), std::string(120, 'd') + '\0');
}

TEST(TarWriter, LongNamesWithoutSlashUseGnuLongNameRecord) {
  const std::string name(150, 'k');
  const std::string archive = make_archive({{name, "x"}});
  // 'L' header, one block of name, the file header, one content block, two end blocks.
  EXPECT_EQ(archive.size(), 512u * 6);
  EXPECT_EQ(archive.substr(0, 14), std::string_view("././@LongLink\0", 14));
  EXPECT_EQ(archive[156], 'L');
  EXPECT_EQ(archive.substr(124, 12), std::string_view("00000000227\0", 12));  // 151 bytes
  EXPECT_EQ(archive.substr(512, 151), name + '\0');
}

TEST(TarWriter, GnuTarListsAndExtractsEveryFile) {
  std::vector<TarEntry> entries = {
      {"empty", ""},
      {"one", "1"},
      {"block-minus-one", std::string(511, 'a')},
      {"block", std::string(512, 'b')},
      {"block-plus-one", std::string(513, 'c')},
      {"binary", std::string("\0\xff\x01zero\0", 7)},
      {"spaces and ~unicode\xC3\xA9", "text"},
      {std::string(100, 'x'), "exactly 100"},
      {std::string(101, 'y'), "gnu long name 101"},
      {std::string(250, 'z'), "gnu long name 250"},
      {std::string(150, 'p') + "/" + std::string(99, 'q'), "prefix split"},
      {std::string(200, 'r') + "/" + std::string(10, 's'), "prefix too long"},
  };
  for (int i = 0; i < 3; ++i)
    entries.push_back({"big" + std::to_string(i), std::string(70000 + i, 'g')});

  const std::string archive = make_archive(entries);
  ASSERT_EQ(archive.size() % 512, 0u);

  TempDir dir;
  const fs::path archive_path = dir.path() / "test.tar";
  std::ofstream(archive_path, std::ios::binary) << archive;

  const std::string listing = run("tar -tvf '" + archive_path.string() + "'");
  for (const auto& e : entries) {
    EXPECT_NE(listing.find(e.name), std::string::npos) << e.name;
  }
  EXPECT_NE(listing.find("-rwxr-xr-x"), std::string::npos) << listing;

  const fs::path out = dir.path() / "out";
  fs::create_directory(out);
  run("tar -xf '" + archive_path.string() + "' -C '" + out.string() + "'");
  std::size_t extracted = 0;
  for (const auto& file : fs::recursive_directory_iterator(out))
    extracted += file.is_regular_file();
  EXPECT_EQ(extracted, entries.size());
  for (const auto& e : entries) {
    EXPECT_EQ(read_file(out / e.name), e.content) << e.name;
    EXPECT_EQ(fs::status(out / e.name).permissions() & fs::perms::all,
              fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                  fs::perms::others_read | fs::perms::others_exec)
        << e.name;
  }
  // -xO streams one member's content, as a client piping the response would.
  EXPECT_EQ(run("tar -xOf '" + archive_path.string() + "' '" + std::string(250, 'z') + "'"),
            "gnu long name 250");
}

}  // namespace
}  // namespace dvidxfer::codecs
