#include "tools/crash/workload.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace claimtrail {
namespace crash {
namespace {

constexpr size_t kMaxOwnedClaims = 16;

constexpr const char* kWords[] = {
    "troops",   "russia",   "korea",    "missile", "launch",  "border",
    "ministry", "confirms", "denies",   "report",  "figures", "soldiers",
    "exports",  "grain",    "sanction", "drone",   "strike",  "port",
    "election", "turnout",  "budget",   "deficit", "vaccine", "outbreak"};

std::string EventName(const v1::Claim& claim) {
  return absl::StrCat(claim.name(), "/events/", claim.revision());
}

}  // namespace

std::string PartyName(int i) { return absl::StrCat("sources/party-", i); }
std::string OutletName() { return "sources/outlet"; }

absl::Status EnsureSharedSources(const client::ClaimTrailClient& client,
                                 AckLogWriter& acks) {
  std::vector<std::pair<std::string, v1::SourceKind>> sources;
  for (int i = 0; i < kSharedParties; ++i) {
    sources.emplace_back(absl::StrCat("party-", i),
                         v1::SOURCE_KIND_GOVERNMENT);
  }
  sources.emplace_back("outlet", v1::SOURCE_KIND_NEWS_OUTLET);
  for (const auto& [id, kind] : sources) {
    v1::CreateSourceRequest req;
    req.set_source_id(id);
    req.set_request_id(absl::StrCat("crash-setup-", id));
    req.mutable_source()->set_display_name(absl::StrCat("Shared ", id));
    req.mutable_source()->set_kind(kind);
    absl::StatusOr<v1::Source> source = client.CreateSource(req);
    if (!source.ok()) return source.status();
    acks.Append({req.request_id(), "CreateSource", "", 0, source->name()});
  }
  return absl::OkStatus();
}

Writer::Writer(const client::ClaimTrailClient& client, AckLogWriter& acks,
               std::string run_id, int index, double read_fraction)
    : client_(client),
      acks_(acks),
      run_id_(std::move(run_id)),
      index_(index),
      read_fraction_(read_fraction),
      rng_(std::hash<std::string>()(run_id_) * 1000003 + index) {}

std::string Writer::NextRequestId() {
  return absl::StrCat(run_id_, "-w", index_, "-", ++counter_);
}

std::string Writer::NextId(absl::string_view kind) {
  return absl::StrCat(run_id_, "-w", index_, "-", kind, ++counter_);
}

void Writer::AckClaim(absl::string_view request_id, absl::string_view method,
                      const v1::Claim& claim, int expected_events,
                      OwnedClaim* owned) {
  acks_.Append({std::string(request_id), std::string(method),
                EventName(claim), expected_events, ""});
  ++acknowledged_;
  if (owned != nullptr) owned->etag = claim.etag();
}

absl::Status Writer::Step() {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  if (!claims_.empty() && unit(rng_) < read_fraction_) {
    return Read(AnyClaim());
  }
  if (claims_.empty()) return CreateClaim();
  const int roll = Pick(100);
  if (roll < 12) return CreateClaim();
  if (roll < 32) return RecordStance(AnyClaim());
  if (roll < 47) return ReviseFigure(AnyClaim());
  if (roll < 62) return AddAppearance(AnyClaim());
  if (roll < 72) return UpdateClaim(AnyClaim());
  if (roll < 80) return RecordVerdict(AnyClaim());
  if (roll < 96 && claims_.size() >= 2) {
    const size_t a = Pick(claims_.size());
    size_t b = Pick(claims_.size() - 1);
    if (b >= a) ++b;
    if (roll < 86) return LinkClaims(claims_[a], claims_[b]);
    if (roll < 89) return MergeClaims(a, b);
    if (roll < 92) return RetractClaim(a);
    return RedactEvent(claims_[a]);
  }
  return CreateSource();
}

absl::Status Writer::CreateClaim() {
  v1::CreateClaimRequest req;
  req.set_request_id(NextRequestId());
  req.set_claim_id(NextId("c"));
  v1::Claim* claim = req.mutable_claim();
  std::vector<std::string> words;
  for (int i = 0; i < 6; ++i) words.push_back(kWords[Pick(std::size(kWords))]);
  claim->set_text(absl::StrCat("Claim ", req.claim_id(), ": ",
                               absl::StrJoin(words, " ")));
  claim->add_topics(kWords[Pick(std::size(kWords))]);
  claim->set_language("en");
  v1::Attribution* attribution = claim->add_attributions();
  v1::AttributionHop* hop = attribution->add_hops();
  hop->set_source(OutletName());
  hop->set_verb(v1::ATTRIBUTION_VERB_REPORTED);
  v1::Stance* stance = claim->add_stances();
  stance->set_party(PartyName(Pick(kSharedParties)));
  stance->set_position(v1::STANCE_POSITION_NOT_CONFIRMED);
  absl::StatusOr<v1::Claim> created = client_.CreateClaim(req);
  if (!created.ok()) return created.status();
  if (claims_.size() >= kMaxOwnedClaims) claims_.erase(claims_.begin());
  claims_.push_back({created->name(), "", 0});
  AckClaim(req.request_id(), "CreateClaim", *created, 1, &claims_.back());
  return absl::OkStatus();
}

absl::Status Writer::CreateSource() {
  v1::CreateSourceRequest req;
  req.set_request_id(NextRequestId());
  req.set_source_id(NextId("s"));
  req.mutable_source()->set_display_name(
      absl::StrCat("Source ", req.source_id()));
  req.mutable_source()->set_kind(v1::SOURCE_KIND_PERSON);
  absl::StatusOr<v1::Source> source = client_.CreateSource(req);
  if (!source.ok()) return source.status();
  acks_.Append({req.request_id(), "CreateSource", "", 0, source->name()});
  ++acknowledged_;
  return absl::OkStatus();
}

absl::Status Writer::RecordStance(OwnedClaim& claim) {
  v1::RecordStanceRequest req;
  req.set_request_id(NextRequestId());
  req.set_claim(claim.name);
  req.set_etag(claim.etag);
  req.mutable_stance()->set_party(PartyName(Pick(kSharedParties)));
  req.mutable_stance()->set_position(
      static_cast<v1::StancePosition>(1 + Pick(7)));
  absl::StatusOr<v1::Claim> after = client_.RecordStance(req);
  if (!after.ok()) return after.status();
  AckClaim(req.request_id(), "RecordStance", *after, 1, &claim);
  claim.last_redactable_revision = after->revision();
  return absl::OkStatus();
}

absl::Status Writer::ReviseFigure(OwnedClaim& claim) {
  v1::ReviseFigureRequest req;
  req.set_request_id(NextRequestId());
  req.set_claim(claim.name);
  req.set_etag(claim.etag);
  v1::Figure* figure = req.mutable_figure();
  figure->set_figure_id(absl::StrCat("f", Pick(3)));
  figure->set_label("soldiers sent");
  figure->set_amount(1000 + Pick(100000));
  figure->set_unit("soldiers");
  figure->set_qualifier(v1::FIGURE_QUALIFIER_ABOUT);
  absl::StatusOr<v1::Claim> after = client_.ReviseFigure(req);
  if (!after.ok()) return after.status();
  AckClaim(req.request_id(), "ReviseFigure", *after, 1, &claim);
  claim.last_redactable_revision = after->revision();
  return absl::OkStatus();
}

absl::Status Writer::AddAppearance(OwnedClaim& claim) {
  v1::AddAppearanceRequest req;
  req.set_request_id(NextRequestId());
  req.set_claim(claim.name);
  req.set_etag(claim.etag);
  req.mutable_appearance()->set_url(
      absl::StrCat("https://example.org/", req.request_id()));
  req.mutable_appearance()->set_outlet("example.org");
  req.mutable_appearance()->set_quote("Officials said so.");
  absl::StatusOr<v1::Claim> after = client_.AddAppearance(req);
  if (!after.ok()) return after.status();
  AckClaim(req.request_id(), "AddAppearance", *after, 1, &claim);
  claim.last_redactable_revision = after->revision();
  return absl::OkStatus();
}

absl::Status Writer::UpdateClaim(OwnedClaim& claim) {
  v1::UpdateClaimRequest req;
  req.set_request_id(NextRequestId());
  req.set_etag(claim.etag);
  req.mutable_claim()->set_name(claim.name);
  req.mutable_claim()->set_text(absl::StrCat(
      "Updated ", kWords[Pick(std::size(kWords))], " ", req.request_id()));
  req.mutable_update_mask()->add_paths("text");
  absl::StatusOr<v1::Claim> after = client_.UpdateClaim(req);
  if (!after.ok()) return after.status();
  AckClaim(req.request_id(), "UpdateClaim", *after, 1, &claim);
  return absl::OkStatus();
}

absl::Status Writer::RecordVerdict(OwnedClaim& claim) {
  v1::RecordVerdictRequest req;
  req.set_request_id(NextRequestId());
  req.set_claim(claim.name);
  req.set_etag(claim.etag);
  req.mutable_verdict()->set_rating(static_cast<v1::VerdictRating>(1 + Pick(7)));
  req.mutable_verdict()->set_explanation("Checked against the record.");
  absl::StatusOr<v1::Claim> after = client_.RecordVerdict(req);
  if (!after.ok()) return after.status();
  AckClaim(req.request_id(), "RecordVerdict", *after, 1, &claim);
  return absl::OkStatus();
}

absl::Status Writer::LinkClaims(OwnedClaim& holder, OwnedClaim& target) {
  if (!linked_.insert(std::minmax(holder.name, target.name)).second) {
    return AddAppearance(holder);
  }
  v1::LinkClaimsRequest req;
  req.set_request_id(NextRequestId());
  req.set_claim(holder.name);
  req.set_etag(holder.etag);
  req.mutable_relation()->set_type(v1::RELATION_TYPE_SUPPORTS);
  req.mutable_relation()->set_target(target.name);
  absl::StatusOr<v1::Claim> after = client_.LinkClaims(req);
  if (!after.ok()) return after.status();
  AckClaim(req.request_id(), "LinkClaims", *after, 2, &holder);
  target.etag.clear();  // The INVERSE event moved it on.
  return absl::OkStatus();
}

absl::Status Writer::MergeClaims(size_t duplicate, size_t into) {
  v1::MergeClaimsRequest req;
  req.set_request_id(NextRequestId());
  req.set_claim(claims_[duplicate].name);
  req.set_etag(claims_[duplicate].etag);
  req.set_into(claims_[into].name);
  absl::StatusOr<v1::Claim> after = client_.MergeClaims(req);
  if (!after.ok()) return after.status();
  AckClaim(req.request_id(), "MergeClaims", *after, 2, &claims_[into]);
  claims_.erase(claims_.begin() + duplicate);  // Read-only from now on.
  return absl::OkStatus();
}

absl::Status Writer::RetractClaim(size_t index) {
  v1::RetractClaimRequest req;
  req.set_request_id(NextRequestId());
  req.set_claim(claims_[index].name);
  req.set_etag(claims_[index].etag);
  req.set_reason("The outlet withdrew the report.");
  absl::StatusOr<v1::Claim> after = client_.RetractClaim(req);
  if (!after.ok()) return after.status();
  AckClaim(req.request_id(), "RetractClaim", *after, 1, nullptr);
  claims_.erase(claims_.begin() + index);
  return absl::OkStatus();
}

absl::Status Writer::RedactEvent(OwnedClaim& claim) {
  if (claim.last_redactable_revision < 2) return RecordStance(claim);
  v1::RedactEventRequest req;
  req.set_request_id(NextRequestId());
  req.set_name(
      absl::StrCat(claim.name, "/events/", claim.last_redactable_revision));
  req.set_reason("Recorded on the wrong claim.");
  absl::StatusOr<v1::Event> redacted = client_.RedactEvent(req);
  if (!redacted.ok()) return redacted.status();
  // The response is the redacted event; the REDACTED event it appends is
  // found by its request_id.
  acks_.Append({req.request_id(), "RedactEvent", "", 1, ""});
  ++acknowledged_;
  claim.last_redactable_revision = 0;
  claim.etag.clear();
  return absl::OkStatus();
}

absl::Status Writer::Read(const OwnedClaim& claim) {
  if (Pick(2) == 0) {
    v1::GetClaimRequest req;
    req.set_name(claim.name);
    return client_.GetClaim(req).status();
  }
  v1::ListClaimEventsRequest req;
  req.set_parent(claim.name);
  req.set_page_size(20);
  return client_.ListClaimEvents(req).status();
}

}  // namespace crash
}  // namespace claimtrail
