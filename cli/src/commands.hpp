// The dvidxfer subcommands. Each takes the command line after its own name and returns the
// process exit code; usage problems throw UsageError.
#pragma once

namespace dvidxfer::cli {

int run_serve(int argc, char** argv, int first);
int run_demo(int argc, char** argv, int first);
int run_get(int argc, char** argv, int first);
int run_put(int argc, char** argv, int first);
int run_bench(int argc, char** argv, int first);

}  // namespace dvidxfer::cli
