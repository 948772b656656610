// The wording shared by the Markdown, HTML and CSV renderings of an audit
// report, so that every format says the same thing the same way. Pure.
#ifndef CLAIMTRAIL_SERVER_CORE_REPORT_REPORT_TEXT_H_
#define CLAIMTRAIL_SERVER_CORE_REPORT_REPORT_TEXT_H_

#include <string>
#include <utility>
#include <vector>

#include "google/protobuf/duration.pb.h"
#include "proto/claimtrail/v1/report.pb.h"

namespace claimtrail {
namespace report {

// The sourcing of a claim in one sentence, e.g. "1 independent origin
// (National Intelligence Service), relayed by 1 outlet (straitstimes.com);
// chain depth 2; single source."
std::string SourcingLine(const v1::ClaimAudit& claim);

// Each party's position: "North Korea: not confirmed; Russia: not
// confirmed"; "none recorded" without stances.
std::string StancesLine(const v1::ClaimAudit& claim);

// ClaimAudit.first_confirmation and first_denial as (label, line) pairs,
// in report order: ("Time to first confirmation by a party", "Russia, 36
// days 3 hours after ..." or "no party has confirmed"), then the same for
// denial. The labels say "by a party" because both count parties' stances
// only: a claim can be confirmed by a verdict that no party has made, and a
// bare "Time to first confirmation: not confirmed" next to "State:
// confirmed" read as a contradiction.
std::vector<std::pair<std::string, std::string>> FirstStanceEntries(
    const v1::ClaimAudit& claim);

// "North Korea, 11 days after the claim was recorded (recorded
// 2025-04-01T00:00:00Z; asserted 10 days after the claim was first
// asserted)"; a stance asserted earlier than the claim is "... asserted 30
// days before the claim was first asserted". `none` (e.g. "no party has
// confirmed") when unset.
std::string FirstStanceLine(const v1::FirstStance& first,
                            const std::string& none);

// Credibility and reliability grades: "credibility 2, 3; reliability:
// National Intelligence Service B"; "none given".
std::string GradesLine(const v1::ClaimAudit& claim);

// Anonymous hops with their reasons: "a2 hop 1, an official (reason: not
// authorized to speak)"; "none".
std::string AnonymousHopsLine(const v1::ClaimAudit& claim);

// The verdict: "false (\"Pants on fire\"), https://..."; "none".
std::string VerdictLine(const v1::ClaimAudit& claim);

// A duration in words, to the largest two units: "11 days 4 hours",
// "45 minutes", "0 seconds". Negative durations get a leading "-".
std::string DurationWords(const google::protobuf::Duration& duration);

// "A" .. "F" for a reliability grade; "" when unspecified.
std::string ReliabilityLetter(v1::ReliabilityGrade grade);

// A share as a whole percentage: 0.4 -> "40%", 1/3 -> "33%".
std::string Percent(double share);

// "1 outlet" / "2 outlets".
std::string Count(int n, const std::string& singular,
                  const std::string& plural);

}  // namespace report
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_REPORT_REPORT_TEXT_H_
