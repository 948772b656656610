// Mutations that involve two claims (LinkClaims, MergeClaims) and
// redaction. A two-claim change is two events, one per claim, in the same
// commit: the claim named by the request first, then the other.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "server/core/as_of.h"
#include "server/core/diff.h"
#include "server/core/fold.h"
#include "server/core/ledger_mutations.h"
#include "server/core/ledger_names.h"
#include "server/core/ledger_write_util.h"
#include "server/core/limits.h"
#include "server/core/render.h"
#include "server/core/validation.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace core {
namespace {

// The second claim of a two-claim request (`field` names it): it must exist
// and satisfy `policy`.
absl::StatusOr<ClaimForWrite> LoadOtherClaim(MutationContext& context,
                                             absl::string_view field,
                                             absl::string_view name,
                                             ClaimWritePolicy policy) {
  ClaimForWrite out;
  ASSIGN_OR_RETURN(out.id, ParseClaimName(field, name));
  ASSIGN_OR_RETURN(std::optional<v1::Claim> claim,
                   context.overlay->FindClaim(out.id));
  if (!claim.has_value()) {
    return absl::NotFoundError(
        absl::StrCat(field, ": ", ClaimName(out.id), " not found"));
  }
  RETURN_IF_ERROR(CheckWritable(*claim, field, policy));
  out.claim = *std::move(claim);
  return out;
}

// SUPERSEDES and REFINES order claims (newer over older, specific over
// general), so a chain of one of them must never lead back to where it
// started. Walks the forward links of `type` from `from`; true when `to` is
// reachable. Bounded: a history with more links than kMaxWalk is refused
// rather than walked without end.
absl::StatusOr<bool> Reaches(MutationContext& context, const std::string& from,
                             const std::string& to, v1::RelationType type) {
  constexpr int kMaxWalk = 10000;
  std::vector<std::string> pending = {from};
  std::vector<std::string> seen;
  while (!pending.empty()) {
    const std::string id = pending.back();
    pending.pop_back();
    if (id == to) return true;
    if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
    seen.push_back(id);
    if (static_cast<int>(seen.size()) > kMaxWalk) {
      return absl::FailedPreconditionError(
          "relation: too many linked claims to check for a cycle");
    }
    ASSIGN_OR_RETURN(std::optional<v1::Claim> claim,
                     context.overlay->FindClaim(id));
    if (!claim.has_value()) continue;
    for (const v1::Relation& relation : claim->relations()) {
      if (relation.type() != type) continue;
      absl::StatusOr<std::string> next =
          ParseClaimName("relation.target", relation.target());
      if (next.ok()) pending.push_back(*std::move(next));
    }
  }
  return false;
}

// An attribution's chain, for comparing: its hops and figure, without the
// id and record time that each claim gives it.
std::string ChainOf(v1::Attribution attribution) {
  attribution.clear_attribution_id();
  attribution.clear_record_time();
  return attribution.SerializeAsString();
}

// Whether "A {type} B" says the same as "B {type} A".
bool IsSymmetric(v1::RelationType type) {
  return type == v1::RELATION_TYPE_SAME_AS ||
         type == v1::RELATION_TYPE_VARIANT ||
         type == v1::RELATION_TYPE_CONTRADICTS;
}

// Folds `events` (the claim's history, the event at `redacted_revision`
// already redacted) and returns the state. The redacted event is rewritten
// with the state it now leaves. The events after the redacted one
// were diffed against states that held its payload, so their stored changes
// may differ from a diff of the new history, and may quote the removed
// payload (a later verdict's "before"); their stored claim_state may differ
// too (a redacted denial no longer disputes a later confirmation). Each one
// whose changes or state are not those of the new history gets them,
// rewritten in place, so a timeline, a watch filtered by state and an as-of
// read all tell the same history. Events written before changes were stored
// get them the same way; that is as true as none.
absl::StatusOr<v1::Claim> RefoldAfterRedaction(MutationContext& context,
                                               int64_t redacted_revision,
                                               std::vector<v1::Event>* events) {
  v1::Claim state;
  for (v1::Event& event : *events) {
    // Only events after the redacted one need the state before them.
    std::optional<v1::Claim> before;
    if (event.revision() > redacted_revision) before = state;
    RETURN_IF_ERROR(ApplyEvent(event, &state));
    if (event.revision() < redacted_revision) continue;
    if (before.has_value()) {
      std::vector<v1::FieldChange> changes = DiffClaims(*before, state);
      if (event.claim_state() == state.state() && HasChanges(event, changes)) {
        continue;
      }
      SetChanges(std::move(changes), &event);
    }
    event.set_claim_state(state.state());
    context.overlay->RewriteEvent(event);
  }
  return state;
}

}  // namespace

