// claimtrail: the command-line client of claimtraild. See `claimtrail --help`.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "client/claimtrail_client.h"
#include "client/cli/app.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  claimtrail::cli::AppEnv app_env;
  app_env.getenv = [](const char* name) {
    const char* value = std::getenv(name);
    return std::string(value == nullptr ? "" : value);
  };
  app_env.connect = claimtrail::client::ClaimTrailClient::Connect;
  return claimtrail::cli::RunCli(args, std::cout, std::cerr, app_env);
}
