// W3C PROV-JSON export of claims' provenance
// (https://www.w3.org/Submission/prov-json/).
//
// Prefixes: "ct" (https://claimtrail.org/ns#) for claimtrail's types and
// attributes; "ctr" (https://claimtrail.org/resource/) for resources, so a
// claim is ctr:claims/{id} and a source ctr:sources/{id}.
//
// Records, per selected claim (as of the export's time):
//  entity  ctr:claims/{id}                      the claim (ct:Claim)
//  entity  ctr:claims/{id}/events/{n}           the claim after event n
//          (ct:ClaimRevision); specializationOf the claim; wasRevisionOf
//          (wasDerivedFrom with prov:type prov:Revision) revision n-1
//  entity  ctr:claims/{id}/chains/{chain}/{k}   hop k of a chain: the
//          statement as passed on by that source (ct:Statement);
//          wasAttributedTo the hop's source; hop k wasQuotedFrom
//          (prov:Quotation) hop k-1; the claim hadPrimarySource
//          (prov:PrimarySource) hop 1 and wasQuotedFrom the last hop; the
//          claim wasAttributedTo each primary source
//  entity  ctr:claims/{id}/figures/{figure}/{r} revision r of a figure,
//          prov:value its words; wasRevisionOf revision r-1; hadPrimarySource
//          and wasAttributedTo as a chain, from its own sources
//  entity  ctr:claims/{id}/stances/{k}         a party's stance
//          (ct:Stance), wasAttributedTo the party
//  agent   ctr:sources/{id}                     each source named, and its
//          affiliations (prov:Person for persons and officials, else
//          prov:Organization); actedOnBehalfOf its affiliation
//  activity ctr:claims/{id}/events/{n}/retraction, wasAssociatedWith the
//          principal who retracted (an agent ctr:users/...); the claim and
//          its revision before it wasInvalidatedBy it
// Chains are de-duplicated as in the audit (report/sourcing.h).
#ifndef CLAIMTRAIL_SERVER_CORE_INTERCHANGE_PROV_JSON_H_
#define CLAIMTRAIL_SERVER_CORE_INTERCHANGE_PROV_JSON_H_

#include <vector>

#include "server/core/interchange/export_result.h"
#include "server/core/report/selection.h"

namespace claimtrail {
namespace interchange {

// The PROV-JSON document for `claims`. Pure.
ExportResult ExportProvJson(const std::vector<report::SelectedClaim>& claims,
                            const report::SourceDirectory& sources);

}  // namespace interchange
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_INTERCHANGE_PROV_JSON_H_
