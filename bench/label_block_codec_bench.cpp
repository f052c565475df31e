// DVID's compressed label Block codec, the pre-optimisation baseline and today's side by side, on
// DVID's real 64^3 fixtures plus a worst case (random labels of a 1000-label palette) and a solid
// block. Bytes per second count the dense voxels (64^3 x 8 bytes) for the codec, and the encoded
// Block's bytes for gzip (zlib against libdeflate at the same level, Go's default 6).
#include <benchmark/benchmark.h>
#include <libdeflate.h>
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "dvidxfer/codecs/gzip.hpp"
#include "dvidxfer/codecs/gzip_label_block.hpp"
#include "dvidxfer/codecs/label_block.hpp"
#include "label_block_baseline.hpp"

namespace {

namespace codecs = dvidxfer::codecs;
namespace baseline = dvidxfer::bench::baseline;

constexpr codecs::LabelBlockShape k64{64, 64, 64};
constexpr std::size_t kVoxels = 64 * 64 * 64;
constexpr std::int64_t kDenseBytes = kVoxels * 8;

std::string read_file(const std::string& name) {
  const std::string path = std::string(DVIDXFER_FIXTURES_DIR) + "/dvid/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open fixture " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string gunzip(std::string_view data) {
  auto out = codecs::gzip_decompress(data, 64 << 20);
  if (!out) throw std::runtime_error("bad gzip fixture: " + out.error().message);
  return std::move(out).value();
}

std::vector<std::uint64_t> as_labels(const std::string& bytes) {
  if (bytes.size() != kDenseBytes) throw std::runtime_error("fixture is not a 64^3 uint64 volume");
  std::vector<std::uint64_t> labels(kVoxels);
  std::memcpy(labels.data(), bytes.data(), bytes.size());
  return labels;
}

std::vector<std::uint64_t> decoded(std::string_view block) {
  std::vector<std::uint64_t> voxels(kVoxels);
  if (!codecs::decode_label_block(block, k64, voxels)) throw std::runtime_error("bad block");
  return voxels;
}

// DVID's own encoding of fib19 (its label order, not ours).
const std::string& dvid_fib19_block() {
  static const std::string block = gunzip(read_file("fib19-64x64x64-sample1-block.dat.gz"));
  return block;
}

// The volumes by name: DVID's two dense samples, the stream fixture's 10-label block, and the
// synthetic extremes.
const std::vector<std::uint64_t>& volume(const std::string& name) {
  static const std::map<std::string, std::vector<std::uint64_t>> volumes = [] {
    std::map<std::string, std::vector<std::uint64_t>> v;
    v["fib19"] = as_labels(gunzip(read_file("fib19-64x64x64-sample1.dat.gz")));
    v["cx"] = as_labels(gunzip(read_file("cx-64x64x64-sample1.dat.gz")));
    const std::string stream = read_file("stream_1block.dat");
    std::uint32_t length = 0;
    std::memcpy(&length, stream.data() + 12, 4);
    v["fib19_dvid_block"] = decoded(dvid_fib19_block());
    v["stream_1block"] = decoded(gunzip(std::string_view(stream).substr(16, length)));
    std::mt19937_64 random(1);
    std::vector<std::uint64_t> palette(1000);
    for (auto& label : palette) label = random();
    auto& worst = v["worst_1000_random"];
    worst.resize(kVoxels);
    for (auto& voxel : worst) voxel = palette[random() % palette.size()];
    v["solid"].assign(kVoxels, 12345678901);
    return v;
  }();
  return volumes.at(name);
}

const std::string& encoded(const std::string& name) {
  static std::map<std::string, std::string> blocks;
  auto [it, inserted] = blocks.try_emplace(name);
  if (inserted) {
    it->second = name == "fib19_dvid_block" ? dvid_fib19_block()
                                            : codecs::encode_label_block(volume(name), k64).value();
  }
  return it->second;
}

void check(bool ok, benchmark::State& state) {
  if (!ok) state.SkipWithError("codec failed");
}

void BM_DecodeBaseline(benchmark::State& state, const std::string& name) {
  const std::string& block = encoded(name);
  std::vector<std::uint64_t> out(kVoxels);
  for (auto _ : state) {
    check(baseline::decode_label_block(block, k64, out).ok(), state);
    benchmark::DoNotOptimize(out.data());
  }
  check(out == volume(name), state);
  state.SetBytesProcessed(state.iterations() * kDenseBytes);
}

void BM_DecodeNew(benchmark::State& state, const std::string& name) {
  const std::string& block = encoded(name);
  std::vector<std::uint64_t> out(kVoxels);
  for (auto _ : state) {
    check(codecs::decode_label_block(block, k64, out).ok(), state);
    benchmark::DoNotOptimize(out.data());
  }
  check(out == volume(name), state);
  state.SetBytesProcessed(state.iterations() * kDenseBytes);
}

// The reader's real pattern: the block lands at an offset inside a 128^3 volume buffer.
void BM_DecodeNewIntoVolume(benchmark::State& state, const std::string& name) {
  const std::string& block = encoded(name);
  std::vector<std::uint64_t> out(128 * 128 * 128);
  const codecs::LabelBlockWindow window{
      out.data() + (64 * 128 + 64) * 128 + 64, 128, 128 * 128, {0, 0, 0}, {64, 64, 64}};
  for (auto _ : state) {
    check(codecs::decode_label_block_into(block, k64, window).ok(), state);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * kDenseBytes);
}

void BM_EncodeBaseline(benchmark::State& state, const std::string& name) {
  const std::vector<std::uint64_t>& voxels = volume(name);
  std::size_t size = 0;
  for (auto _ : state) {
    auto block = baseline::encode_label_block(voxels, k64);
    check(block.ok(), state);
    size = block.ok() ? block->size() : 0;
    benchmark::DoNotOptimize(block);
  }
  state.counters["block_bytes"] = static_cast<double>(size);
  state.SetBytesProcessed(state.iterations() * kDenseBytes);
}

void BM_EncodeNew(benchmark::State& state, const std::string& name) {
  const std::vector<std::uint64_t>& voxels = volume(name);
  std::size_t size = 0;
  for (auto _ : state) {
    auto block = codecs::encode_label_block(voxels, k64);
    check(block.ok(), state);
    size = block.ok() ? block->size() : 0;
    benchmark::DoNotOptimize(block);
  }
  std::vector<std::uint64_t> back(kVoxels);
  check(baseline::decode_label_block(encoded(name), k64, back).ok() && back == voxels, state);
  state.counters["block_bytes"] = static_cast<double>(size);
  state.SetBytesProcessed(state.iterations() * kDenseBytes);
}

// gzip of the encoded Block, both libraries called directly at level `state.range(0)`.
void BM_GzipCompressZlib(benchmark::State& state, const std::string& name) {
  const std::string& block = encoded(name);
  std::string out(compressBound(block.size()) + 32, '\0');
  std::size_t size = 0;
  for (auto _ : state) {
    z_stream stream{};
    deflateInit2(&stream, static_cast<int>(state.range(0)), Z_DEFLATED, 15 + 16, 8,
                 Z_DEFAULT_STRATEGY);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(block.data()));
    stream.avail_in = static_cast<uInt>(block.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    check(deflate(&stream, Z_FINISH) == Z_STREAM_END, state);
    size = stream.total_out;
    deflateEnd(&stream);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["gzip_bytes"] = static_cast<double>(size);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(block.size()));
}

void BM_GzipCompressLibdeflate(benchmark::State& state, const std::string& name) {
  const std::string& block = encoded(name);
  libdeflate_compressor* compressor = libdeflate_alloc_compressor(static_cast<int>(state.range(0)));
  std::string out(libdeflate_gzip_compress_bound(compressor, block.size()), '\0');
  std::size_t size = 0;
  for (auto _ : state) {
    size = libdeflate_gzip_compress(compressor, block.data(), block.size(), out.data(), out.size());
    check(size != 0, state);
    benchmark::DoNotOptimize(out.data());
  }
  libdeflate_free_compressor(compressor);
  state.counters["gzip_bytes"] = static_cast<double>(size);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(block.size()));
}

const std::string& gzipped(const std::string& name) {
  static std::map<std::string, std::string> members;
  auto [it, inserted] = members.try_emplace(name);
  if (inserted) it->second = codecs::gzip_compress(encoded(name)).value();
  return it->second;
}

void BM_GunzipZlib(benchmark::State& state, const std::string& name) {
  const std::string& member = gzipped(name);
  std::string out(encoded(name).size(), '\0');
  for (auto _ : state) {
    z_stream stream{};
    inflateInit2(&stream, 15 + 16);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(member.data()));
    stream.avail_in = static_cast<uInt>(member.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    check(inflate(&stream, Z_FINISH) == Z_STREAM_END, state);
    inflateEnd(&stream);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(out.size()));
}

void BM_GunzipLibdeflate(benchmark::State& state, const std::string& name) {
  const std::string& member = gzipped(name);
  std::string out(encoded(name).size(), '\0');
  libdeflate_decompressor* decompressor = libdeflate_alloc_decompressor();
  for (auto _ : state) {
    std::size_t produced = 0;
    check(libdeflate_gzip_decompress(decompressor, member.data(), member.size(), out.data(),
                                     out.size(), &produced) == LIBDEFLATE_SUCCESS,
          state);
    benchmark::DoNotOptimize(out.data());
  }
  libdeflate_free_decompressor(decompressor);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(out.size()));
}

