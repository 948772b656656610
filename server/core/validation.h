// Request validation: the shape of every field, before anything is read or
// written. Checks that need stored state (does the source exist? is the etag
// current?) are the Ledger's.
//
// Every function returns OK or INVALID_ARGUMENT whose message starts with
// the offending field's path in the request, e.g.
//   "claim.figures[0].lower_bound: must not exceed upper_bound (5 > 3)".
// Limits (bytes, counts) are the ones documented in the .proto comments and
// in limits.h. Strings must be valid UTF-8. Thread-compatible, pure.
#ifndef CLAIMTRAIL_SERVER_CORE_VALIDATION_H_
#define CLAIMTRAIL_SERVER_CORE_VALIDATION_H_

#include "absl/status/status.h"
#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/claimtrail/v1/service.pb.h"

namespace claimtrail {
namespace core {

absl::Status Validate(const v1::CreateSourceRequest& req);
absl::Status Validate(const v1::UpdateSourceRequest& req);
absl::Status Validate(const v1::GetSourceRequest& req);
absl::Status Validate(const v1::ListSourcesRequest& req);
absl::Status Validate(const v1::CreateClaimRequest& req);
absl::Status Validate(const v1::GetClaimRequest& req);
absl::Status Validate(const v1::ListClaimsRequest& req);
absl::Status Validate(const v1::UpdateClaimRequest& req);
absl::Status Validate(const v1::AddAttributionRequest& req);
absl::Status Validate(const v1::ReviseFigureRequest& req);
absl::Status Validate(const v1::RecordStanceRequest& req);
absl::Status Validate(const v1::RecordVerdictRequest& req);
absl::Status Validate(const v1::AddAppearanceRequest& req);
absl::Status Validate(const v1::LinkClaimsRequest& req);
absl::Status Validate(const v1::MergeClaimsRequest& req);
absl::Status Validate(const v1::RetractClaimRequest& req);
absl::Status Validate(const v1::RedactEventRequest& req);
absl::Status Validate(const v1::ListClaimEventsRequest& req);
absl::Status Validate(const v1::DiffClaimRequest& req);
absl::Status Validate(const v1::SearchClaimsRequest& req);
absl::Status Validate(const v1::WatchClaimsRequest& req);

// Resource-name parsing. INVALID_ARGUMENT names `field` on a malformed name.
// "claims/{id}" -> id.
absl::StatusOr<std::string> ParseClaimName(absl::string_view field,
                                           absl::string_view name);
// "sources/{id}" -> id.
absl::StatusOr<std::string> ParseSourceName(absl::string_view field,
                                            absl::string_view name);
// "claims/{id}/events/{revision}" -> (id, revision >= 1).
absl::StatusOr<std::pair<std::string, int64_t>> ParseEventName(
    absl::string_view field, absl::string_view name);

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_VALIDATION_H_
