// durable_floor_server: serves DurableFloor (durable_floor.h) for the
// benchmark's append workload:
//
//   durable_floor_server --data_dir=DIR [--listen=127.0.0.1:0]
//
// Logs "durable_floor serving on ADDR (port N)" on stderr once serving and
// runs until killed. Plaintext and unauthenticated: loopback benchmarks
// only.
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/synchronization/mutex.h"
#include "tools/bench/floor/durable_floor.h"

ABSL_FLAG(std::string, data_dir, "",
          "LevelDB directory for the floor's writes. Required.");
ABSL_FLAG(std::string, listen, "127.0.0.1:0",
          "host:port to serve on; port 0 picks a free port.");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "The durable floor for tools/bench: --data_dir=DIR [--listen=ADDR]");
  absl::ParseCommandLine(argc, argv);
  // As in claimtraild's main: gRPC's mutexes skip the deadlock detector
  // that Debian's Abseil leaves on, so the floor pays what claimtraild pays.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  claimtrail::bench::DurableFloorOptions options;
  options.dir = absl::GetFlag(FLAGS_data_dir);
  absl::StatusOr<std::unique_ptr<claimtrail::bench::DurableFloor>> floor =
      claimtrail::bench::DurableFloor::Open(options);
  if (!floor.ok()) {
    std::fprintf(stderr, "durable_floor: %s\n",
                 floor.status().ToString().c_str());
    return 1;
  }
  const std::string address = absl::GetFlag(FLAGS_listen);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &port);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.RegisterService(floor->get());
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "durable_floor: cannot listen on %s\n",
                 address.c_str());
    return 1;
  }
  std::fprintf(stderr, "durable_floor serving on %s (port %d)\n",
               address.c_str(), port);
  server->Wait();
  return 0;
}
