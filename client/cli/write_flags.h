// Flags shared by the CLI's mutating commands: the idempotency key, the
// optimistic-concurrency etag, and the change context (note, asserted time,
// valid time) that becomes the event's metadata.
#ifndef CLAIMTRAIL_CLIENT_CLI_WRITE_FLAGS_H_
#define CLAIMTRAIL_CLIENT_CLI_WRITE_FLAGS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "client/claimtrail_client.h"
#include "client/cli/args.h"
#include "client/cli/command.h"
#include "proto/claimtrail/v1/service.pb.h"

namespace claimtrail {
namespace cli {

// --request-id only (requests without etag or context: source add, redact).
std::vector<FlagSpec> RequestIdFlags();
// --request-id, --note, --asserted, --valid-from, --valid-to (claim add).
std::vector<FlagSpec> CreateContextFlags();
// CreateContextFlags plus --etag (every change to an existing claim).
std::vector<FlagSpec> ChangeFlags();

// Appends `extra` to `base`, for building a command's flag list.
std::vector<FlagSpec> Concat(std::vector<FlagSpec> base,
                             const std::vector<FlagSpec>& extra);

// --note, --asserted, --valid-from/--valid-to into `context`. Usage errors
// name the flag.
absl::Status FillChangeContext(const ParsedArgs& args,
                               v1::ChangeContext& context);

// The request id to use: --request-id, or a fresh UUID. Recorded in `env`
// so that an ambiguous failure (UNAVAILABLE, DEADLINE_EXCEEDED) can tell the
// user how to retry without writing twice.
std::string RequestIdFor(const ParsedArgs& args, CommandEnv& env);

// --url, --outlet, --published, --quote, --title: where something was seen.
// `what` names the thing in help ("the article", "the stance's evidence").
std::vector<FlagSpec> AppearanceFlags(absl::string_view what);
// Fills `appearance` from those flags. Returns whether any was given.
absl::StatusOr<bool> FillAppearance(const ParsedArgs& args,
                                    v1::Appearance& appearance);

// --subject, --predicate, --object, --place, --period-start, --period-end:
// the claim's parts (claim add, claim update).
std::vector<FlagSpec> PartsFlags();
// Whether any of PartsFlags() was given.
bool HasPartsFlag(const ParsedArgs& args);
// Sets the parts those flags give on `parts` and leaves the others as they
// are (claim update starts from the claim's current parts).
absl::Status FillParts(const ParsedArgs& args, v1::ClaimParts& parts);

// Sets request_id (always) and etag (when given) on a request that has both.
template <typename Request>
void FillWriteFields(const ParsedArgs& args, CommandEnv& env,
                     Request& request) {
  request.set_request_id(RequestIdFor(args, env));
  if (auto etag = args.Get("etag")) request.set_etag(*etag);
}

}  // namespace cli
}  // namespace claimtrail

#endif  // CLAIMTRAIL_CLIENT_CLI_WRITE_FLAGS_H_
