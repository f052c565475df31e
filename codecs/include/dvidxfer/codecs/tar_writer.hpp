// A ustar archive writer for DVID's tar responses (keyvalue keyrangevalues/keyvalues ?tar=true):
// one regular file per key, name = key, mode 0755, size = value length.
#pragma once

#include <string>
#include <string_view>

namespace dvidxfer::codecs {

// Appends one file (512-byte header, content, zero padding to 512) to `archive`.
// Names longer than 100 bytes use the ustar prefix field or, failing that, a GNU long-name entry.
// uid/gid/mtime are 0; sizes of 8 GiB and more use GNU base-256. A NUL in `name` ends the name.
void append_tar_file(std::string& archive, std::string_view name, std::string_view content);

// Appends the two zero blocks that end an archive.
void finish_tar(std::string& archive);

}  // namespace dvidxfer::codecs
