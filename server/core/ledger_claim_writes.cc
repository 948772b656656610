// The mutations of one claim: create, update, and the custom verbs that add
// one event each. See ledger.cc for the write policy (what a merged or
// retracted claim accepts).
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/core/as_of.h"
#include "server/core/ledger_mutations.h"
#include "server/core/ledger_names.h"
#include "server/core/ledger_write_util.h"
#include "server/core/limits.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace core {
namespace {

// Topics in order, duplicates dropped (the contract of Claim.topics).
void DedupeTopics(v1::Claim* claim) {
  std::set<std::string> seen;
  google::protobuf::RepeatedPtrField<std::string> kept;
  for (const std::string& topic : claim->topics()) {
    if (seen.insert(topic).second) *kept.Add() = topic;
  }
  claim->mutable_topics()->Swap(&kept);
}

absl::Status RequireFigureSources(MutationContext& context,
                                  absl::string_view field,
                                  const v1::Figure& figure) {
  for (int i = 0; i < figure.sources_size(); ++i) {
    RETURN_IF_ERROR(RequireHopSources(
        context, absl::StrCat(field, ".sources[", i, "]"), figure.sources(i)));
  }
  return absl::OkStatus();
}

absl::Status RequireAttributionSources(MutationContext& context,
                                       absl::string_view field,
                                       const v1::Attribution& attribution) {
  for (int i = 0; i < attribution.hops_size(); ++i) {
    RETURN_IF_ERROR(RequireHopSources(
        context, absl::StrCat(field, ".hops[", i, "]"), attribution.hops(i)));
  }
  return absl::OkStatus();
}

absl::Status RequireStanceSources(MutationContext& context,
                                  absl::string_view field,
                                  const v1::Stance& stance) {
  RETURN_IF_ERROR(
      RequireSource(context, absl::StrCat(field, ".party"), stance.party()));
  return RequireAppearanceSources(context, absl::StrCat(field, ".evidence"),
                                  stance.evidence());
}

// Room in `claim`, which holds `count` `entries` (figures, attributions,
// stances or appearances), for one more. A claim holds at most
// kMaxEntriesPerCreate of each however they came, not only when created,
// so that no read, fold or response of it grows past what the API states.
// FAILED_PRECONDITION, not RESOURCE_EXHAUSTED: the google.rpc.Code docs
// keep RESOURCE_EXHAUSTED for quotas and space that free up again, which
// clients (and gRPC retry policies) retry after a backoff; this claim
// refuses the same request for good, a state of the claim the client must
// see to rather than wait out ("do not retry until the system state has
// been explicitly fixed").
absl::Status CheckRoomFor(absl::string_view field, const v1::Claim& claim,
                          absl::string_view entries, int count) {
  if (count < kMaxEntriesPerCreate) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(field, ": ", claim.name(), " already has ", count, " ",
                   entries, " (at most ", kMaxEntriesPerCreate, " per claim)"));
}

bool HasFigure(const v1::Claim& claim, const std::string& figure_id) {
  for (const v1::Figure& figure : claim.figures()) {
    if (figure.figure_id() == figure_id) return true;
  }
  return false;
}

// The claim of a CreateClaimRequest as its creating event records it: the
// input fields only, with output-only parts of figures, attributions and
// stances filled in.
v1::Claim ClaimAsCreated(const v1::Claim& in, const std::string& id,
                         MutationContext& context) {
  const google::protobuf::Timestamp now = ToProtoTime(context.now);
  v1::Claim claim;
  claim.set_name(ClaimName(id));
  claim.set_text(in.text());
  if (in.has_parts()) *claim.mutable_parts() = in.parts();
  *claim.mutable_topics() = in.topics();
  DedupeTopics(&claim);
  claim.set_language(in.language());
  for (v1::Figure figure : in.figures()) {
    figure.set_revision(1);
    *figure.mutable_record_time() = now;
    *claim.add_figures() = std::move(figure);
  }
  for (v1::Attribution attribution : in.attributions()) {
    attribution.set_attribution_id(NextAttributionId(claim));
    *attribution.mutable_record_time() = now;
    *claim.add_attributions() = std::move(attribution);
  }
  for (v1::Stance stance : in.stances()) {
    *stance.mutable_record_time() = now;
    *claim.add_stances() = std::move(stance);
  }
  *claim.mutable_appearances() = in.appearances();
  claim.set_creator(context.who->name);
  *claim.mutable_create_time() = now;
  return claim;
}

