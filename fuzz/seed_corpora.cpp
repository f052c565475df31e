// Writes the binary seed corpora (one folder per harness) from DVID's real payloads in
// ../shared/fixtures and from encodings of them; the readable JSON and HTTP seeds are committed
// in fuzz/seeds/. Usage: fuzz_seed_corpora <output folder>.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "dvidxfer/codecs/block_records.hpp"
#include "dvidxfer/codecs/dvid_lz4.hpp"
#include "dvidxfer/codecs/gzip.hpp"
#include "dvidxfer/codecs/keyvalue_protobuf.hpp"
#include "dvidxfer/codecs/label_block.hpp"

namespace fs = std::filesystem;
namespace codecs = dvidxfer::codecs;

namespace {

fs::path output;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "fuzz_seed_corpora: cannot read %s\n", path.c_str());
    std::exit(1);
  }
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string fixture(const std::string& name) {
  return read_file(fs::path(DVIDXFER_FIXTURES_DIR) / "dvid" / name);
}

std::string gunzipped_fixture(const std::string& name) {
  auto data = codecs::gzip_decompress(fixture(name), 64 << 20);
  if (!data) {
    std::fprintf(stderr, "fuzz_seed_corpora: %s: %s\n", name.c_str(), data.error().message.c_str());
    std::exit(1);
  }
  return std::move(data).value();
}

