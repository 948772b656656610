// Human-readable output of the claimtrail CLI (the default; --json prints
// the messages instead). Text reads like the product brief: "over 10,000
// soldiers — per ... (said), via ... (reported) — unconfirmed by ...".
// Pure functions of their inputs plus `namer` (source display names);
// thread-safe if `namer` is. Control characters in stored text are escaped
// where the text is printed (CommandEnv::Print, EscapeControls in text.h).
#ifndef CLAIMTRAIL_CLIENT_CLI_HUMAN_H_
#define CLAIMTRAIL_CLIENT_CLI_HUMAN_H_

#include <string>

#include "client/render.h"
#include "proto/claimtrail/v1/resources.pb.h"
#include "proto/claimtrail/v1/service.pb.h"

namespace claimtrail {
namespace cli {

// The full claim: text, sourcing line, then figures, attributions, stances,
// verdict, relations, appearances, state, revision, etag. Ends with "\n".
std::string RenderClaim(const v1::Claim& claim,
                        const client::SourceNamer& namer);

// A source, several lines; and the one-line form used by `source list`.
std::string RenderSource(const v1::Source& source);
std::string RenderSourceLine(const v1::Source& source);

// One line per claim for list/search: "claims/x  [state]  text", or
// "[state, merged into claims/y]" for a merged duplicate, with newlines in
// the text shown as "\n" (EscapeControls' one-line form).
std::string RenderClaimLine(const v1::Claim& claim);

// What an event did, in a few words: "North Korea: confirmed",
// "troops: over 10,000 soldiers", "(redacted)".
std::string DescribeEventPayload(const v1::Event& event,
                                 const client::SourceNamer& namer);

// One change as "  path: before -> after" (empty values as "(none)").
std::string RenderChange(const v1::FieldChange& change);

// A timeline block for `history`: header line (revision, recorded time,
// author, kind), then what it did, the note, its asserted and valid times,
// and its diff lines.
std::string RenderEventBlock(const v1::Event& event,
                             const client::SourceNamer& namer);

// One line per watched event: "#12 claims/x r3 stance recorded: Russia:
// confirmed (state: confirmed)".
std::string RenderWatchLine(const v1::WatchClaimsResponse& response,
                            const client::SourceNamer& namer);

std::string RenderServerInfo(const v1::ServerInfo& info);

}  // namespace cli
}  // namespace claimtrail

#endif  // CLAIMTRAIL_CLIENT_CLI_HUMAN_H_
