#include "dvidxfer/codecs/tar_writer.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace dvidxfer::codecs {
namespace {

constexpr std::size_t kBlockSize = 512;
constexpr std::size_t kNameSize = 100;
constexpr std::size_t kPrefixSize = 155;

// Field offsets and widths of the ustar header (POSIX.1-1988).
constexpr std::size_t kNameOffset = 0;
constexpr std::size_t kModeOffset = 100;
constexpr std::size_t kUidOffset = 108;
constexpr std::size_t kGidOffset = 116;
constexpr std::size_t kSizeOffset = 124;
constexpr std::size_t kSizeWidth = 12;
constexpr std::size_t kMtimeOffset = 136;
constexpr std::size_t kChecksumOffset = 148;
constexpr std::size_t kChecksumWidth = 8;
constexpr std::size_t kTypeflagOffset = 156;
constexpr std::size_t kMagicOffset = 257;
constexpr std::size_t kPrefixOffset = 345;

using Header = std::array<char, kBlockSize>;

// Writes `value` as zero-padded octal filling width-1 digits plus a NUL terminator.
void put_octal(Header& header, std::size_t offset, std::size_t width, std::uint64_t value) {
  header[offset + width - 1] = '\0';
  for (std::size_t i = width - 1; i-- > 0;) {
    header[offset + i] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
}

// Sizes that do not fit 11 octal digits (8 GiB and more) use GNU's base-256 form, which GNU tar,
// bsdtar and Go all read.
void put_size(Header& header, std::uint64_t size) {
  constexpr std::uint64_t kOctalLimit = std::uint64_t{1} << 33;
  if (size < kOctalLimit) {
    put_octal(header, kSizeOffset, kSizeWidth, size);
    return;
  }
  std::memset(header.data() + kSizeOffset, 0, kSizeWidth);
  header[kSizeOffset] = static_cast<char>(0x80);
  for (std::size_t i = kSizeWidth; i-- > kSizeWidth - 8;) {
    header[kSizeOffset + i] = static_cast<char>(size & 0xFF);
    size >>= 8;
  }
}

// A header with every field but name and prefix filled in; `gnu` selects the GNU magic that
// goes with 'L' long-name records.
Header make_header(char typeflag, std::uint64_t size, std::uint32_t mode, bool gnu) {
  Header header{};
  put_octal(header, kModeOffset, 8, mode);
  put_octal(header, kUidOffset, 8, 0);
  put_octal(header, kGidOffset, 8, 0);
  put_size(header, size);
  put_octal(header, kMtimeOffset, 12, 0);
  header[kTypeflagOffset] = typeflag;
  std::memcpy(header.data() + kMagicOffset,
              gnu ? "ustar  "
                  : "ustar\0"
                    "00",
              8);
  return header;
}

void set_field(Header& header, std::size_t offset, std::string_view value) {
  std::memcpy(header.data() + offset, value.data(), value.size());
}

// The checksum is the byte sum of the header with the checksum field read as eight spaces,
// written as six octal digits, NUL, space.
void set_checksum(Header& header) {
  std::memset(header.data() + kChecksumOffset, ' ', kChecksumWidth);
  std::uint32_t sum = 0;
  for (char c : header) sum += static_cast<unsigned char>(c);
  put_octal(header, kChecksumOffset, 7, sum);
  header[kChecksumOffset + 7] = ' ';
}

void append_padded(std::string& archive, std::string_view content) {
  archive.append(content);
  const std::size_t remainder = content.size() % kBlockSize;
  if (remainder != 0) archive.append(kBlockSize - remainder, '\0');
}

void append_header(std::string& archive, Header& header) {
  set_checksum(header);
  archive.append(header.data(), header.size());
}

// Where to split `name` into ustar prefix and name: the position of a '/' leaving at most 155
// bytes before it and 1 to 100 bytes after it; npos when there is none.
std::size_t ustar_split(std::string_view name) {
  if (name.size() > kPrefixSize + 1 + kNameSize) return std::string_view::npos;
  const std::size_t earliest = name.size() > kNameSize + 1 ? name.size() - kNameSize - 1 : 0;
  for (std::size_t slash = earliest; slash < name.size() && slash <= kPrefixSize; ++slash) {
    if (name[slash] == '/' && slash + 1 < name.size() && slash > 0) return slash;
  }
  return std::string_view::npos;
}

}  // namespace

void append_tar_file(std::string& archive, std::string_view name, std::string_view content) {
  constexpr std::uint32_t kFileMode = 0755;
  archive.reserve(archive.size() + 3 * kBlockSize + content.size() + name.size());
  if (name.size() <= kNameSize) {
    Header header = make_header('0', content.size(), kFileMode, false);
    set_field(header, kNameOffset, name);
    append_header(archive, header);
  } else if (const std::size_t slash = ustar_split(name); slash != std::string_view::npos) {
    Header header = make_header('0', content.size(), kFileMode, false);
    set_field(header, kPrefixOffset, name.substr(0, slash));
    set_field(header, kNameOffset, name.substr(slash + 1));
    append_header(archive, header);
  } else {
    // GNU long name: a '././@LongLink' record whose content is the NUL-terminated name, then the
    // real header carrying the name truncated to 100 bytes.
    Header long_link = make_header('L', name.size() + 1, 0, true);
    set_field(long_link, kNameOffset, "././@LongLink");
    append_header(archive, long_link);
    std::string terminated_name(name);
    terminated_name.push_back('\0');
    append_padded(archive, terminated_name);

    Header header = make_header('0', content.size(), kFileMode, true);
    set_field(header, kNameOffset, name.substr(0, kNameSize));
    append_header(archive, header);
  }
  append_padded(archive, content);
}

void finish_tar(std::string& archive) {
  archive.append(2 * kBlockSize, '\0');
}

}  // namespace dvidxfer::codecs
