#include "serve_process.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

extern char** environ;

namespace dvidxfer::bench {

ServeProcess::ServeProcess(const std::string& cli_path,
                           const std::vector<std::string>& extra_arguments) {
  std::vector<std::string> words = {cli_path, "serve", "--listen", "127.0.0.1:0"};
  words.insert(words.end(), extra_arguments.begin(), extra_arguments.end());
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);

  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("ServeProcess: pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  const int spawned = posix_spawn(&pid_, cli_path.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (spawned != 0) {
    close(out[0]);
    throw std::runtime_error("ServeProcess: cannot start " + cli_path);
  }
  FILE* stream = fdopen(out[0], "r");
  char line[256] = {};
  const bool got_line = std::fgets(line, sizeof line, stream) != nullptr;
  std::fclose(stream);  // the server writes nothing else to stdout
  const std::string text = got_line ? line : "";
  const std::string prefix = "listening on ";
  if (text.rfind(prefix, 0) != 0)
    throw std::runtime_error("ServeProcess: unexpected first line '" + text + "'");
  url_ = text.substr(prefix.size());
  while (!url_.empty() && (url_.back() == '\n' || url_.back() == '\r')) url_.pop_back();
}

ServeProcess::~ServeProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

}  // namespace dvidxfer::bench
