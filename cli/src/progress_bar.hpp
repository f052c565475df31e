// ProgressBar: one self-overwriting line on stderr fed by a volume call's progress callback, drawn
// only when stderr is a terminal so logs and pipes stay clean.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "dvidxfer/common/transfer_progress.hpp"

namespace dvidxfer::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // The callback to put in TransferOptions::progress; empty when stderr is not a terminal.
  // It refers to this bar, which must outlive the call.
  ProgressCallback callback();

  // Ends the bar's line (if it drew one) so the next output starts on a fresh line.
  void finish();

 private:
  void draw(const TransferProgress& progress);

  std::string label_;
  bool enabled_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_drawn_{};
  bool drawn_ = false;
  std::mutex mutex_;
};

}  // namespace dvidxfer::cli
