#include "progress_bar.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace dvidxfer::cli {

namespace {

constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
constexpr int kBarWidth = 30;

}  // namespace

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)),
      enabled_(isatty(STDERR_FILENO) == 1),
      started_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::finish() {
  const std::lock_guard lock(mutex_);
  if (drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

ProgressCallback ProgressBar::callback() {
  if (!enabled_) return {};
  return [this](const TransferProgress& progress) { draw(progress); };
}

void ProgressBar::draw(const TransferProgress& progress) {
  // Callbacks arrive concurrently from I/O threads: one draws, the others skip.
  std::unique_lock lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return;
  const auto now = std::chrono::steady_clock::now();
  const bool finished =
      progress.bytes_planned != 0 && progress.bytes_acknowledged == progress.bytes_planned;
  if (!finished && now - last_drawn_ < kRedrawInterval) return;
  last_drawn_ = now;
  drawn_ = true;

  const double fraction = progress.bytes_planned == 0
                              ? 0.0
                              : static_cast<double>(progress.bytes_acknowledged) /
                                    static_cast<double>(progress.bytes_planned);
  const int filled = static_cast<int>(fraction * kBarWidth);
  const double seconds = std::chrono::duration<double>(now - started_).count();
  const double megabytes_per_second =
      seconds > 0 ? static_cast<double>(progress.bytes_acknowledged) / 1e6 / seconds : 0.0;
  fmt::print(stderr, "\r{} [{:=<{}}{: <{}}] {:5.1f}%  {}/{} chunks  {:.0f} MB/s ", label_, "",
             filled, "", kBarWidth - filled, 100.0 * fraction, progress.chunks_acknowledged,
             progress.chunks_planned, megabytes_per_second);
  std::fflush(stderr);
}

}  // namespace dvidxfer::cli