absl::StatusOr<v1::Claim> ApplyLinkClaims(const v1::LinkClaimsRequest& req,
                                          MutationContext& context) {
  ASSIGN_OR_RETURN(ClaimForWrite holder,
                   LoadClaimForWrite(context, "claim", req.claim(), req.etag(),
                                     ClaimWritePolicy::kAllowRetracted));
  const v1::Relation& in = req.relation();
  if (in.type() == v1::RELATION_TYPE_INVERSE) {
    return absl::InvalidArgumentError(
        "relation.type: INVERSE is output only; link from the other claim");
  }
  ASSIGN_OR_RETURN(std::string target_id,
                   ParseClaimName("relation.target", in.target()));
  if (target_id == holder.id) {
    return absl::InvalidArgumentError(
        absl::StrCat("relation.target: a claim cannot be linked to itself (",
                     holder.claim.name(), ")"));
  }
  for (const v1::Relation& existing : holder.claim.relations()) {
    if (existing.target() != ClaimName(target_id)) continue;
    if (existing.type() == in.type()) {
      return absl::AlreadyExistsError(
          absl::StrCat("relation: ", holder.claim.name(), " already has a \"",
                       EnumLabel(in.type()), "\" link to ", existing.target()));
    }
    // Same-as, variant and contradicts read the same both ways: the link
    // from the target already says it.
    if (IsSymmetric(in.type()) &&
        existing.type() == v1::RELATION_TYPE_INVERSE &&
        existing.inverse_of() == in.type()) {
      return absl::AlreadyExistsError(
          absl::StrCat("relation: ", existing.target(), " already has a \"",
                       EnumLabel(in.type()), "\" link to ", holder.claim.name(),
                       ", which says the same"));
    }
  }
  ASSIGN_OR_RETURN(ClaimForWrite target,
                   LoadOtherClaim(context, "relation.target", in.target(),
                                  ClaimWritePolicy::kAllowRetracted));
  if (in.type() == v1::RELATION_TYPE_SUPERSEDES ||
      in.type() == v1::RELATION_TYPE_REFINES) {
    ASSIGN_OR_RETURN(bool cycle, Reaches(context, target.id, holder.id,
                                         in.type()));
    if (cycle) {
      return absl::InvalidArgumentError(absl::StrCat(
          "relation: \"", EnumLabel(in.type()), "\" from ", holder.claim.name(),
          " to ", target.claim.name(), " would create a cycle (",
          target.claim.name(), " already leads back", " to ",
          holder.claim.name(), ")"));
    }
  }
  RETURN_IF_ERROR(RequireChangeSources(context, req.context()));

  const google::protobuf::Timestamp now = ToProtoTime(context.now);
  v1::Event forward;
  forward.set_kind(v1::EVENT_KIND_RELATION_ADDED);
  v1::Relation* relation = forward.mutable_relation_added()->mutable_relation();
  relation->set_type(in.type());
  relation->set_target(target.claim.name());
  relation->set_note(in.note());
  *relation->mutable_record_time() = now;

  v1::Event inverse;
  inverse.set_kind(v1::EVENT_KIND_RELATION_ADDED);
  v1::Relation* back = inverse.mutable_relation_added()->mutable_relation();
  back->set_type(v1::RELATION_TYPE_INVERSE);
  back->set_inverse_of(in.type());
  back->set_target(holder.claim.name());
  back->set_note(in.note());
  *back->mutable_record_time() = now;

  ASSIGN_OR_RETURN(v1::Claim after,
                   AppendClaimEvent(context, holder.id, holder.claim,
                                    std::move(forward), &req.context()));
  RETURN_IF_ERROR(AppendClaimEvent(context, target.id, target.claim,
                                   std::move(inverse), &req.context())
                      .status());
  return WithSummary(context, std::move(after));
}

