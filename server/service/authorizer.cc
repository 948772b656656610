#include "server/service/authorizer.h"

#include <string>

namespace claimtrail {
namespace service {

absl::string_view RpcMethodName(RpcMethod method) {
  switch (method) {
    case RpcMethod::kGetServerInfo:
      return "GetServerInfo";
    case RpcMethod::kCreateSource:
      return "CreateSource";
    case RpcMethod::kGetSource:
      return "GetSource";
    case RpcMethod::kListSources:
      return "ListSources";
    case RpcMethod::kUpdateSource:
      return "UpdateSource";
    case RpcMethod::kCreateClaim:
      return "CreateClaim";
    case RpcMethod::kGetClaim:
      return "GetClaim";
    case RpcMethod::kListClaims:
      return "ListClaims";
    case RpcMethod::kUpdateClaim:
      return "UpdateClaim";
    case RpcMethod::kAddAttribution:
      return "AddAttribution";
    case RpcMethod::kReviseFigure:
      return "ReviseFigure";
    case RpcMethod::kRecordStance:
      return "RecordStance";
    case RpcMethod::kRecordVerdict:
      return "RecordVerdict";
    case RpcMethod::kAddAppearance:
      return "AddAppearance";
    case RpcMethod::kLinkClaims:
      return "LinkClaims";
    case RpcMethod::kMergeClaims:
      return "MergeClaims";
    case RpcMethod::kRetractClaim:
      return "RetractClaim";
    case RpcMethod::kRedactEvent:
      return "RedactEvent";
    case RpcMethod::kListClaimEvents:
      return "ListClaimEvents";
    case RpcMethod::kDiffClaim:
      return "DiffClaim";
    case RpcMethod::kSearchClaims:
      return "SearchClaims";
    case RpcMethod::kWatchClaims:
      return "WatchClaims";
  }
  return "Unknown";
}

bool IsMutation(RpcMethod method) {
  switch (method) {
    case RpcMethod::kCreateSource:
    case RpcMethod::kUpdateSource:
    case RpcMethod::kCreateClaim:
    case RpcMethod::kUpdateClaim:
    case RpcMethod::kAddAttribution:
    case RpcMethod::kReviseFigure:
    case RpcMethod::kRecordStance:
    case RpcMethod::kRecordVerdict:
    case RpcMethod::kAddAppearance:
    case RpcMethod::kLinkClaims:
    case RpcMethod::kMergeClaims:
    case RpcMethod::kRetractClaim:
    case RpcMethod::kRedactEvent:
      return true;
    case RpcMethod::kGetServerInfo:
    case RpcMethod::kGetSource:
    case RpcMethod::kListSources:
    case RpcMethod::kGetClaim:
    case RpcMethod::kListClaims:
    case RpcMethod::kListClaimEvents:
    case RpcMethod::kDiffClaim:
    case RpcMethod::kSearchClaims:
    case RpcMethod::kWatchClaims:
      return false;
  }
  return false;
}

absl::StatusOr<core::Principal> AllowAllAuthorizer::Authorize(
    const grpc::CallbackServerContext& ctx, RpcMethod method) {
  return core::Principal{std::string(kPrincipalName)};
}

}  // namespace service
}  // namespace claimtrail