void write_seed(const std::string& harness, const std::string& name, std::string_view bytes) {
  const fs::path folder = output / harness;
  fs::create_directories(folder);
  std::ofstream(folder / name, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string le16(std::uint16_t v) {
  return {static_cast<char>(v & 0xff), static_cast<char>(v >> 8)};
}
std::string le32(std::uint32_t v) {
  return le16(v & 0xffff) + le16(static_cast<std::uint16_t>(v >> 16));
}

// The n x n x n sub-volume at the origin of a 64^3 uint64 volume.
std::vector<std::uint64_t> corner(const std::string& volume, std::size_t n) {
  std::vector<std::uint64_t> out;
  for (std::size_t z = 0; z < n; ++z)
    for (std::size_t y = 0; y < n; ++y)
      for (std::size_t x = 0; x < n; ++x) {
        std::uint64_t label = 0;
        std::memcpy(&label, volume.data() + 8 * ((z * 64 + y) * 64 + x), 8);
        out.push_back(label);
      }
  return out;
}

std::string lz4_block(std::string_view data) {
  std::string out(codecs::lz4_block_bound(data.size()), '\0');
  out.resize(*codecs::compress_lz4_block(data, out));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seed_corpora <output folder>\n");
    return 2;
  }
  output = argv[1];
  const std::string fib19 = gunzipped_fixture("fib19-64x64x64-sample1.dat.gz");
  const std::string cx = gunzipped_fixture("cx-64x64x64-sample1.dat.gz");
  const std::string fib19_block = gunzipped_fixture("fib19-64x64x64-sample1-block.dat.gz");
  const std::string stream = fixture("stream_1block.dat");

  // block_records: parameter bytes (piece size, log2 max payload, stop after), then the stream.
  write_seed("block_records", "stream_1block", std::string("\x07\x14\x00", 3) + stream);
  std::string records;
  codecs::append_block_record(records, {0, 0, 0}, "first");
  codecs::append_block_record(records, {-1, 2, -3}, "");
  codecs::append_block_record(records, {7, 8, 9}, std::string(40, 'x'));
  write_seed("block_records", "three_records", std::string("\x03\x08\x00", 3) + records);

  // label_block: DVID's own blocks and our encodings of the fixture volumes.
  write_seed("label_block", "fib19_block", fib19_block);
  const std::string_view stream_payload = std::string_view(stream).substr(16);
  if (auto block = codecs::gzip_decompress(stream_payload, 64 << 20))
    write_seed("label_block", "stream_1block_payload", *block);
  for (const auto& [name, volume] : {std::pair{"fib19", &fib19}, std::pair{"cx", &cx}})
    for (const std::uint32_t n : {16u, 32u}) {
      const auto voxels = corner(*volume, n);
      if (auto encoded = codecs::encode_label_block(voxels, {n, n, n}))
        write_seed("label_block", std::string(name) + "_" + std::to_string(n), *encoded);
    }
  const std::vector<std::uint64_t> solid(16 * 16 * 16, 42);
  write_seed("label_block", "solid_16", *codecs::encode_label_block(solid, {16, 16, 16}));

  // gzip_label_block: shape byte (0x3F = 64^3, 0x15 = 16^3), window bytes, then records of
  // gzip'd Blocks: DVID's stream, its fib19 block, and our encodings, whole and cropped.
  const std::string whole_64("\x3F\x00\xFF\x00\xFF\x00\xFF", 7);
  write_seed("gzip_label_block", "stream_1block", whole_64 + stream);
  std::string fib19_record;
  codecs::append_block_record(fib19_record, {1, 2, 3},
                              fixture("fib19-64x64x64-sample1-block.dat.gz"));
  write_seed("gzip_label_block", "fib19_block", whole_64 + fib19_record);
  write_seed("gzip_label_block", "fib19_block_cropped",
             std::string("\x3F\x05\x10\x21\x07\x3E\x01", 7) + fib19_record);
  std::string small_records;
  for (const auto& [name, volume] : {std::pair{"fib19", &fib19}, std::pair{"cx", &cx}}) {
    const auto voxels = corner(*volume, 16);
    if (auto block = codecs::encode_label_block(voxels, {16, 16, 16})) {
      if (auto member = codecs::gzip_compress(*block))
        codecs::append_block_record(small_records, {0, 0, 0}, *member);
    }
  }
  if (auto member = codecs::gzip_compress(*codecs::encode_label_block(solid, {16, 16, 16})))
    codecs::append_block_record(small_records, {0, 0, 1}, *member);
  write_seed("gzip_label_block", "small_16",
             std::string("\x15\x02\x09\x00\xFF\x03\x04", 7) + small_records);

  // dvid_lz4: expected size (u16), unknown-size cap (u32), then a block or a DVID value.
  for (const auto& [name, volume] : {std::pair{"fib19", &fib19}, std::pair{"cx", &cx}}) {
    const std::string_view slice = std::string_view(*volume).substr(0, 8192);
    write_seed("dvid_lz4", std::string(name) + "_block",
               le16(8192) + le32(1 << 16) + lz4_block(slice));
    write_seed("dvid_lz4", std::string(name) + "_value",
               le16(0) + le32(1 << 16) + *codecs::encode_dvid_lz4_value(slice.substr(0, 2048)));
  }
  write_seed("dvid_lz4", "text_block",
             le16(27) + le32(100) + lz4_block("DVID lz4 block, DVID lz4 ok"));

  // keyvalue_protobuf: KeyValues and Keys messages like the keyvalue tests send.
  const std::vector<codecs::KeyValuePair> pairs = {
      {"a", "1"}, {"key with spaces", std::string("\0\x01\x02", 3)}, {"missing", ""}};
  write_seed("keyvalue_protobuf", "key_values", codecs::encode_key_values(pairs));
  write_seed("keyvalue_protobuf", "keys",
             codecs::encode_keys({{"a", "b", ""}, {{"c", 0, 9}, {"d", 5, 5}}}));

  // sparsevol_runs: block size 16^3 (15 = 16 - 1), block (1, 0, -1), bounds, then one byte per
  // voxel: the fixtures' labels folded to bytes.
  for (const auto& [name, volume] : {std::pair{"fib19", &fib19}, std::pair{"cx", &cx}}) {
    std::string seed("\x0f\x0f\x0f\x01\x00\xff\x09\x00\x40\x10\x20\x00\x00", 13);
    std::map<std::uint64_t, char> small;
    for (const auto label : corner(*volume, 16))
      seed += small.try_emplace(label, static_cast<char>(small.size() * 37 % 256)).first->second;
    write_seed("sparsevol_runs", name, seed);
  }
  return 0;
}
