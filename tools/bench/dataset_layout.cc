#include "tools/bench/dataset_layout.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace claimtrail {
namespace bench {
namespace {

constexpr int kTopics = 50;

// Request ids of prepared events: "bench-prep-<claim id>-<revision>", so a
// repeated prepare is answered from the idempotency records.
std::string PrepRequestId(absl::string_view claim_name, int revision) {
  return absl::StrCat("bench-prep-", claim_name.substr(claim_name.find('/') + 1),
                      "-", revision);
}

std::string ClaimId(absl::string_view claim_name) {
  return std::string(claim_name.substr(claim_name.find('/') + 1));
}

uint64_t Seed(absl::string_view claim_name, int revision) {
  uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a.
  for (unsigned char c : claim_name) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash ^ (static_cast<uint64_t>(revision) * 0x9E3779B97F4A7C15ULL);
}

v1::AttributionHop Hop(const std::string& source) {
  v1::AttributionHop hop;
  hop.set_source(source);
  hop.set_verb(v1::ATTRIBUTION_VERB_REPORTED);
  return hop;
}

v1::Figure CountFigure(double amount) {
  v1::Figure figure;
  figure.set_figure_id("count");
  figure.set_label("items counted by the benchmark");
  figure.set_amount(amount);
  figure.set_unit("items");
  figure.set_qualifier(v1::FIGURE_QUALIFIER_EXACT);
  return figure;
}

// A claim with text, topics, one attribution and one figure.
v1::CreateClaimRequest BaseCreate(const std::string& claim_name,
                                  const std::string& source,
                                  const std::string& topic, double amount) {
  v1::CreateClaimRequest req;
  req.set_claim_id(ClaimId(claim_name));
  req.set_request_id(PrepRequestId(claim_name, 1));
  v1::Claim* claim = req.mutable_claim();
  claim->set_text(absl::StrCat("Benchmark claim ", ClaimId(claim_name), ": ",
                               PayloadText(Seed(claim_name, 0), 96)));
  claim->add_topics("bench");
  claim->add_topics(topic);
  claim->set_language("en");
  *claim->add_attributions()->add_hops() = Hop(source);
  *claim->add_figures() = CountFigure(amount);
  req.mutable_context()->set_note("benchmark dataset");
  return req;
}

v1::ReviseFigureRequest FigureRevision(const std::string& claim_name,
                                       int revision, double amount) {
  v1::ReviseFigureRequest req;
  req.set_claim(claim_name);
  *req.mutable_figure() = CountFigure(amount);
  req.set_request_id(PrepRequestId(claim_name, revision));
  req.mutable_context()->set_note(absl::StrCat("revision ", revision));
  return req;
}

v1::AddAppearanceRequest Appearance(const std::string& claim_name,
                                    int revision, int quote_bytes) {
  v1::AddAppearanceRequest req;
  req.set_claim(claim_name);
  v1::Appearance* appearance = req.mutable_appearance();
  appearance->set_url(absl::StrCat("https://bench.example/",
                                   ClaimId(claim_name), "/", revision));
  appearance->set_outlet("bench.example");
  appearance->set_quote(PayloadText(Seed(claim_name, revision), quote_bytes));
  req.set_request_id(PrepRequestId(claim_name, revision));
  req.mutable_context()->set_note(absl::StrCat("revision ", revision));
  return req;
}

v1::RecordStanceRequest Stance(const std::string& claim_name, int revision,
                               const std::string& party,
                               v1::StancePosition position,
                               int statement_bytes) {
  v1::RecordStanceRequest req;
  req.set_claim(claim_name);
  v1::Stance* stance = req.mutable_stance();
  stance->set_party(party);
  stance->set_position(position);
  stance->set_statement(
      PayloadText(Seed(claim_name, revision), statement_bytes));
  req.set_request_id(PrepRequestId(claim_name, revision));
  req.mutable_context()->set_note(absl::StrCat("revision ", revision));
  return req;
}

}  // namespace

std::string PlainClaimName(int index) {
  return absl::StrFormat("claims/bench-%07d", index);
}
std::string Timeline10ClaimName(int index) {
  return absl::StrFormat("claims/bench-t10-%04d", index);
}
std::string Timeline100ClaimName(int index) {
  return absl::StrFormat("claims/bench-t100-%04d", index);
}
std::string AppendClaimName(int index) {
  return absl::StrFormat("claims/bench-w-%04d", index);
}
std::string AttributionSourceName(int index) {
  return absl::StrFormat("sources/bench-src-%02d", index);
}
std::string PartyName(int index) {
  return absl::StrFormat("sources/bench-party-%d", index);
}

v1::ClaimState PlainClaimState(int index) {
  switch (index % 3) {
    case 0:
      return v1::CLAIM_STATE_UNVERIFIED;
    case 1:
      return v1::CLAIM_STATE_CONFIRMED;
    default:
      return v1::CLAIM_STATE_DENIED;
  }
}

std::vector<v1::CreateSourceRequest> SourceRequests(
    const DatasetLayout& layout) {
  std::vector<v1::CreateSourceRequest> out;
  auto add = [&out](const std::string& name, const std::string& display,
                    v1::SourceKind kind) {
    v1::CreateSourceRequest req;
    const std::string id = name.substr(name.find('/') + 1);
    req.set_source_id(id);
    req.set_request_id(absl::StrCat("bench-prep-source-", id));
    req.mutable_source()->set_display_name(display);
    req.mutable_source()->set_kind(kind);
    out.push_back(std::move(req));
  };
  for (int i = 0; i < layout.sources; ++i) {
    add(AttributionSourceName(i), absl::StrFormat("Bench Source %02d", i),
        v1::SOURCE_KIND_NEWS_OUTLET);
  }
  for (int i = 0; i < kParties; ++i) {
    add(PartyName(i), absl::StrFormat("Bench Party %d", i),
        v1::SOURCE_KIND_GOVERNMENT);
  }
  add(std::string(kWriterSource), "Bench Writer", v1::SOURCE_KIND_NEWS_OUTLET);
  return out;
}

ClaimPlan PlainClaimPlan(const DatasetLayout& layout, int index) {
  const std::string name = PlainClaimName(index);
  ClaimPlan plan;
  plan.create =
      BaseCreate(name, AttributionSourceName(index % layout.sources),
                 absl::StrCat("topic-", index % kTopics), index);
  const v1::ClaimState state = PlainClaimState(index);
  const v1::StancePosition position = state == v1::CLAIM_STATE_CONFIRMED
                                          ? v1::STANCE_POSITION_CONFIRMED
                                          : v1::STANCE_POSITION_DENIED;
  const bool has_stance = state != v1::CLAIM_STATE_UNVERIFIED;
  if (has_stance) {
    v1::Stance* stance = plan.create.mutable_claim()->add_stances();
    stance->set_party(PartyName(0));
    stance->set_position(position);
  }
  // Follow-ups keep the state: figure revisions, appearances, and the same
  // party restating the same position.
  for (int revision = 2; revision <= layout.events_per_claim; ++revision) {
    switch (revision % 3) {
      case 0:
        plan.follow_ups.push_back(FigureRevision(name, revision, index + revision));
        break;
      case 1:
        plan.follow_ups.push_back(
            Appearance(name, revision, layout.payload_bytes));
        break;
      default:
        if (has_stance) {
          plan.follow_ups.push_back(Stance(name, revision, PartyName(0),
                                           position, layout.payload_bytes));
        } else {
          plan.follow_ups.push_back(
              Appearance(name, revision, layout.payload_bytes));
        }
    }
  }
  return plan;
}

ClaimPlan TimelineClaimPlan(const DatasetLayout& layout, int events,
                            int index) {
  const std::string name = events == 100 ? Timeline100ClaimName(index)
                                         : Timeline10ClaimName(index);
  ClaimPlan plan;
  plan.create = BaseCreate(name, AttributionSourceName(index % layout.sources),
                           "timeline", index);
  static constexpr v1::StancePosition kPositions[] = {
      v1::STANCE_POSITION_NOT_CONFIRMED, v1::STANCE_POSITION_CONFIRMED,
      v1::STANCE_POSITION_DECLINED_TO_COMMENT, v1::STANCE_POSITION_DENIED};
  // A realistic mix of event kinds: figure revisions, parties taking and
  // changing positions, appearances, and long statements.
  for (int revision = 2; revision <= events; ++revision) {
    switch (revision % 4) {
      case 0:
        plan.follow_ups.push_back(FigureRevision(name, revision, revision));
        break;
      case 1:
        plan.follow_ups.push_back(
            Stance(name, revision, PartyName((revision / 4) % kParties),
                   kPositions[(revision / 4) % 4], 64));
        break;
      case 2:
        plan.follow_ups.push_back(
            Appearance(name, revision, layout.payload_bytes / 4));
        break;
      default:
        plan.follow_ups.push_back(Stance(name, revision, PartyName(0),
                                         kPositions[(revision / 8) % 4],
                                         layout.payload_bytes));
    }
  }
  return plan;
}

ClaimPlan AppendClaimPlan(const DatasetLayout& layout, int index) {
  const std::string name = AppendClaimName(index);
  ClaimPlan plan;
  plan.create = BaseCreate(name, AttributionSourceName(index % layout.sources),
                           "append", index);
  return plan;
}

int64_t TotalEvents(const DatasetLayout& layout) {
  return static_cast<int64_t>(layout.claims) * layout.events_per_claim +
         static_cast<int64_t>(layout.timeline10_claims) * 10 +
         static_cast<int64_t>(layout.timeline100_claims) * 100 +
         layout.append_claims;
}

std::string PayloadText(uint64_t seed, int bytes) {
  // 27 symbols (a-z and space) from 5-bit chunks of a xorshift stream.
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz ";
  std::string out;
  out.reserve(bytes);
  Rng rng(seed);
  while (static_cast<int>(out.size()) < bytes) {
    uint64_t bits = rng.Next();
    for (int i = 0; i < 12 && static_cast<int>(out.size()) < bytes; ++i) {
      out.push_back(kAlphabet[(bits & 31) % 27]);
      bits >>= 5;
    }
  }
  return out;
}

}  // namespace bench
}  // namespace claimtrail