// A free id for a new claim without claim_id: ClaimIdForSequence of its
// creating event, or that with "-2", ... if a client took it explicitly.
absl::StatusOr<std::string> AssignClaimId(MutationContext& context) {
  const std::string base = ClaimIdForSequence(context.overlay->NextSequence());
  for (int n = 1;; ++n) {
    std::string candidate = n == 1 ? base : absl::StrCat(base, "-", n);
    ASSIGN_OR_RETURN(std::optional<v1::Claim> taken,
                     context.overlay->FindClaim(candidate));
    if (!taken.has_value()) return candidate;
  }
}

}  // namespace

absl::StatusOr<v1::Claim> ApplyCreateClaim(const v1::CreateClaimRequest& req,
                                           MutationContext& context) {
  std::string id = req.claim_id();
  if (!id.empty()) {
    ASSIGN_OR_RETURN(std::optional<v1::Claim> taken,
                     context.overlay->FindClaim(id));
    if (taken.has_value()) {
      return absl::AlreadyExistsError(
          absl::StrCat("claim_id: ", ClaimName(id), " already exists"));
    }
  } else {
    ASSIGN_OR_RETURN(id, AssignClaimId(context));
  }
  const v1::Claim& in = req.claim();
  for (int i = 0; i < in.figures_size(); ++i) {
    RETURN_IF_ERROR(RequireFigureSources(
        context, absl::StrCat("claim.figures[", i, "]"), in.figures(i)));
  }
  for (int i = 0; i < in.attributions_size(); ++i) {
    const std::string field = absl::StrCat("claim.attributions[", i, "]");
    const v1::Attribution& attribution = in.attributions(i);
    if (!attribution.figure_id().empty() &&
        !HasFigure(in, attribution.figure_id())) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".figure_id: no figure \"",
                       attribution.figure_id(), "\" in claim.figures"));
    }
    RETURN_IF_ERROR(RequireAttributionSources(context, field, attribution));
  }
  for (int i = 0; i < in.stances_size(); ++i) {
    RETURN_IF_ERROR(RequireStanceSources(
        context, absl::StrCat("claim.stances[", i, "]"), in.stances(i)));
  }
  for (int i = 0; i < in.appearances_size(); ++i) {
    RETURN_IF_ERROR(RequireAppearanceSources(
        context, absl::StrCat("claim.appearances[", i, "]"),
        in.appearances(i)));
  }
  RETURN_IF_ERROR(RequireChangeSources(context, req.context()));

  v1::Event event;
  event.set_kind(v1::EVENT_KIND_CLAIM_CREATED);
  *event.mutable_claim_created()->mutable_claim() =
      ClaimAsCreated(in, id, context);
  ASSIGN_OR_RETURN(v1::Claim after,
                   AppendClaimEvent(context, id, v1::Claim(), std::move(event),
                                    &req.context()));
  return WithSummary(context, std::move(after));
}

absl::StatusOr<v1::Claim> ApplyUpdateClaim(const v1::UpdateClaimRequest& req,
                                           MutationContext& context) {
  ASSIGN_OR_RETURN(
      ClaimForWrite target,
      LoadClaimForWrite(context, "claim.name", req.claim().name(),
                        EtagToCheck(req.etag(), req.claim().etag()),
                        ClaimWritePolicy::kLive));
  RETURN_IF_ERROR(RequireChangeSources(context, req.context()));
  const v1::Claim& in = req.claim();
  v1::Event event;
  event.set_kind(v1::EVENT_KIND_CLAIM_UPDATED);
  v1::ClaimUpdated* updated = event.mutable_claim_updated();
  v1::Claim* values = updated->mutable_claim();
  for (const std::string& path : req.update_mask().paths()) {
    if (path == "text") {
      values->set_text(in.text());
    } else if (path == "parts") {
      *values->mutable_parts() = in.parts();
    } else if (path == "topics") {
      *values->mutable_topics() = in.topics();
      DedupeTopics(values);
    } else if (path == "language") {
      values->set_language(in.language());
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("update_mask: cannot update \"", path,
                       "\" (updatable: text, parts, topics, language)"));
    }
    updated->add_update_mask_paths(path);
  }
  ASSIGN_OR_RETURN(v1::Claim after,
                   AppendClaimEvent(context, target.id, target.claim,
                                    std::move(event), &req.context()));
  return WithSummary(context, std::move(after));
}

