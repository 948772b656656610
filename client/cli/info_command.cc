// `claimtrail info`: server version and data statistics.
#include "client/cli/command.h"
#include "client/cli/human.h"

namespace claimtrail {
namespace cli {
namespace {

absl::Status RunInfo(const ParsedArgs& args, CommandEnv& env) {
  absl::StatusOr<v1::ServerInfo> info = env.client().GetServerInfo();
  if (!info.ok()) return info.status();
  env.Print(*info, RenderServerInfo(*info));
  return absl::OkStatus();
}

}  // namespace

std::vector<Command> InfoCommands() {
  Command info;
  info.name = "info";
  info.summary = "Server version, data directory and counts.";
  info.description =
      "Shows the server's version, data directory and counts, including the "
      "last committed sequence number (a cursor for 'watch --after').";
  info.examples = {"claimtrail info", "claimtrail --json info"};
  info.run = RunInfo;
  return {info};
}

}  // namespace cli
}  // namespace claimtrail
