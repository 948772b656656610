#include "client/cli/write_flags.h"

#include "absl/strings/str_cat.h"
#include "client/cli/parse.h"

namespace claimtrail {
namespace cli {

std::vector<FlagSpec> RequestIdFlags() {
  return {{"request-id", "ID",
           "Idempotency key (default: a fresh UUID). Repeating a request with "
           "the same id applies it at most once."}};
}

std::vector<FlagSpec> CreateContextFlags() {
  return Concat(
      RequestIdFlags(),
      {{"note", "TEXT", "Why the change is made (kept in the history)."},
       {"asserted", "TIME",
        "When the source asserted it (RFC 3339 or YYYY-MM-DD)."},
       {"valid-from", "TIME", "Start of the valid time of the change."},
       {"valid-to", "TIME", "End of the valid time of the change."}});
}

std::vector<FlagSpec> ChangeFlags() {
  return Concat(CreateContextFlags(),
                {{"etag", "ETAG",
                  "Apply only if the claim is still at this version (from "
                  "'show'); a stale etag fails with ABORTED."}});
}

std::vector<FlagSpec> Concat(std::vector<FlagSpec> base,
                             const std::vector<FlagSpec>& extra) {
  base.insert(base.end(), extra.begin(), extra.end());
  return base;
}

absl::Status FillChangeContext(const ParsedArgs& args,
                               v1::ChangeContext& context) {
  if (auto note = args.Get("note")) context.set_note(*note);
  if (auto asserted = args.Get("asserted")) {
    absl::StatusOr<google::protobuf::Timestamp> time =
        ParseTimestamp("--asserted", *asserted);
    if (!time.ok()) return time.status();
    *context.mutable_asserted_time() = *time;
  }
  if (auto from = args.Get("valid-from")) {
    absl::StatusOr<google::protobuf::Timestamp> time =
        ParseTimestamp("--valid-from", *from);
    if (!time.ok()) return time.status();
    *context.mutable_valid_time()->mutable_start_time() = *time;
  }
  if (auto to = args.Get("valid-to")) {
    absl::StatusOr<google::protobuf::Timestamp> time =
        ParseTimestamp("--valid-to", *to);
    if (!time.ok()) return time.status();
    *context.mutable_valid_time()->mutable_end_time() = *time;
  }
  return absl::OkStatus();
}

std::vector<FlagSpec> AppearanceFlags(absl::string_view what) {
  const std::string of = absl::StrCat(" of ", what, ".");
  return {{"url", "URL", "Address (http or https)" + of},
          {"outlet", "OUTLET",
           "Publishing outlet in words, e.g. straitstimes.com."},
          {"published", "TIME", "Publish time (RFC 3339 or YYYY-MM-DD)" + of},
          {"quote", "TEXT", "The quoted sentence(s), verbatim."},
          {"title", "TEXT", "Title" + of}};
}

absl::StatusOr<bool> FillAppearance(const ParsedArgs& args,
                                    v1::Appearance& appearance) {
  if (auto url = args.Get("url")) appearance.set_url(*url);
  if (auto outlet = args.Get("outlet")) appearance.set_outlet(*outlet);
  if (auto quote = args.Get("quote")) appearance.set_quote(*quote);
  if (auto title = args.Get("title")) appearance.set_title(*title);
  bool any = args.Has("url") || args.Has("outlet") || args.Has("quote") ||
             args.Has("title") || args.Has("published");
  if (auto published = args.Get("published")) {
    absl::StatusOr<google::protobuf::Timestamp> time =
        ParseTimestamp("--published", *published);
    if (!time.ok()) return time.status();
    *appearance.mutable_publish_time() = *time;
  }
  return any;
}

std::vector<FlagSpec> PartsFlags() {
  return {
      {"subject", "TEXT", "Who or what the claim is about."},
      {"predicate", "TEXT", "The predicate in words, e.g. \"sent troops to\"."},
      {"object", "TEXT", "The object in words."},
      {"place", "TEXT", "Where, in words."},
      {"period-start", "TIME", "Start of the period the claim is about."},
      {"period-end", "TIME", "End of the period the claim is about."}};
}

bool HasPartsFlag(const ParsedArgs& args) {
  for (const FlagSpec& flag : PartsFlags()) {
    if (args.Has(flag.name)) return true;
  }
  return false;
}

absl::Status FillParts(const ParsedArgs& args, v1::ClaimParts& parts) {
  if (auto subject = args.Get("subject")) parts.set_subject(*subject);
  if (auto predicate = args.Get("predicate")) parts.set_predicate(*predicate);
  if (auto object = args.Get("object")) parts.set_object(*object);
  if (auto place = args.Get("place")) parts.set_place(*place);
  if (auto start = args.Get("period-start")) {
    absl::StatusOr<google::protobuf::Timestamp> time =
        ParseTimestamp("--period-start", *start);
    if (!time.ok()) return time.status();
    *parts.mutable_period()->mutable_start_time() = *time;
  }
  if (auto end = args.Get("period-end")) {
    absl::StatusOr<google::protobuf::Timestamp> time =
        ParseTimestamp("--period-end", *end);
    if (!time.ok()) return time.status();
    *parts.mutable_period()->mutable_end_time() = *time;
  }
  return absl::OkStatus();
}

std::string RequestIdFor(const ParsedArgs& args, CommandEnv& env) {
  std::string id = args.GetOr("request-id", "");
  if (id.empty()) id = client::NewRequestId();
  env.set_request_id(id);
  return id;
}

}  // namespace cli
}  // namespace claimtrail