absl::StatusOr<v1::Claim> ApplyAddAttribution(
    const v1::AddAttributionRequest& req, MutationContext& context) {
  ASSIGN_OR_RETURN(ClaimForWrite target,
                   LoadClaimForWrite(context, "claim", req.claim(), req.etag(),
                                     ClaimWritePolicy::kLive));
  RETURN_IF_ERROR(CheckRoomFor("attribution", target.claim, "attributions",
                               target.claim.attributions_size()));
  v1::Attribution attribution = req.attribution();
  if (!attribution.figure_id().empty() &&
      !HasFigure(target.claim, attribution.figure_id())) {
    return absl::NotFoundError(
        absl::StrCat("attribution.figure_id: ", target.claim.name(),
                     " has no figure \"", attribution.figure_id(), "\""));
  }
  RETURN_IF_ERROR(
      RequireAttributionSources(context, "attribution", attribution));
  RETURN_IF_ERROR(RequireChangeSources(context, req.context()));
  attribution.set_attribution_id(NextAttributionId(target.claim));
  *attribution.mutable_record_time() = ToProtoTime(context.now);
  v1::Event event;
  event.set_kind(v1::EVENT_KIND_ATTRIBUTION_ADDED);
  *event.mutable_attribution_added() = std::move(attribution);
  ASSIGN_OR_RETURN(v1::Claim after,
                   AppendClaimEvent(context, target.id, target.claim,
                                    std::move(event), &req.context()));
  return WithSummary(context, std::move(after));
}

absl::StatusOr<v1::Claim> ApplyReviseFigure(const v1::ReviseFigureRequest& req,
                                            MutationContext& context) {
  ASSIGN_OR_RETURN(ClaimForWrite target,
                   LoadClaimForWrite(context, "claim", req.claim(), req.etag(),
                                     ClaimWritePolicy::kLive));
  v1::Figure figure = req.figure();
  if (!HasFigure(target.claim, figure.figure_id())) {
    RETURN_IF_ERROR(CheckRoomFor("figure.figure_id", target.claim, "figures",
                                 target.claim.figures_size()));
  }
  RETURN_IF_ERROR(RequireFigureSources(context, "figure", figure));
  RETURN_IF_ERROR(RequireChangeSources(context, req.context()));
  int32_t revision = 1;
  for (const v1::Figure& existing : target.claim.figures()) {
    if (existing.figure_id() == figure.figure_id()) {
      revision = existing.revision() + 1;
    }
  }
  figure.set_revision(revision);
  *figure.mutable_record_time() = ToProtoTime(context.now);
  v1::Event event;
  event.set_kind(v1::EVENT_KIND_FIGURE_REVISED);
  *event.mutable_figure_revised() = std::move(figure);
  ASSIGN_OR_RETURN(v1::Claim after,
                   AppendClaimEvent(context, target.id, target.claim,
                                    std::move(event), &req.context()));
  return WithSummary(context, std::move(after));
}

