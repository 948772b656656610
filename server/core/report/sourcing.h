// The sourcing side of a claim audit: attribution chains, independent
// origins versus echoes, relays, anonymous hops and grades. Pure.
#ifndef CLAIMTRAIL_SERVER_CORE_REPORT_SOURCING_H_
#define CLAIMTRAIL_SERVER_CORE_REPORT_SOURCING_H_

#include <string>

#include "google/protobuf/repeated_field.h"
#include "proto/claimtrail/v1/report.pb.h"
#include "proto/claimtrail/v1/resources.pb.h"
#include "server/core/report/selection.h"

namespace claimtrail {
namespace report {

// Fills the sourcing fields of `audit` (chains, independent_origins,
// origins, relay_count, echo_count, max_chain_depth, anonymous_hops,
// single_source, anonymous_only, unsourced, credibility_grades) from the
// claim's attributions and its figures' current sources. The origin rule is
// documented on OriginAudit in report.proto.
void AuditSourcing(const v1::Claim& claim, const SourceDirectory& sources,
                   v1::ClaimAudit* audit);

// A chain in words with display names, primary first:
// "National Intelligence Service (said) -> straitstimes.com (reported)";
// anonymous hops as "(said, anonymous)".
std::string DescribeChain(
    const google::protobuf::RepeatedPtrField<v1::AttributionHop>& hops,
    const SourceDirectory& sources);

// Whether a hop counts as anonymous: marked so, or its source is of kind
// ANONYMOUS.
bool IsAnonymous(const v1::AttributionHop& hop, const SourceDirectory& sources);

}  // namespace report
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_REPORT_SOURCING_H_
