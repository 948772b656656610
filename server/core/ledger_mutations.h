// The Ledger's mutations, one function per mutating method. Each runs on the
// committer thread after the request passed Validate(), checks what needs
// stored state, stages its writes in context.overlay and returns the
// response. On error nothing it staged is kept (the caller discards it).
// Errors are those of the matching Ledger method (see ledger.h and the
// write policy in ledger.cc).
#ifndef CLAIMTRAIL_SERVER_CORE_LEDGER_MUTATIONS_H_
#define CLAIMTRAIL_SERVER_CORE_LEDGER_MUTATIONS_H_

#include "absl/status/statusor.h"
#include "proto/claimtrail/v1/resources.pb.h"
#include "proto/claimtrail/v1/service.pb.h"
#include "server/core/ledger_mutation_context.h"

namespace claimtrail {
namespace core {

// ledger_source_writes.cc
absl::StatusOr<v1::Source> ApplyCreateSource(const v1::CreateSourceRequest& req,
                                             MutationContext& context);
absl::StatusOr<v1::Source> ApplyUpdateSource(const v1::UpdateSourceRequest& req,
                                             MutationContext& context);

// ledger_claim_writes.cc
absl::StatusOr<v1::Claim> ApplyCreateClaim(const v1::CreateClaimRequest& req,
                                           MutationContext& context);
absl::StatusOr<v1::Claim> ApplyUpdateClaim(const v1::UpdateClaimRequest& req,
                                           MutationContext& context);
absl::StatusOr<v1::Claim> ApplyAddAttribution(
    const v1::AddAttributionRequest& req, MutationContext& context);
absl::StatusOr<v1::Claim> ApplyReviseFigure(const v1::ReviseFigureRequest& req,
                                            MutationContext& context);
absl::StatusOr<v1::Claim> ApplyRecordStance(const v1::RecordStanceRequest& req,
                                            MutationContext& context);
absl::StatusOr<v1::Claim> ApplyRecordVerdict(
    const v1::RecordVerdictRequest& req, MutationContext& context);
absl::StatusOr<v1::Claim> ApplyAddAppearance(
    const v1::AddAppearanceRequest& req, MutationContext& context);
absl::StatusOr<v1::Claim> ApplyRetractClaim(const v1::RetractClaimRequest& req,
                                            MutationContext& context);

// ledger_link_writes.cc
absl::StatusOr<v1::Claim> ApplyLinkClaims(const v1::LinkClaimsRequest& req,
                                          MutationContext& context);
absl::StatusOr<v1::Claim> ApplyMergeClaims(const v1::MergeClaimsRequest& req,
                                           MutationContext& context);
absl::StatusOr<v1::Event> ApplyRedactEvent(const v1::RedactEventRequest& req,
                                           MutationContext& context);

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_LEDGER_MUTATIONS_H_