// The whole per-block hot path as the labelmap reader and writer run it.
void BM_GzipBlockDecodeInto(benchmark::State& state, const std::string& name) {
  const std::string& member = gzipped(name);
  std::vector<std::uint64_t> out(kVoxels);
  const codecs::LabelBlockWindow window{out.data(), 64, 64 * 64, {0, 0, 0}, {64, 64, 64}};
  for (auto _ : state) {
    check(codecs::decode_gzip_label_block_into(member, k64, window).ok(), state);
    benchmark::DoNotOptimize(out.data());
  }
  check(out == volume(name), state);
  state.SetBytesProcessed(state.iterations() * kDenseBytes);
}

void BM_GzipBlockEncode(benchmark::State& state, const std::string& name) {
  const std::vector<std::uint64_t>& voxels = volume(name);
  const codecs::LabelBlockWindowConst source{voxels.data(), 64, 64 * 64, {0, 0, 0}, {64, 64, 64}};
  for (auto _ : state) {
    auto member = codecs::encode_gzip_label_block(source, k64);
    check(member.ok(), state);
    benchmark::DoNotOptimize(member);
  }
  state.SetBytesProcessed(state.iterations() * kDenseBytes);
}

const char* const kVolumes[] = {"fib19", "cx", "stream_1block", "worst_1000_random", "solid"};
const char* const kDecoded[] = {"fib19_dvid_block",  "fib19", "cx", "stream_1block",
                                "worst_1000_random", "solid"};
