#include "server/core/ledger_write_util.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "server/core/as_of.h"
#include "server/core/diff.h"
#include "server/core/fold.h"
#include "server/core/ledger_names.h"
#include "server/core/ledger_summary.h"
#include "server/core/limits.h"
#include "server/core/validation.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace core {
namespace {

std::string Prefixed(absl::string_view field, absl::string_view message) {
  if (field.empty()) return std::string(message);
  return absl::StrCat(field, ": ", message);
}

}  // namespace

absl::string_view EtagToCheck(absl::string_view request_etag,
                              absl::string_view resource_etag) {
  return request_etag.empty() ? resource_etag : request_etag;
}

absl::Status CheckWritable(const v1::Claim& claim, absl::string_view field,
                           ClaimWritePolicy policy) {
  if (policy == ClaimWritePolicy::kAny) return absl::OkStatus();
  if (!claim.merged_into().empty()) {
    return absl::FailedPreconditionError(Prefixed(
        field, absl::StrCat(claim.name(), " was merged into ",
                            claim.merged_into(), " and is read-only; change ",
                            claim.merged_into(), " instead")));
  }
  if (policy == ClaimWritePolicy::kLive &&
      claim.state() == v1::CLAIM_STATE_RETRACTED) {
    return absl::FailedPreconditionError(Prefixed(
        field,
        absl::StrCat(claim.name(),
                     " is retracted; it accepts only verdicts, appearances "
                     "and links")));
  }
  return absl::OkStatus();
}

absl::StatusOr<ClaimForWrite> LoadClaimForWrite(MutationContext& context,
                                                absl::string_view field,
                                                absl::string_view name,
                                                absl::string_view etag,
                                                ClaimWritePolicy policy) {
  ClaimForWrite out;
  ASSIGN_OR_RETURN(out.id, ParseClaimName(field, name));
  ASSIGN_OR_RETURN(std::optional<v1::Claim> claim,
                   context.overlay->FindClaim(out.id));
  if (!claim.has_value()) {
    return absl::NotFoundError(absl::StrCat(ClaimName(out.id), " not found"));
  }
  RETURN_IF_ERROR(CheckWritable(*claim, "", policy));
  if (!etag.empty() && etag != claim->etag()) {
    return absl::AbortedError(absl::StrCat(
        "etag: ", claim->name(), " has changed since it was read (revision ",
        claim->revision(), "); read it again and retry"));
  }
  out.claim = *std::move(claim);
  return out;
}

namespace {

// The size bound on what one event stores (kMaxStoredRecordBytes):
// INVALID_ARGUMENT when the request alone brings too much (a new claim, or
// an event that is too big by itself), FAILED_PRECONDITION when it is the
// claim, grown by earlier events, that has no room left.
absl::Status CheckStoredSize(const v1::Claim& current, const v1::Event& event,
                             const v1::Claim& after) {
  const size_t event_bytes = event.ByteSizeLong();
  const size_t claim_bytes = after.ByteSizeLong();
  if (event_bytes <= kMaxStoredRecordBytes &&
      claim_bytes <= kMaxStoredRecordBytes) {
    return absl::OkStatus();
  }
  const bool new_claim = current.revision() == 0;
  if (new_claim || event_bytes > kMaxStoredRecordBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        new_claim ? "claim" : "request", ": too large to store (",
        std::max(event_bytes, claim_bytes), " bytes as stored, with the ",
        "changes it makes; at most ", kMaxStoredRecordBytes, ")"));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      after.name(), " would grow to ", claim_bytes, " bytes (at most ",
      kMaxStoredRecordBytes, " per claim); record further sourcing on a ",
      "linked claim"));
}

}  // namespace

