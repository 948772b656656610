#include "server/core/report/history.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "google/protobuf/duration.pb.h"
#include "server/core/fold.h"
#include "server/core/render.h"
#include "server/core/report/sourcing.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace report {
namespace {

using google::protobuf::Timestamp;

google::protobuf::Duration ToDuration(absl::Duration duration) {
  google::protobuf::Duration proto;
  const int64_t seconds = absl::IDivDuration(duration, absl::Seconds(1),
                                             &duration);
  proto.set_seconds(seconds);
  proto.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(duration)));
  return proto;
}

std::optional<absl::Time> Earliest(std::optional<absl::Time> a,
                                   const Timestamp& candidate, bool has) {
  if (!has) return a;
  const absl::Time time = FromProtoTime(candidate);
  if (!a.has_value() || time < *a) return time;
  return a;
}

// Tracks the first stance event of one position.
class FirstStanceTracker {
 public:
  explicit FirstStanceTracker(v1::StancePosition position)
      : position_(position) {}

  void See(const v1::Stance& stance, const v1::Event& event,
           const SourceDirectory& sources) {
    if (stance.position() != position_) return;
    if (!found_) {
      found_ = true;
      first_.set_party(stance.party());
      first_.set_party_display_name(sources.DisplayName(stance.party()));
      *first_.mutable_record_time() = event.recorded_time();
    }
    if (stance.has_asserted_time()) {
      asserted_ = Earliest(asserted_, stance.asserted_time(), true);
    } else {
      asserted_ = Earliest(asserted_, event.asserted_time(),
                           event.has_asserted_time());
    }
  }

  // Writes the result into `out` if a stance was seen.
  void Finish(absl::Time created, std::optional<absl::Time> first_asserted,
              v1::FirstStance* out) const {
    if (!found_) return;
    *out = first_;
    *out->mutable_since_created() =
        ToDuration(FromProtoTime(first_.record_time()) - created);
    if (asserted_.has_value()) {
      *out->mutable_asserted_time() = ToProtoTime(*asserted_);
      if (first_asserted.has_value()) {
        *out->mutable_since_first_asserted() =
            ToDuration(*asserted_ - *first_asserted);
      }
    }
  }

 private:
  v1::StancePosition position_;
  bool found_ = false;
  v1::FirstStance first_;
  std::optional<absl::Time> asserted_;
};

// The stances an event records: a created claim's initial stances, or the
// one stance_recorded.
std::vector<const v1::Stance*> StancesOf(const v1::Event& event) {
  std::vector<const v1::Stance*> stances;
  if (event.has_claim_created()) {
    for (const v1::Stance& stance : event.claim_created().claim().stances()) {
      stances.push_back(&stance);
    }
  } else if (event.has_stance_recorded()) {
    stances.push_back(&event.stance_recorded());
  }
  return stances;
}

std::vector<const v1::Figure*> FiguresOf(const v1::Event& event) {
  std::vector<const v1::Figure*> figures;
  if (event.has_claim_created()) {
    for (const v1::Figure& figure : event.claim_created().claim().figures()) {
      figures.push_back(&figure);
    }
  } else if (event.has_figure_revised()) {
    figures.push_back(&event.figure_revised());
  }
  return figures;
}

// The claim's first asserted time as of now: see FirstStance in
// report.proto.
std::optional<absl::Time> FirstAsserted(absl::Span<const v1::Event> events,
                                        const v1::Claim& claim) {
  std::optional<absl::Time> first;
  if (!events.empty()) {
    first = Earliest(first, events.front().asserted_time(),
                     events.front().has_asserted_time());
  }
  const auto hops = [&first](const google::protobuf::RepeatedPtrField<
                             v1::AttributionHop>& list) {
    for (const v1::AttributionHop& hop : list) {
      first = Earliest(first, hop.asserted_time(), hop.has_asserted_time());
    }
  };
  for (const v1::Attribution& attribution : claim.attributions()) {
    hops(attribution.hops());
  }
  for (const v1::Figure& figure : claim.figures()) hops(figure.sources());
  for (const v1::Appearance& appearance : claim.appearances()) {
    first = Earliest(first, appearance.publish_time(),
                     appearance.has_publish_time());
  }
  return first;
}

}  // namespace

absl::Status AuditHistory(absl::Span<const v1::Event> events,
                          const SourceDirectory& sources,
                          v1::ClaimAudit* audit) {
  FirstStanceTracker confirmation(v1::STANCE_POSITION_CONFIRMED);
  FirstStanceTracker denial(v1::STANCE_POSITION_DENIED);
  std::map<std::string, int> figure_index;  // figure_id -> index in figures
  v1::Claim claim;
  for (const v1::Event& event : events) {
    RETURN_IF_ERROR(core::ApplyEvent(event, &claim));
    if (audit->state_history().empty() ||
        audit->state_history().rbegin()->state() != claim.state()) {
      v1::StateChange* change = audit->add_state_history();
      change->set_state(claim.state());
      *change->mutable_record_time() = event.recorded_time();
    }
    if (event.redacted()) continue;
    for (const v1::Stance* stance : StancesOf(event)) {
      confirmation.See(*stance, event, sources);
      denial.See(*stance, event, sources);
      v1::StanceChange* change = audit->add_stance_history();
      change->set_party(stance->party());
      change->set_party_display_name(sources.DisplayName(stance->party()));
      change->set_position(stance->position());
      *change->mutable_record_time() = event.recorded_time();
      if (stance->has_asserted_time()) {
        *change->mutable_asserted_time() = stance->asserted_time();
      } else if (event.has_asserted_time()) {
        *change->mutable_asserted_time() = event.asserted_time();
      }
    }
    for (const v1::Figure* figure : FiguresOf(event)) {
      auto [it, added] =
          figure_index.emplace(figure->figure_id(), audit->figures_size());
      v1::FigureAudit* audit_figure = added
                                          ? audit->add_figures()
                                          : audit->mutable_figures(it->second);
      audit_figure->set_figure_id(figure->figure_id());
      if (!figure->label().empty()) audit_figure->set_label(figure->label());
      audit_figure->set_revision_count(audit_figure->revision_count() + 1);
      v1::FigureRevisionAudit* revision = audit_figure->add_history();
      revision->set_revision(audit_figure->revision_count());
      *revision->mutable_record_time() = event.recorded_time();
      revision->set_value(core::DescribeFigure(*figure));
      revision->set_sources(DescribeChain(figure->sources(), sources));
      *revision->mutable_figure() = *figure;
      revision->mutable_figure()->set_revision(revision->revision());
      *revision->mutable_figure()->mutable_record_time() =
          event.recorded_time();
    }
  }
  if (events.empty()) return absl::OkStatus();
  const absl::Time created = FromProtoTime(claim.create_time());
  const std::optional<absl::Time> first_asserted = FirstAsserted(events, claim);
  confirmation.Finish(created, first_asserted,
                      audit->mutable_first_confirmation());
  denial.Finish(created, first_asserted, audit->mutable_first_denial());
  if (!audit->first_confirmation().has_record_time()) {
    audit->clear_first_confirmation();
  }
  if (!audit->first_denial().has_record_time()) audit->clear_first_denial();
  return absl::OkStatus();
}

}  // namespace report
}  // namespace claimtrail