absl::StatusOr<v1::Claim> ApplyMergeClaims(const v1::MergeClaimsRequest& req,
                                           MutationContext& context) {
  // A retracted duplicate may still be merged (it only becomes read-only);
  // the target must be live, since it is the claim that lives on.
  ASSIGN_OR_RETURN(ClaimForWrite duplicate,
                   LoadClaimForWrite(context, "claim", req.claim(), req.etag(),
                                     ClaimWritePolicy::kAllowRetracted));
  ASSIGN_OR_RETURN(std::string into_id, ParseClaimName("into", req.into()));
  if (into_id == duplicate.id) {
    return absl::InvalidArgumentError(absl::StrCat(
        "into: a claim cannot be merged into itself (", req.into(), ")"));
  }
  ASSIGN_OR_RETURN(
      ClaimForWrite target,
      LoadOtherClaim(context, "into", req.into(), ClaimWritePolicy::kLive));
  RETURN_IF_ERROR(RequireChangeSources(context, req.context()));

  v1::Event on_duplicate;
  on_duplicate.set_kind(v1::EVENT_KIND_MERGED);
  on_duplicate.mutable_merged()->set_merged_claim(duplicate.claim.name());
  on_duplicate.mutable_merged()->set_into_claim(target.claim.name());
  v1::Event on_target = on_duplicate;
  // The target gains the duplicate's sourcing, carried in its event so the
  // fold stays a function of one claim's history.
  v1::Claim gained = target.claim;
  std::set<std::string> chains;
  for (const v1::Attribution& have : gained.attributions()) {
    chains.insert(ChainOf(have));
  }
  for (v1::Attribution attribution : duplicate.claim.attributions()) {
    // The same chain logged on both claims is one piece of sourcing.
    if (!chains.insert(ChainOf(attribution)).second) continue;
    attribution.set_attribution_id(NextAttributionId(gained));
    *attribution.mutable_record_time() = ToProtoTime(context.now);
    *gained.add_attributions() = attribution;
    *on_target.mutable_merged()->add_attributions() = std::move(attribution);
  }
  for (const v1::Appearance& appearance : duplicate.claim.appearances()) {
    bool known = false;
    for (const v1::Appearance& have : gained.appearances()) {
      known = known || have.url() == appearance.url();
    }
    if (known) continue;
    *gained.add_appearances() = appearance;
    *on_target.mutable_merged()->add_appearances() = appearance;
  }
  // The target stays within what any claim may hold (CheckRoomFor).
  for (const auto& [entries, count] :
       {std::pair<const char*, int>{"attributions", gained.attributions_size()},
        {"appearances", gained.appearances_size()}}) {
    if (count > kMaxEntriesPerCreate) {
      return absl::FailedPreconditionError(
          absl::StrCat("into: merging ", duplicate.claim.name(), " would give ",
                       target.claim.name(), " ", count, " ", entries,
                       " (at most ", kMaxEntriesPerCreate, " per claim)"));
    }
  }

  RETURN_IF_ERROR(AppendClaimEvent(context, duplicate.id, duplicate.claim,
                                   std::move(on_duplicate), &req.context())
                      .status());
  ASSIGN_OR_RETURN(v1::Claim after,
                   AppendClaimEvent(context, target.id, target.claim,
                                    std::move(on_target), &req.context()));
  return WithSummary(context, std::move(after));
}

absl::StatusOr<v1::Event> ApplyRedactEvent(const v1::RedactEventRequest& req,
                                           MutationContext& context) {
  ASSIGN_OR_RETURN(auto parsed, ParseEventName("name", req.name()));
  const std::string& claim_id = parsed.first;
  const int64_t revision = parsed.second;
  ASSIGN_OR_RETURN(std::optional<v1::Claim> claim,
                   context.overlay->FindClaim(claim_id));
  if (!claim.has_value()) {
    return absl::NotFoundError(absl::StrCat(ClaimName(claim_id), " not found"));
  }
  ASSIGN_OR_RETURN(std::vector<v1::Event> events,
                   context.overlay->ReadAllEvents(claim_id));
  if (revision > static_cast<int64_t>(events.size())) {
    return absl::NotFoundError(
        absl::StrCat(EventName(claim_id, revision), " not found"));
  }
  v1::Event& target = events[revision - 1];
  if (revision == 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        "name: ", target.name(),
        " created the claim and cannot be redacted; retract the claim "
        "instead"));
  }
  if (target.redacted()) {
    return absl::FailedPreconditionError(
        absl::StrCat(target.name(), " is already redacted"));
  }
  if (target.kind() == v1::EVENT_KIND_REDACTED) {
    return absl::FailedPreconditionError(absl::StrCat(
        "name: ", target.name(), " is a redaction; it cannot be redacted"));
  }
  if (target.kind() == v1::EVENT_KIND_MERGED ||
      target.kind() == v1::EVENT_KIND_RELATION_ADDED) {
    // Each is half of a two-claim change; removing one half would leave the
    // other claim pointing at a link that no longer exists.
    return absl::FailedPreconditionError(
        absl::StrCat("name: ", target.name(),
                     " is one side of a link between two claims "
                     "and cannot be redacted"));
  }
  target.set_redacted(true);
  target.clear_payload();
  // The author's note and the evidence (a URL, a quoted sentence) are as
  // likely as the payload to be what had to go: a redaction is for personal
  // data and the like. Who, when and why-redacted stay.
  target.clear_note();
  target.clear_evidence();
  // Its stored changes render the removed payload: they go too. A redacted
  // event changes nothing a diff reports, so none is what a timeline shows.
  target.clear_changes();

  absl::StatusOr<v1::Claim> refolded =
      RefoldAfterRedaction(context, revision, &events);
  if (!refolded.ok()) {
    return absl::InternalError(absl::StrCat(
        "cannot refold ", ClaimName(claim_id),
        " without the redacted event: ", refolded.status().message()));
  }
  const v1::Event redacted = events[revision - 1];
  v1::Event event;
  event.set_kind(v1::EVENT_KIND_REDACTED);
  event.mutable_redacted_event()->set_target_event(redacted.name());
  event.mutable_redacted_event()->set_reason(req.reason());
  RETURN_IF_ERROR(
      AppendClaimEvent(context, claim_id, *refolded, std::move(event), nullptr)
          .status());
  return redacted;
}

}  // namespace core
}  // namespace claimtrail
