#include "server/core/interchange/import_plan.h"

#include "absl/numeric/int128.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "server/core/interchange/rating_table.h"
#include "server/core/validation.h"

namespace claimtrail {
namespace interchange {
namespace {

constexpr size_t kMaxIdBytes = 63;

std::string DeterministicBytes(const google::protobuf::Message& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return bytes;
}

}  // namespace

std::string Fnv1a128Hex(absl::string_view bytes) {
  // FNV-1a, 128 bits: offset basis and prime from the FNV specification.
  absl::uint128 hash = absl::MakeUint128(0x6c62272e07bb0142ULL,
                                         0x62b821756295c58dULL);
  const absl::uint128 prime = absl::MakeUint128(0x0000000001000000ULL,
                                                0x000000000000013BULL);
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= prime;
  }
  return absl::StrFormat("%016x%016x", absl::Uint128High64(hash),
                         absl::Uint128Low64(hash));
}

std::string ContentRequestId(const google::protobuf::Message& request) {
  return absl::StrCat("import-", Fnv1a128Hex(DeterministicBytes(request)));
}

std::string SourceIdFromName(absl::string_view display_name) {
  std::string id;
  for (char c : display_name) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (absl::ascii_isalnum(u)) {
      id.push_back(absl::ascii_tolower(u));
    } else if (!id.empty() && id.back() != '-') {
      id.push_back('-');
    }
  }
  while (!id.empty() && id.back() == '-') id.pop_back();
  while (!id.empty() && !absl::ascii_isalpha(id.front())) id.erase(0, 1);
  if (id.empty()) {
    return absl::StrCat("source-", Fnv1a128Hex(display_name).substr(0, 16));
  }
  if (id.size() > kMaxIdBytes) {
    // Keep the ids of long names apart: a prefix and a hash of the whole.
    id = absl::StrCat(id.substr(0, kMaxIdBytes - 17), "-",
                      Fnv1a128Hex(display_name).substr(0, 16));
  }
  return id;
}

std::string ClaimIdFromText(absl::string_view text) {
  return absl::StrCat("import-", Fnv1a128Hex(text).substr(0, 16));
}

std::string PlanSource(absl::string_view display_name, v1::SourceKind kind,
                       const ImportOptions& options, ImportPlan* plan) {
  if (options.find_source) {
    std::optional<std::string> found = options.find_source(display_name);
    if (found.has_value()) return *found;
  }
  for (const v1::CreateSourceRequest& planned : plan->sources) {
    if (planned.source().display_name() == display_name) {
      return absl::StrCat("sources/", planned.source_id());
    }
  }
  std::string id = SourceIdFromName(display_name);
  // Two different names with one slug ("A.B" and "A B"): the later one gets
  // a hash suffix.
  for (const v1::CreateSourceRequest& planned : plan->sources) {
    if (planned.source_id() == id) {
      id = absl::StrCat(id.substr(0, kMaxIdBytes - 17), "-",
                        Fnv1a128Hex(display_name).substr(0, 16));
      break;
    }
  }
  v1::CreateSourceRequest request;
  request.set_source_id(id);
  request.mutable_source()->set_display_name(std::string(display_name));
  request.mutable_source()->set_kind(kind);
  plan->sources.push_back(std::move(request));
  return absl::StrCat("sources/", id);
}

bool AcceptItem(PlannedClaim claim, size_t sources_before, ImportPlan* plan) {
  absl::Status status;
  for (size_t i = sources_before; i < plan->sources.size() && status.ok();
       ++i) {
    v1::CreateSourceRequest& request = plan->sources[i];
    request.clear_request_id();
    request.set_request_id(ContentRequestId(request));
    status = core::Validate(request);
    if (!status.ok()) {
      status = absl::InvalidArgumentError(
          absl::StrCat("source \"", request.source().display_name(), "\": ",
                       status.message()));
    }
  }
  if (status.ok() && claim.create.has_value()) {
    claim.create->clear_request_id();
    claim.create->set_request_id(ContentRequestId(*claim.create));
    status = core::Validate(*claim.create);
  }
  if (status.ok() && claim.verdict.has_value()) {
    claim.verdict->set_claim(claim.claim);
    claim.verdict->clear_request_id();
    claim.verdict->set_request_id(ContentRequestId(*claim.verdict));
    status = core::Validate(*claim.verdict);
  }
  if (!status.ok()) {
    plan->sources.resize(sources_before);
    plan->errors.push_back(
        ItemError(claim.item, claim.line, "", status.message()));
    return false;
  }
  plan->claims.push_back(std::move(claim));
  return true;
}

namespace {

// The rating's words: the verdict's own, else the canonical name (which an
// export writes and an import drops again).
std::string RatingWords(const v1::Verdict& verdict) {
  return verdict.rating_text().empty() ? CanonicalRatingName(verdict.rating())
                                       : verdict.rating_text();
}

}  // namespace

bool SameVerdict(const v1::Verdict& a, const v1::Verdict& b) {
  return a.rating() == b.rating() && RatingWords(a) == RatingWords(b) &&
         a.review_url() == b.review_url();
}

void DropVerdictAlreadyRecorded(const ImportOptions& options,
                                PlannedClaim* claim) {
  if (!claim->verdict.has_value() || !options.find_verdict) return;
  std::optional<v1::Verdict> recorded = options.find_verdict(claim->claim);
  if (recorded.has_value() &&
      SameVerdict(*recorded, claim->verdict->verdict())) {
    claim->verdict.reset();
  }
}

v1::ImportError ItemError(int item, int line, absl::string_view field,
                          absl::string_view message) {
  v1::ImportError error;
  error.set_item(item);
  error.set_line(line);
  error.set_field(std::string(field));
  error.set_message(std::string(message));
  return error;
}

}  // namespace interchange
}  // namespace claimtrail
