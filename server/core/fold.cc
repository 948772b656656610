// The event fold. Each payload kind changes the claim as follows (the claim
// is always the state after the previous event of the same claim; the fold
// never looks at other claims, so it stays a pure function of one history):
//
//   claim_created      text, parts, topics (duplicates dropped), language, and
//                      the initial figures, attributions, stances and
//                      appearances, each added by the rule of its own event
//                      kind below; create_time = recorded_time; creator =
//                      author.
//   claim_updated      copies the fields named in update_mask_paths (text,
//                      parts, topics, language).
//   attribution_added  appends, keeping the attribution_id the Ledger
//                      assigned (or "a{n}", n = 1 + the highest number in
//                      use, when it is missing or taken) and record_time.
//   figure_revised     replaces the figure with the same figure_id, in place,
//                      with revision + 1; otherwise appends it as revision 1.
//   stance_recorded    replaces the party's stance in place (a party keeps
//                      the position of its first stance); otherwise appends.
//   verdict_recorded   sets the verdict; reviewer = author.
//   appearance_added   appends, unless an appearance with the same URL is
//                      already there (the first one is kept).
//   relation_added     appends the relation; one with the same type, target
//                      and inverse_of is replaced in place.
//   merged             on the duplicate (merged_claim is this claim): sets
//                      merged_into and adds relation SAME_AS -> into_claim.
//                      On the target (into_claim is this claim): adds relation
//                      INVERSE(SAME_AS) -> merged_claim and the attributions
//                      and appearances the payload carries (the Ledger copies
//                      them from the duplicate when it writes the event, so
//                      the fold never reads another claim).
//   retracted          sets retraction_reason.
//   redacted_event     nothing: the Ledger clears the target event's payload
//                      (redacted = true) and refolds.
//
// A redacted event (redacted = true) changes nothing but the bookkeeping.
// Every event then sets name, revision, update_time, state and etag, and
// clears state_summary (the Ledger fills it with StateSummary, which needs
// source display names).
#include "server/core/fold.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace core {
namespace {

using google::protobuf::Timestamp;

constexpr char kEventsInfix[] = "/events/";

absl::Status Corrupt(const v1::Event& event, absl::string_view what) {
  const std::string where =
      event.name().empty() ? absl::StrCat("event revision ", event.revision())
                           : event.name();
  return absl::InternalError(
      absl::StrCat("corrupt claim history at ", where, ": ", what));
}

// The event kind that goes with each payload.
v1::EventKind KindOfPayload(v1::Event::PayloadCase payload) {
  switch (payload) {
    case v1::Event::kClaimCreated:
      return v1::EVENT_KIND_CLAIM_CREATED;
    case v1::Event::kClaimUpdated:
      return v1::EVENT_KIND_CLAIM_UPDATED;
    case v1::Event::kAttributionAdded:
      return v1::EVENT_KIND_ATTRIBUTION_ADDED;
    case v1::Event::kFigureRevised:
      return v1::EVENT_KIND_FIGURE_REVISED;
    case v1::Event::kStanceRecorded:
      return v1::EVENT_KIND_STANCE_RECORDED;
    case v1::Event::kVerdictRecorded:
      return v1::EVENT_KIND_VERDICT_RECORDED;
    case v1::Event::kAppearanceAdded:
      return v1::EVENT_KIND_APPEARANCE_ADDED;
    case v1::Event::kRelationAdded:
      return v1::EVENT_KIND_RELATION_ADDED;
    case v1::Event::kMerged:
      return v1::EVENT_KIND_MERGED;
    case v1::Event::kRetracted:
      return v1::EVENT_KIND_RETRACTED;
    case v1::Event::kRedactedEvent:
      return v1::EVENT_KIND_REDACTED;
    case v1::Event::PAYLOAD_NOT_SET:
      break;
  }
  return v1::EVENT_KIND_UNSPECIFIED;
}

// "claims/{id}/events/{n}" -> "claims/{id}"; empty for an unnamed event.
absl::StatusOr<std::string> ClaimNameOf(const v1::Event& event) {
  if (event.name().empty()) return std::string();
  const size_t infix = event.name().rfind(kEventsInfix);
  if (infix == std::string::npos || infix == 0 ||
      !absl::StartsWith(event.name(), "claims/")) {
    return Corrupt(event, "malformed event name");
  }
  return event.name().substr(0, infix);
}

// The number n of an attribution id "a{n}", or 0 when it has another form.
int64_t AttributionNumber(absl::string_view id) {
  int64_t number = 0;
  if (!absl::ConsumePrefix(&id, "a") || id.empty() ||
      !absl::SimpleAtoi(id, &number) || number < 0) {
    return 0;
  }
  return number;
}

void AddAttribution(const v1::Attribution& attribution,
                    const Timestamp& recorded, v1::Claim* claim) {
  int64_t highest = 0;
  for (const v1::Attribution& existing : claim->attributions()) {
    highest = std::max(highest, AttributionNumber(existing.attribution_id()));
  }
  // The Ledger assigns ids when it writes the event, so that refolding after
  // a redaction never renumbers later attributions. An event without an id
  // (or with one already in use) gets the next free number.
  bool id_free = !attribution.attribution_id().empty();
  for (const v1::Attribution& existing : claim->attributions()) {
    if (existing.attribution_id() == attribution.attribution_id()) {
      id_free = false;
    }
  }
  v1::Attribution* added = claim->add_attributions();
  *added = attribution;
  if (!id_free) added->set_attribution_id(absl::StrCat("a", highest + 1));
  *added->mutable_record_time() = recorded;
}

void ReviseFigure(const v1::Figure& figure, const Timestamp& recorded,
                  v1::Claim* claim) {
  for (v1::Figure& existing : *claim->mutable_figures()) {
    if (existing.figure_id() != figure.figure_id()) continue;
    const int32_t revision = existing.revision() + 1;
    existing = figure;
    existing.set_revision(revision);
    *existing.mutable_record_time() = recorded;
    return;
  }
  v1::Figure* added = claim->add_figures();
  *added = figure;
  added->set_revision(1);
  *added->mutable_record_time() = recorded;
}

void RecordStance(const v1::Stance& stance, const Timestamp& recorded,
                  v1::Claim* claim) {
  v1::Stance* target = nullptr;
  for (v1::Stance& existing : *claim->mutable_stances()) {
    if (existing.party() == stance.party()) {
      target = &existing;
      break;
    }
  }
  if (target == nullptr) target = claim->add_stances();
  *target = stance;
  *target->mutable_record_time() = recorded;
}

void AddAppearance(const v1::Appearance& appearance, v1::Claim* claim) {
  for (const v1::Appearance& existing : claim->appearances()) {
    if (existing.url() == appearance.url()) return;
  }
  *claim->add_appearances() = appearance;
}

void AddRelation(const v1::Relation& relation, const Timestamp& recorded,
                 v1::Claim* claim) {
  v1::Relation* target = nullptr;
  for (v1::Relation& existing : *claim->mutable_relations()) {
    if (existing.type() == relation.type() &&
        existing.target() == relation.target() &&
        existing.inverse_of() == relation.inverse_of()) {
      target = &existing;
      break;
    }
  }
  if (target == nullptr) target = claim->add_relations();
  *target = relation;
  *target->mutable_record_time() = recorded;
}

void SetTopics(const google::protobuf::RepeatedPtrField<std::string>& topics,
               v1::Claim* claim) {
  claim->clear_topics();
  for (const std::string& topic : topics) {
    bool seen = false;
    for (const std::string& kept : claim->topics()) {
      if (kept == topic) {
        seen = true;
        break;
      }
    }
    if (!seen) claim->add_topics(topic);
  }
}

void ApplyCreated(const v1::Event& event, v1::Claim* claim) {
  const v1::Claim& initial = event.claim_created().claim();
  const Timestamp& recorded = event.recorded_time();
  claim->set_text(initial.text());
  if (initial.has_parts()) *claim->mutable_parts() = initial.parts();
  SetTopics(initial.topics(), claim);
  claim->set_language(initial.language());
  for (const v1::Figure& figure : initial.figures()) {
    ReviseFigure(figure, recorded, claim);
  }
  for (const v1::Attribution& attribution : initial.attributions()) {
    AddAttribution(attribution, recorded, claim);
  }
  for (const v1::Stance& stance : initial.stances()) {
    RecordStance(stance, recorded, claim);
  }
  for (const v1::Appearance& appearance : initial.appearances()) {
    AddAppearance(appearance, claim);
  }
  *claim->mutable_create_time() = recorded;
  claim->set_creator(event.author());
}

absl::Status ApplyUpdated(const v1::Event& event, v1::Claim* claim) {
  const v1::ClaimUpdated& update = event.claim_updated();
  // Check every path before changing anything: on error the claim is as it
  // was.
  for (const std::string& path : update.update_mask_paths()) {
    if (path != "text" && path != "parts" && path != "topics" &&
        path != "language") {
      return Corrupt(event, absl::StrCat("unknown update path \"",
                                         absl::CEscape(path), "\""));
    }
  }
  for (const std::string& path : update.update_mask_paths()) {
    if (path == "text") {
      claim->set_text(update.claim().text());
    } else if (path == "parts") {
      if (update.claim().has_parts()) {
        *claim->mutable_parts() = update.claim().parts();
      } else {
        claim->clear_parts();
      }
    } else if (path == "topics") {
      SetTopics(update.claim().topics(), claim);
    } else {
      claim->set_language(update.claim().language());
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyMerged(const v1::Event& event, const std::string& this_claim,
                         v1::Claim* claim) {
  const v1::Merged& merged = event.merged();
  const Timestamp& recorded = event.recorded_time();
  if (merged.merged_claim() == merged.into_claim()) {
    return Corrupt(event, "claim merged into itself");
  }
  v1::Relation relation;
  if (this_claim == merged.merged_claim()) {
    claim->set_merged_into(merged.into_claim());
    relation.set_type(v1::RELATION_TYPE_SAME_AS);
    relation.set_target(merged.into_claim());
  } else if (this_claim == merged.into_claim()) {
    relation.set_type(v1::RELATION_TYPE_INVERSE);
    relation.set_inverse_of(v1::RELATION_TYPE_SAME_AS);
    relation.set_target(merged.merged_claim());
    for (const v1::Attribution& attribution : merged.attributions()) {
      AddAttribution(attribution, recorded, claim);
    }
    for (const v1::Appearance& appearance : merged.appearances()) {
      AddAppearance(appearance, claim);
    }
  } else {
    return Corrupt(event, absl::StrCat("merge of ", merged.merged_claim(),
                                       " into ", merged.into_claim(),
                                       " recorded on ", this_claim));
  }
  AddRelation(relation, recorded, claim);
  return absl::OkStatus();
}

absl::Status ApplyPayload(const v1::Event& event, const std::string& this_claim,
                          v1::Claim* claim) {
  const Timestamp& recorded = event.recorded_time();
  switch (event.payload_case()) {
    case v1::Event::kClaimCreated:
      ApplyCreated(event, claim);
      return absl::OkStatus();
    case v1::Event::kClaimUpdated:
      return ApplyUpdated(event, claim);
    case v1::Event::kAttributionAdded:
      AddAttribution(event.attribution_added(), recorded, claim);
      return absl::OkStatus();
    case v1::Event::kFigureRevised:
      ReviseFigure(event.figure_revised(), recorded, claim);
      return absl::OkStatus();
    case v1::Event::kStanceRecorded:
      RecordStance(event.stance_recorded(), recorded, claim);
      return absl::OkStatus();
    case v1::Event::kVerdictRecorded:
      *claim->mutable_verdict() = event.verdict_recorded();
      claim->mutable_verdict()->set_reviewer(event.author());
      *claim->mutable_verdict()->mutable_record_time() = recorded;
      return absl::OkStatus();
    case v1::Event::kAppearanceAdded:
      AddAppearance(event.appearance_added(), claim);
      return absl::OkStatus();
    case v1::Event::kRelationAdded:
      AddRelation(event.relation_added().relation(), recorded, claim);
      return absl::OkStatus();
    case v1::Event::kMerged:
      return ApplyMerged(event, this_claim, claim);
    case v1::Event::kRetracted:
      // A retraction must stay visible even if its reason was lost; the
      // reason is what marks the claim retracted (see DeriveState).
      claim->set_retraction_reason(event.retracted().reason().empty()
                                       ? "no reason given"
                                       : event.retracted().reason());
      return absl::OkStatus();
    case v1::Event::kRedactedEvent:
      return absl::OkStatus();
    case v1::Event::PAYLOAD_NOT_SET:
      break;
  }
  return Corrupt(event, "no payload on an event that is not redacted");
}

// FNV-1a, 64 bits: a fixed function, so etags survive restarts and builds
// (absl::Hash is seeded per process).
uint64_t Fnv1a64(absl::string_view bytes) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace

absl::Status ApplyEvent(const v1::Event& event, v1::Claim* claim) {
  if (claim == nullptr) return absl::InternalError("ApplyEvent: null claim");
  if (event.revision() != claim->revision() + 1) {
    return Corrupt(event, absl::StrCat("revision ", event.revision(),
                                       " cannot follow revision ",
                                       claim->revision()));
  }
  ASSIGN_OR_RETURN(std::string event_claim, ClaimNameOf(event));
  if (!event_claim.empty() && !claim->name().empty() &&
      event_claim != claim->name()) {
    return Corrupt(event, absl::StrCat("event of ", event_claim,
                                       " applied to ", claim->name()));
  }
  const std::string this_claim =
      event_claim.empty() ? claim->name() : event_claim;
  const bool creating = claim->revision() == 0;

  if (event.redacted()) {
    // The creating event cannot be redacted (RedactEventRequest); without it
    // there would be no claim.
    if (creating) return Corrupt(event, "the creating event is redacted");
  } else {
    if (event.payload_case() == v1::Event::PAYLOAD_NOT_SET) {
      return Corrupt(event, "no payload on an event that is not redacted");
    }
    if (event.kind() != KindOfPayload(event.payload_case())) {
      return Corrupt(event, "event kind does not match its payload");
    }
    const bool created = event.payload_case() == v1::Event::kClaimCreated;
    if (creating && !created) {
      return Corrupt(event, "the first event does not create the claim");
    }
    if (!creating && created) {
      return Corrupt(event, "claim_created on an existing claim");
    }
    RETURN_IF_ERROR(ApplyPayload(event, this_claim, claim));
  }

  if (!this_claim.empty()) claim->set_name(this_claim);
  claim->set_revision(event.revision());
  *claim->mutable_update_time() = event.recorded_time();
  claim->set_state(DeriveState(*claim));
  claim->clear_state_summary();
  claim->set_etag(ClaimEtag(*claim));
  return absl::OkStatus();
}

absl::StatusOr<v1::Claim> Fold(absl::Span<const v1::Event> events) {
  v1::Claim claim;
  for (const v1::Event& event : events) {
    RETURN_IF_ERROR(ApplyEvent(event, &claim));
  }
  return claim;
}

std::string ClaimEtag(const v1::Claim& claim) {
  // Name and revision identify one state of one claim: every event bumps the
  // revision, and names are never reused.
  const std::string identity = absl::StrCat(claim.name(), "#", claim.revision());
  return absl::StrFormat("%016x", Fnv1a64(identity));
}

}  // namespace core
}  // namespace claimtrail
