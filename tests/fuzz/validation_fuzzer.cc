// Fuzz target: request validation (server/core/validation.h).
//
// Input: one selector byte, then a serialized request of the selected type
// (21 request types), or for the last selectors a raw resource name. Every
// Validate() must return OK or INVALID_ARGUMENT whose message starts with a
// field path ("path: ..."); name parsers likewise. Never a crash.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "proto/claimtrail/v1/service.pb.h"
#include "server/core/validation.h"
#include "tests/fuzz/fuzz_check.h"

namespace claimtrail {
namespace {

void CheckStatus(const absl::Status& status, const char* what) {
  FUZZ_CHECK(status.ok() || status.code() == absl::StatusCode::kInvalidArgument,
             "%s returned %s", what, status.ToString().c_str());
  if (!status.ok()) {
    const absl::string_view message = status.message();
    const size_t colon = message.find(": ");
    FUZZ_CHECK(colon != absl::string_view::npos && colon > 0,
               "%s: INVALID_ARGUMENT without a field path: %s", what,
               std::string(message).c_str());
  }
}

template <typename Request>
void ValidateBytes(const uint8_t* data, size_t size) {
  Request request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  CheckStatus(core::Validate(request), Request::descriptor()->name().c_str());
}

using Validator = void (*)(const uint8_t*, size_t);
const Validator kValidators[] = {
    ValidateBytes<v1::CreateSourceRequest>,
    ValidateBytes<v1::UpdateSourceRequest>,
    ValidateBytes<v1::GetSourceRequest>,
    ValidateBytes<v1::ListSourcesRequest>,
    ValidateBytes<v1::CreateClaimRequest>,
    ValidateBytes<v1::GetClaimRequest>,
    ValidateBytes<v1::ListClaimsRequest>,
    ValidateBytes<v1::UpdateClaimRequest>,
    ValidateBytes<v1::AddAttributionRequest>,
    ValidateBytes<v1::ReviseFigureRequest>,
    ValidateBytes<v1::RecordStanceRequest>,
    ValidateBytes<v1::RecordVerdictRequest>,
    ValidateBytes<v1::AddAppearanceRequest>,
    ValidateBytes<v1::LinkClaimsRequest>,
    ValidateBytes<v1::MergeClaimsRequest>,
    ValidateBytes<v1::RetractClaimRequest>,
    ValidateBytes<v1::RedactEventRequest>,
    ValidateBytes<v1::ListClaimEventsRequest>,
    ValidateBytes<v1::DiffClaimRequest>,
    ValidateBytes<v1::SearchClaimsRequest>,
    ValidateBytes<v1::WatchClaimsRequest>,
};
constexpr size_t kValidatorCount = sizeof(kValidators) / sizeof(kValidators[0]);

void ParseNames(absl::string_view name) {
  CheckStatus(core::ParseClaimName("name", name).status(), "ParseClaimName");
  CheckStatus(core::ParseSourceName("name", name).status(), "ParseSourceName");
  auto event = core::ParseEventName("name", name);
  CheckStatus(event.status(), "ParseEventName");
  if (event.ok()) {
    FUZZ_CHECK(event->second >= 1, "ParseEventName gave revision %lld",
               static_cast<long long>(event->second));
  }
}

}  // namespace
}  // namespace claimtrail

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t selector = data[0] % (claimtrail::kValidatorCount + 1);
  if (selector == claimtrail::kValidatorCount) {
    claimtrail::ParseNames(absl::string_view(
        reinterpret_cast<const char*>(data + 1), size - 1));
  } else {
    claimtrail::kValidators[selector](data + 1, size - 1);
  }
  return 0;
}