absl::StatusOr<v1::Claim> ApplyRecordStance(const v1::RecordStanceRequest& req,
                                            MutationContext& context) {
  ASSIGN_OR_RETURN(ClaimForWrite target,
                   LoadClaimForWrite(context, "claim", req.claim(), req.etag(),
                                     ClaimWritePolicy::kLive));
  const bool new_party = std::none_of(
      target.claim.stances().begin(), target.claim.stances().end(),
      [&](const v1::Stance& s) { return s.party() == req.stance().party(); });
  if (new_party) {
    RETURN_IF_ERROR(CheckRoomFor("stance.party", target.claim, "stances",
                                 target.claim.stances_size()));
  }
  RETURN_IF_ERROR(RequireStanceSources(context, "stance", req.stance()));
  RETURN_IF_ERROR(RequireChangeSources(context, req.context()));
  v1::Event event;
  event.set_kind(v1::EVENT_KIND_STANCE_RECORDED);
  v1::Stance* stance = event.mutable_stance_recorded();
  *stance = req.stance();
  *stance->mutable_record_time() = ToProtoTime(context.now);
  ASSIGN_OR_RETURN(v1::Claim after,
                   AppendClaimEvent(context, target.id, target.claim,
                                    std::move(event), &req.context()));
  return WithSummary(context, std::move(after));
}

absl::StatusOr<v1::Claim> ApplyRecordVerdict(
    const v1::RecordVerdictRequest& req, MutationContext& context) {
  ASSIGN_OR_RETURN(ClaimForWrite target,
                   LoadClaimForWrite(context, "claim", req.claim(), req.etag(),
                                     ClaimWritePolicy::kAllowRetracted));
  RETURN_IF_ERROR(RequireChangeSources(context, req.context()));
  v1::Event event;
  event.set_kind(v1::EVENT_KIND_VERDICT_RECORDED);
  v1::Verdict* verdict = event.mutable_verdict_recorded();
  *verdict = req.verdict();
  verdict->set_reviewer(context.who->name);
  *verdict->mutable_record_time() = ToProtoTime(context.now);
  ASSIGN_OR_RETURN(v1::Claim after,
                   AppendClaimEvent(context, target.id, target.claim,
                                    std::move(event), &req.context()));
  return WithSummary(context, std::move(after));
}

absl::StatusOr<v1::Claim> ApplyAddAppearance(
    const v1::AddAppearanceRequest& req, MutationContext& context) {
  ASSIGN_OR_RETURN(ClaimForWrite target,
                   LoadClaimForWrite(context, "claim", req.claim(), req.etag(),
                                     ClaimWritePolicy::kAllowRetracted));
  for (const v1::Appearance& existing : target.claim.appearances()) {
    if (existing.url() == req.appearance().url()) {
      return absl::AlreadyExistsError(
          absl::StrCat("appearance.url: ", target.claim.name(),
                       " already has an appearance at ", existing.url()));
    }
  }
  RETURN_IF_ERROR(CheckRoomFor("appearance", target.claim, "appearances",
                               target.claim.appearances_size()));
  RETURN_IF_ERROR(
      RequireAppearanceSources(context, "appearance", req.appearance()));
  RETURN_IF_ERROR(RequireChangeSources(context, req.context()));
  v1::Event event;
  event.set_kind(v1::EVENT_KIND_APPEARANCE_ADDED);
  *event.mutable_appearance_added() = req.appearance();
  ASSIGN_OR_RETURN(v1::Claim after,
                   AppendClaimEvent(context, target.id, target.claim,
                                    std::move(event), &req.context()));
  return WithSummary(context, std::move(after));
}

absl::StatusOr<v1::Claim> ApplyRetractClaim(const v1::RetractClaimRequest& req,
                                            MutationContext& context) {
  ASSIGN_OR_RETURN(ClaimForWrite target,
                   LoadClaimForWrite(context, "claim", req.claim(), req.etag(),
                                     ClaimWritePolicy::kAllowRetracted));
  if (target.claim.state() == v1::CLAIM_STATE_RETRACTED) {
    return absl::FailedPreconditionError(
        absl::StrCat(target.claim.name(), " is already retracted"));
  }
  RETURN_IF_ERROR(RequireChangeSources(context, req.context()));
  v1::Event event;
  event.set_kind(v1::EVENT_KIND_RETRACTED);
  event.mutable_retracted()->set_reason(req.reason());
  ASSIGN_OR_RETURN(v1::Claim after,
                   AppendClaimEvent(context, target.id, target.claim,
                                    std::move(event), &req.context()));
  return WithSummary(context, std::move(after));
}

}  // namespace core
}  // namespace claimtrail
