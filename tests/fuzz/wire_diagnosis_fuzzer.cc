// Fuzz target: the wire-format diagnosis of requests the protobuf parser
// refuses (server/service/wire_diagnosis.h).
//
// Input: one selector byte (the request type, numbered as in
// validation_fuzzer.cc, so the two share seeds), then bytes to parse as that
// type. Properties:
//   - FindWireFormatError finds a problem exactly when the generated parser
//     refuses the bytes (the diagnosis never blames good bytes, and never
//     misses a refusal);
//   - a refusal is explained as INVALID_ARGUMENT "<path>: ..." (a field path
//     or "request");
//   - ParseMessageBytes agrees with the parser and, on success, yields the
//     same message.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/stubs/logging.h"
#include "proto/claimtrail/v1/service.pb.h"
#include "server/service/wire_diagnosis.h"
#include "tests/fuzz/fuzz_check.h"

namespace claimtrail {
namespace {

const google::protobuf::Message* const kPrototypes[] = {
    &v1::CreateSourceRequest::default_instance(),
    &v1::UpdateSourceRequest::default_instance(),
    &v1::GetSourceRequest::default_instance(),
    &v1::ListSourcesRequest::default_instance(),
    &v1::CreateClaimRequest::default_instance(),
    &v1::GetClaimRequest::default_instance(),
    &v1::ListClaimsRequest::default_instance(),
    &v1::UpdateClaimRequest::default_instance(),
    &v1::AddAttributionRequest::default_instance(),
    &v1::ReviseFigureRequest::default_instance(),
    &v1::RecordStanceRequest::default_instance(),
    &v1::RecordVerdictRequest::default_instance(),
    &v1::AddAppearanceRequest::default_instance(),
    &v1::LinkClaimsRequest::default_instance(),
    &v1::MergeClaimsRequest::default_instance(),
    &v1::RetractClaimRequest::default_instance(),
    &v1::RedactEventRequest::default_instance(),
    &v1::ListClaimEventsRequest::default_instance(),
    &v1::DiffClaimRequest::default_instance(),
    &v1::SearchClaimsRequest::default_instance(),
    &v1::WatchClaimsRequest::default_instance(),
};
constexpr size_t kPrototypeCount = sizeof(kPrototypes) / sizeof(kPrototypes[0]);

void Check(const google::protobuf::Message& prototype, absl::string_view bytes) {
  const std::string type = prototype.GetTypeName();
  std::unique_ptr<google::protobuf::Message> parsed(prototype.New());
  const bool parser_ok = parsed->ParseFromArray(bytes.data(),
                                                static_cast<int>(bytes.size()));
  const absl::Status found =
      service::FindWireFormatError(bytes, *prototype.GetDescriptor());
  FUZZ_CHECK(found.ok() == parser_ok,
             "%s: the parser %s the bytes but FindWireFormatError says %s",
             type.c_str(), parser_ok ? "accepts" : "refuses",
             found.ToString().c_str());
  if (!parser_ok) {
    const absl::Status explained = service::ExplainParseFailure(bytes, prototype);
    FUZZ_CHECK(explained.code() == absl::StatusCode::kInvalidArgument,
               "%s: explained as %s", type.c_str(),
               explained.ToString().c_str());
    const size_t colon = explained.message().find(": ");
    FUZZ_CHECK(colon != absl::string_view::npos && colon > 0,
               "%s: no field path in %s", type.c_str(),
               std::string(explained.message()).c_str());
  }
  std::unique_ptr<google::protobuf::Message> out(prototype.New());
  const absl::Status via = service::ParseMessageBytes(bytes, out.get());
  FUZZ_CHECK(via.ok() == parser_ok, "%s: ParseMessageBytes says %s",
             type.c_str(), via.ToString().c_str());
  if (parser_ok) {
    FUZZ_CHECK(out->SerializeAsString() == parsed->SerializeAsString(),
               "%s: ParseMessageBytes parsed another message", type.c_str());
  }
}

}  // namespace
}  // namespace claimtrail

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  // The parser logs an ERROR line for every invalid UTF-8 string it meets.
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto& prototype =
      *claimtrail::kPrototypes[data[0] % claimtrail::kPrototypeCount];
  claimtrail::Check(prototype, absl::string_view(
                                   reinterpret_cast<const char*>(data + 1),
                                   size - 1));
  return 0;
}
