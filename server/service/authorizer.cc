#include "server/service/authorizer.h"

#include <grpcpp/server_context.h>

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace claimtrail {
namespace service {
namespace {

constexpr absl::string_view kClaimTrailService = "claimtrail.v1.ClaimTrail";
constexpr absl::string_view kAdminService = "claimtrail.v1.Admin";
constexpr absl::string_view kReportsService = "claimtrail.v1.Reports";
// Status payload type URL of the retry delay (decimal milliseconds).
constexpr absl::string_view kRetryAfterPayload =
    "type.claimtrail.dev/claimtrail.RetryAfterMs";

constexpr RpcMethod kAllRpcMethods[] = {
    RpcMethod::kGetServerInfo,  RpcMethod::kCreateSource,
    RpcMethod::kGetSource,      RpcMethod::kListSources,
    RpcMethod::kUpdateSource,   RpcMethod::kCreateClaim,
    RpcMethod::kGetClaim,       RpcMethod::kListClaims,
    RpcMethod::kUpdateClaim,    RpcMethod::kAddAttribution,
    RpcMethod::kReviseFigure,   RpcMethod::kRecordStance,
    RpcMethod::kRecordVerdict,  RpcMethod::kAddAppearance,
    RpcMethod::kLinkClaims,     RpcMethod::kMergeClaims,
    RpcMethod::kRetractClaim,   RpcMethod::kRedactEvent,
    RpcMethod::kListClaimEvents, RpcMethod::kDiffClaim,
    RpcMethod::kSearchClaims,   RpcMethod::kWatchClaims,
    RpcMethod::kCreateToken,    RpcMethod::kGetToken,
    RpcMethod::kListTokens,     RpcMethod::kRevokeToken,
    RpcMethod::kAuditReport,    RpcMethod::kExportClaims,
    RpcMethod::kImportClaims,
};

}  // namespace

absl::Span<const RpcMethod> AllRpcMethods() { return kAllRpcMethods; }

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
    case RpcMethod::kCreateToken:
      return "CreateToken";
    case RpcMethod::kGetToken:
      return "GetToken";
    case RpcMethod::kListTokens:
      return "ListTokens";
    case RpcMethod::kRevokeToken:
      return "RevokeToken";
    case RpcMethod::kAuditReport:
      return "AuditReport";
    case RpcMethod::kExportClaims:
      return "ExportClaims";
    case RpcMethod::kImportClaims:
      return "ImportClaims";
  }
  return "Unknown";
}

absl::string_view RpcServiceName(RpcMethod method) {
  switch (method) {
    case RpcMethod::kCreateToken:
    case RpcMethod::kGetToken:
    case RpcMethod::kListTokens:
    case RpcMethod::kRevokeToken:
      return kAdminService;
    case RpcMethod::kAuditReport:
    case RpcMethod::kExportClaims:
    case RpcMethod::kImportClaims:
      return kReportsService;
    default:
      return kClaimTrailService;
  }
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
    case RpcMethod::kImportClaims:
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
    case RpcMethod::kCreateToken:
    case RpcMethod::kGetToken:
    case RpcMethod::kListTokens:
    case RpcMethod::kRevokeToken:
    case RpcMethod::kAuditReport:
    case RpcMethod::kExportClaims:
      return false;
  }
  return false;
}

v1::Role RequiredRole(RpcMethod method) {
  switch (method) {
    // Reads and the change feed.
    case RpcMethod::kGetServerInfo:
    case RpcMethod::kGetSource:
    case RpcMethod::kListSources:
    case RpcMethod::kGetClaim:
    case RpcMethod::kListClaims:
    case RpcMethod::kListClaimEvents:
    case RpcMethod::kDiffClaim:
    case RpcMethod::kSearchClaims:
    case RpcMethod::kWatchClaims:
      return v1::ROLE_READER;
    // Creating and changing claims and sources.
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
      return v1::ROLE_EDITOR;
    // Sourcing audit reports and exports.
    case RpcMethod::kAuditReport:
    case RpcMethod::kExportClaims:
      return v1::ROLE_AUDITOR;
    // Removing recorded content, bulk imports, and access control.
    case RpcMethod::kImportClaims:
    case RpcMethod::kRedactEvent:
    case RpcMethod::kCreateToken:
    case RpcMethod::kGetToken:
    case RpcMethod::kListTokens:
    case RpcMethod::kRevokeToken:
      return v1::ROLE_ADMIN;
  }
  // Unreachable for a valid enum value; deny anything else to all but admin.
  return v1::ROLE_ADMIN;
}

absl::Status WithRetryAfter(absl::Status status, absl::Duration delay) {
  status.SetPayload(kRetryAfterPayload,
                    absl::Cord(absl::StrCat(absl::ToInt64Milliseconds(
                        absl::Ceil(delay, absl::Milliseconds(1))))));
  return status;
}

std::optional<absl::Duration> RetryAfter(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kRetryAfterPayload);
  int64_t millis = 0;
  if (!payload.has_value() ||
      !absl::SimpleAtoi(std::string(*payload), &millis)) {
    return std::nullopt;
  }
  return absl::Milliseconds(millis);
}

void AddRetryAfterMetadata(const absl::Status& status,
                           grpc::ServerContextBase* ctx) {
  if (std::optional<absl::Duration> delay = RetryAfter(status)) {
    ctx->AddTrailingMetadata(
        std::string(kRetryAfterMetadataKey),
        absl::StrCat(absl::ToInt64Milliseconds(*delay)));
  }
}

}  // namespace service
}  // namespace claimtrail