absl::StatusOr<v1::Claim> AppendClaimEvent(MutationContext& context,
                                           const std::string& claim_id,
                                           const v1::Claim& current,
                                           v1::Event event,
                                           const v1::ChangeContext* change) {
  const int64_t revision = current.revision() + 1;
  event.set_name(EventName(claim_id, revision));
  event.set_revision(revision);
  event.set_author(context.who->name);
  event.set_request_id(context.request_id);
  *event.mutable_recorded_time() = ToProtoTime(context.now);
  if (change != nullptr) {
    event.set_note(change->note());
    if (change->has_evidence()) *event.mutable_evidence() = change->evidence();
    if (change->has_asserted_time()) {
      *event.mutable_asserted_time() = change->asserted_time();
    }
    if (change->has_valid_time()) {
      *event.mutable_valid_time() = change->valid_time();
    }
  }
  v1::Claim after = current;
  if (absl::Status folded = ApplyEvent(event, &after); !folded.ok()) {
    return absl::InternalError(absl::StrCat("cannot apply ", event.name(),
                                            " to ", ClaimName(claim_id), ": ",
                                            folded.message()));
  }
  after.clear_state_summary();  // Filled on read; see ledger_summary.h.
  event.set_claim_state(after.state());
  // Both states are at hand only here, so the event's changes are computed
  // once, now, and stored with it: timelines return them as stored instead
  // of refolding the history on every read. Whatever the caller left in
  // `changes` is replaced; they are never taken from a request.
  SetChanges(DiffClaims(current, after), &event);
  RETURN_IF_ERROR(CheckStoredSize(current, event, after));
  RETURN_IF_ERROR(context.overlay->PutClaim(claim_id, after));
  context.overlay->AppendEvent(std::move(event));
  return after;
}

absl::Status RequireSource(MutationContext& context, absl::string_view field,
                           absl::string_view source_name) {
  if (source_name.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::string id, ParseSourceName(field, source_name));
  ASSIGN_OR_RETURN(std::optional<v1::Source> source,
                   context.overlay->FindSource(id));
  if (!source.has_value()) {
    return absl::NotFoundError(
        absl::StrCat(field, ": ", SourceName(id), " not found"));
  }
  return absl::OkStatus();
}

absl::Status RequireAppearanceSources(MutationContext& context,
                                      absl::string_view field,
                                      const v1::Appearance& appearance) {
  return RequireSource(context, absl::StrCat(field, ".outlet_source"),
                       appearance.outlet_source());
}

absl::Status RequireHopSources(MutationContext& context,
                               absl::string_view field,
                               const v1::AttributionHop& hop) {
  RETURN_IF_ERROR(
      RequireSource(context, absl::StrCat(field, ".source"), hop.source()));
  return RequireAppearanceSources(context, absl::StrCat(field, ".appearance"),
                                  hop.appearance());
}

absl::Status RequireChangeSources(MutationContext& context,
                                  const v1::ChangeContext& change) {
  // Validate() checked this against the wall clock; the Ledger's clock is
  // the one recorded times come from, so check again with the same skew.
  if (change.has_asserted_time() &&
      FromProtoTime(change.asserted_time()) > context.now + kMaxClockSkew) {
    return absl::InvalidArgumentError(
        "context.asserted_time: must not be in the future");
  }
  return RequireAppearanceSources(context, "context.evidence",
                                  change.evidence());
}

v1::Claim WithSummary(MutationContext& context, v1::Claim claim) {
  Overlay* overlay = context.overlay;
  FillStateSummary(
      [overlay](const std::string& id) { return overlay->FindSource(id); },
      &claim);
  return claim;
}

std::string NextAttributionId(const v1::Claim& claim) {
  int64_t highest = 0;
  for (const v1::Attribution& attribution : claim.attributions()) {
    int64_t n = 0;
    absl::string_view id = attribution.attribution_id();
    if (absl::ConsumePrefix(&id, "a") && absl::SimpleAtoi(id, &n)) {
      highest = std::max(highest, n);
    }
  }
  return absl::StrCat("a", highest + 1);
}

}  // namespace core
}  // namespace claimtrail