const char* const kRealBlocks[] = {"fib19", "cx", "stream_1block"};

// Baseline and new of each case next to each other in the output.
const bool registered = [] {
  for (const std::string name : kDecoded) {
    benchmark::RegisterBenchmark(("decode/baseline/" + name).c_str(), BM_DecodeBaseline, name);
    benchmark::RegisterBenchmark(("decode/new/" + name).c_str(), BM_DecodeNew, name);
  }
  for (const std::string name : kVolumes) {
    benchmark::RegisterBenchmark(("encode/baseline/" + name).c_str(), BM_EncodeBaseline, name);
    benchmark::RegisterBenchmark(("encode/new/" + name).c_str(), BM_EncodeNew, name);
  }
  benchmark::RegisterBenchmark("decode/new_into_128cube/fib19", BM_DecodeNewIntoVolume,
                               std::string("fib19"));
  for (const std::string name : kRealBlocks) {
    for (const int level : {1, 6}) {
      benchmark::RegisterBenchmark(("gzip_compress/zlib/" + name).c_str(), BM_GzipCompressZlib,
                                   name)
          ->Arg(level);
      benchmark::RegisterBenchmark(("gzip_compress/libdeflate/" + name).c_str(),
                                   BM_GzipCompressLibdeflate, name)
          ->Arg(level);
    }
    benchmark::RegisterBenchmark(("gzip_compress/libdeflate/" + name).c_str(),
                                 BM_GzipCompressLibdeflate, name)
        ->Arg(4);
    benchmark::RegisterBenchmark(("gunzip/zlib/" + name).c_str(), BM_GunzipZlib, name);
    benchmark::RegisterBenchmark(("gunzip/libdeflate/" + name).c_str(), BM_GunzipLibdeflate, name);
    benchmark::RegisterBenchmark(("gzip_block/decode_into/" + name).c_str(), BM_GzipBlockDecodeInto,
                                 name);
    benchmark::RegisterBenchmark(("gzip_block/encode/" + name).c_str(), BM_GzipBlockEncode, name);
  }
  return true;
}();

}  // namespace
