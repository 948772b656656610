#include "server/core/report/report_text.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/core/render.h"

namespace claimtrail {
namespace report {

std::string Count(int n, const std::string& singular,
                  const std::string& plural) {
  return absl::StrCat(n, " ", n == 1 ? singular : plural);
}

std::string SourcingLine(const v1::ClaimAudit& claim) {
  if (claim.unsourced()) return "No attribution recorded.";
  std::vector<std::string> labels;
  std::vector<std::string> relays;
  for (const v1::OriginAudit& origin : claim.origins()) {
    labels.push_back(origin.label());
    for (const std::string& relay : origin.relay_display_names()) {
      if (std::find(relays.begin(), relays.end(), relay) == relays.end()) {
        relays.push_back(relay);
      }
    }
  }
  std::string line = absl::StrCat(
      Count(claim.independent_origins(), "independent origin",
            "independent origins"),
      " (", absl::StrJoin(labels, "; "), ")");
  if (claim.relay_count() > 0) {
    absl::StrAppend(&line, ", relayed by ",
                    Count(claim.relay_count(), "outlet", "outlets"), " (",
                    absl::StrJoin(relays, ", "), ")");
  }
  if (claim.echo_count() > 0) {
    absl::StrAppend(&line, "; ",
                    Count(claim.echo_count(), "chain echoes",
                          "chains echo"),
                    " an origin already counted");
  }
  absl::StrAppend(&line, "; chain depth ", claim.max_chain_depth());
  if (claim.single_source()) absl::StrAppend(&line, "; single source");
  if (claim.anonymous_only()) {
    absl::StrAppend(&line, "; anonymous sources only");
  }
  line.push_back('.');
  return line;
}

std::string StancesLine(const v1::ClaimAudit& claim) {
  if (claim.stances().empty()) return "none recorded";
  std::vector<std::string> parts;
  for (const v1::StanceAudit& stance : claim.stances()) {
    parts.push_back(absl::StrCat(stance.party_display_name(), ": ",
                                 core::EnumLabel(stance.position())));
  }
  return absl::StrJoin(parts, "; ");
}

namespace {

// "11 days after" or, for a negative duration, "30 days before": a signed
// "-30 days after" does not read as English.
std::string AfterOrBefore(const google::protobuf::Duration& duration) {
  const bool before = duration.seconds() < 0 ||
                      (duration.seconds() == 0 && duration.nanos() < 0);
  if (!before) return absl::StrCat(DurationWords(duration), " after");
  google::protobuf::Duration magnitude;
  magnitude.set_seconds(-duration.seconds());
  magnitude.set_nanos(-duration.nanos());
  return absl::StrCat(DurationWords(magnitude), " before");
}

}  // namespace

std::string FirstStanceLine(const v1::FirstStance& first,
                            const std::string& none) {
  if (!first.has_record_time()) return none;
  std::string line = absl::StrCat(first.party_display_name(), ", ",
                                  AfterOrBefore(first.since_created()),
                                  " the claim was recorded (recorded ",
                                  core::FormatTimestamp(first.record_time()));
  if (first.has_since_first_asserted()) {
    absl::StrAppend(&line, "; asserted ",
                    AfterOrBefore(first.since_first_asserted()),
                    " the claim was first asserted");
  } else if (first.has_asserted_time()) {
    absl::StrAppend(&line, "; asserted ",
                    core::FormatTimestamp(first.asserted_time()));
  }
  line.push_back(')');
  return line;
}

std::vector<std::pair<std::string, std::string>> FirstStanceEntries(
    const v1::ClaimAudit& claim) {
  return {
      {"Time to first confirmation by a party",
       FirstStanceLine(claim.first_confirmation(), "no party has confirmed")},
      {"Time to first denial by a party",
       FirstStanceLine(claim.first_denial(), "no party has denied")}};
}

std::string GradesLine(const v1::ClaimAudit& claim) {
  std::vector<std::string> parts;
  if (!claim.credibility_grades().empty()) {
    parts.push_back(absl::StrCat("credibility ",
                                 absl::StrJoin(claim.credibility_grades(), ", ")));
  }
  std::vector<std::string> reliability;
  std::vector<std::string> seen;
  for (const v1::ChainAudit& chain : claim.chains()) {
    for (const v1::HopAudit& hop : chain.hops()) {
      if (hop.reliability() == v1::RELIABILITY_GRADE_UNSPECIFIED) continue;
      if (std::find(seen.begin(), seen.end(), hop.source()) != seen.end()) {
        continue;
      }
      seen.push_back(hop.source());
      reliability.push_back(absl::StrCat(hop.display_name(), " ",
                                         ReliabilityLetter(hop.reliability())));
    }
  }
  if (!reliability.empty()) {
    parts.push_back(
        absl::StrCat("reliability: ", absl::StrJoin(reliability, ", ")));
  }
  return parts.empty() ? "none given" : absl::StrJoin(parts, "; ");
}

std::string AnonymousHopsLine(const v1::ClaimAudit& claim) {
  if (claim.anonymous_hops().empty()) return "none";
  std::vector<std::string> parts;
  for (const v1::AnonymousHopAudit& hop : claim.anonymous_hops()) {
    std::string part = absl::StrCat(hop.chain_id(), " hop ", hop.position(),
                                    ", ", hop.display_name());
    absl::StrAppend(&part, " (reason: ",
                    hop.reason().empty() ? "not stated" : hop.reason(), ")");
    parts.push_back(std::move(part));
  }
  return absl::StrJoin(parts, "; ");
}

std::string VerdictLine(const v1::ClaimAudit& claim) {
  if (!claim.has_verdict()) return "none";
  const v1::Verdict& verdict = claim.verdict();
  std::string line = core::EnumLabel(verdict.rating());
  if (!verdict.rating_text().empty()) {
    absl::StrAppend(&line, " (\"", verdict.rating_text(), "\")");
  }
  if (!verdict.review_url().empty()) {
    absl::StrAppend(&line, ", ", verdict.review_url());
  }
  return line;
}

std::string DurationWords(const google::protobuf::Duration& duration) {
  int64_t seconds = duration.seconds();
  std::string sign;
  if (seconds < 0 || (seconds == 0 && duration.nanos() < 0)) {
    sign = "-";
    seconds = -seconds;
  }
  struct Unit {
    int64_t seconds;
    const char* singular;
    const char* plural;
  };
  static constexpr Unit kUnits[] = {{86400, "day", "days"},
                                    {3600, "hour", "hours"},
                                    {60, "minute", "minutes"},
                                    {1, "second", "seconds"}};
  std::vector<std::string> parts;
  for (const Unit& unit : kUnits) {
    const int64_t n = seconds / unit.seconds;
    seconds %= unit.seconds;
    if (n > 0) {
      parts.push_back(absl::StrCat(n, " ", n == 1 ? unit.singular
                                                  : unit.plural));
    } else if (!parts.empty()) {
      // Stop at the first zero after a leading unit: "2 days", not
      // "2 days 0 hours 5 minutes".
      break;
    }
    if (parts.size() == 2) break;
  }
  if (parts.empty()) return "0 seconds";
  return absl::StrCat(sign, absl::StrJoin(parts, " "));
}

std::string ReliabilityLetter(v1::ReliabilityGrade grade) {
  if (grade < v1::RELIABILITY_GRADE_A || grade > v1::RELIABILITY_GRADE_F) {
    return "";
  }
  return std::string(1, static_cast<char>('A' + (grade - 1)));
}

std::string Percent(double share) {
  return absl::StrCat(static_cast<int64_t>(std::llround(share * 100)), "%");
}

}  // namespace report
}  // namespace claimtrail
