// The ROI partition decoder ({"Subvolumes":[{"MinPoint":[x,y,z]}...],"NumActiveBlocks",
// "NumTotalBlocks"}): a clean DecodeError or sorted substacks of the asked size with a finite
// packing factor, which written back as DVID writes them decode the same.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "json_answers.hpp"
#include "json_input.hpp"

using namespace dvidxfer;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto document = fuzz::parse_answer(data, size);
  if (!document) return 0;
  constexpr std::int64_t kSubstackVoxels = 256;
  const auto partition = fuzz::decode_or_error(
      [&] { return api::decode_roi_partition(*document, kSubstackVoxels, fuzz::kAnswerUrl); });
  if (!partition) return 0;
  FUZZ_CHECK(std::is_sorted(partition->substacks.begin(), partition->substacks.end()));
  FUZZ_CHECK(std::isfinite(partition->packing_factor));
  std::string json = R"({"NumTotalBlocks":1,"NumActiveBlocks":0,"Subvolumes":[)";
  for (std::size_t i = 0; i < partition->substacks.size(); ++i) {
    const auto& substack = partition->substacks[i];
    FUZZ_CHECK(substack.size == kSubstackVoxels);
    json += fmt::format(R"({}{{"MinPoint":[{},{},{}],"MaxPoint":[0,0,0]}})", i ? "," : "",
                        substack.x, substack.y, substack.z);
  }
  json += "]}";
  const auto again = api::decode_roi_partition(JsonDocument::parse(json, fuzz::kAnswerUrl),
                                               kSubstackVoxels, fuzz::kAnswerUrl);
  FUZZ_CHECK(again.substacks == partition->substacks);
  return 0;
}
