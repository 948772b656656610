// CreateSource and UpdateSource. Sources have no events: a source change is
// the new Source record (with a new etag) plus the request's idempotency
// record.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "server/core/as_of.h"
#include "server/core/idempotency.h"
#include "server/core/ledger_mutations.h"
#include "server/core/ledger_names.h"
#include "server/core/ledger_write_util.h"
#include "server/core/validation.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace core {
namespace {

constexpr size_t kMaxSourceIdLength = 63;
// Affiliation chains longer than this are refused rather than walked.
constexpr int kMaxAffiliationDepth = 64;

// The affiliation `affiliation` of source `id` must exist and must not lead
// back to `id`.
absl::Status CheckAffiliation(MutationContext& context, const std::string& id,
                              const std::string& affiliation) {
  if (affiliation.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::string next,
                   ParseSourceName("source.affiliation", affiliation));
  std::vector<std::string> chain = {SourceName(id)};
  for (int depth = 0; !next.empty(); ++depth) {
    chain.push_back(SourceName(next));
    if (next == id) {
      return absl::InvalidArgumentError(
          absl::StrCat("source.affiliation: would create a cycle (",
                       absl::StrJoin(chain, " -> "), ")"));
    }
    if (depth >= kMaxAffiliationDepth) {
      return absl::InvalidArgumentError(absl::StrCat(
          "source.affiliation: chain longer than ", kMaxAffiliationDepth));
    }
    ASSIGN_OR_RETURN(std::optional<v1::Source> source,
                     context.overlay->FindSource(next));
    if (!source.has_value()) {
      if (depth == 0) {
        return absl::NotFoundError(absl::StrCat(
            "source.affiliation: ", SourceName(next), " not found"));
      }
      break;  // A dangling link further up cannot close a cycle.
    }
    next.clear();
    if (!source->affiliation().empty()) {
      absl::StatusOr<std::string> parsed =
          ParseSourceName("source.affiliation", source->affiliation());
      if (parsed.ok()) next = *parsed;
    }
  }
  return absl::OkStatus();
}

// A free id for a source named `display_name`: its slug, or the slug with
// "-2", "-3", ... when taken.
absl::StatusOr<std::string> DeriveSourceId(MutationContext& context,
                                           const std::string& display_name) {
  const std::string slug = SlugFromDisplayName(display_name);
  for (int n = 1;; ++n) {
    std::string candidate = slug;
    if (n > 1) {
      const std::string suffix = absl::StrCat("-", n);
      candidate = SlugFromDisplayName(display_name,
                                      kMaxSourceIdLength - suffix.size()) +
                  suffix;
    }
    ASSIGN_OR_RETURN(std::optional<v1::Source> taken,
                     context.overlay->FindSource(candidate));
    if (!taken.has_value()) return candidate;
  }
}

void Stamp(MutationContext& context, v1::Source* source) {
  *source->mutable_update_time() = ToProtoTime(context.now);
  source->set_etag(SourceEtag(*source));
}

}  // namespace

absl::StatusOr<v1::Source> ApplyCreateSource(const v1::CreateSourceRequest& req,
                                             MutationContext& context) {
  v1::Source source = req.source();
  std::string id = req.source_id();
  if (!id.empty()) {
    ASSIGN_OR_RETURN(std::optional<v1::Source> taken,
                     context.overlay->FindSource(id));
    if (taken.has_value()) {
      return absl::AlreadyExistsError(
          absl::StrCat("source_id: ", SourceName(id), " already exists (",
                       taken->display_name(), ")"));
    }
  } else {
    ASSIGN_OR_RETURN(id, DeriveSourceId(context, source.display_name()));
  }
  RETURN_IF_ERROR(CheckAffiliation(context, id, source.affiliation()));
  source.set_name(SourceName(id));
  *source.mutable_create_time() = ToProtoTime(context.now);
  Stamp(context, &source);
  context.overlay->PutSource(id, source);
  return source;
}

absl::StatusOr<v1::Source> ApplyUpdateSource(const v1::UpdateSourceRequest& req,
                                             MutationContext& context) {
  ASSIGN_OR_RETURN(std::string id,
                   ParseSourceName("source.name", req.source().name()));
  ASSIGN_OR_RETURN(std::optional<v1::Source> current,
                   context.overlay->FindSource(id));
  if (!current.has_value()) {
    return absl::NotFoundError(absl::StrCat(SourceName(id), " not found"));
  }
  const absl::string_view etag = EtagToCheck(req.etag(), req.source().etag());
  if (!etag.empty() && etag != current->etag()) {
    return absl::AbortedError(
        absl::StrCat("etag: ", SourceName(id),
                     " has changed since it was read; read it again and "
                     "retry"));
  }
  const v1::Source& in = req.source();
  v1::Source source = *std::move(current);
  for (const std::string& path : req.update_mask().paths()) {
    if (path == "display_name") {
      source.set_display_name(in.display_name());
    } else if (path == "kind") {
      source.set_kind(in.kind());
    } else if (path == "aliases") {
      *source.mutable_aliases() = in.aliases();
    } else if (path == "affiliation") {
      RETURN_IF_ERROR(CheckAffiliation(context, id, in.affiliation()));
      source.set_affiliation(in.affiliation());
    } else if (path == "reliability") {
      source.set_reliability(in.reliability());
    } else if (path == "country") {
      source.set_country(in.country());
    } else if (path == "url") {
      source.set_url(in.url());
    } else if (path == "description") {
      source.set_description(in.description());
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "update_mask: cannot update \"", path, "\" of a source"));
    }
  }
  Stamp(context, &source);
  context.overlay->PutSource(id, source);
  return source;
}

}  // namespace core
}  // namespace claimtrail
