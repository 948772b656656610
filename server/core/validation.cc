// Request validation. Each check names the field by its path in the request
// ("claim.figures[1].lower_bound") and says what is wrong and, where it
// helps, what would be right. Checks run in field order and stop at the first
// problem, so a client fixing errors one by one sees them in a stable order.
#include "server/core/validation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/generated_enum_reflection.h"
#include "google/protobuf/timestamp.pb.h"
#include "server/core/limits.h"
#include "server/core/render.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace core {
namespace {

using google::protobuf::RepeatedPtrField;
using google::protobuf::Timestamp;

// ---- Paths and errors.

std::string Field(absl::string_view parent, absl::string_view field) {
  if (parent.empty()) return std::string(field);
  return absl::StrCat(parent, ".", field);
}

std::string Index(absl::string_view path, int index) {
  return absl::StrCat(path, "[", index, "]");
}

absl::Status Invalid(absl::string_view path, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", what));
}

// A client-supplied value quoted for an error message: escaped, and cut short
// so that a huge value does not make a huge message.
std::string Quote(absl::string_view value) {
  constexpr size_t kMaxShown = 80;
  if (value.size() <= kMaxShown) {
    return absl::StrCat("\"", absl::CHexEscape(value), "\"");
  }
  return absl::StrCat("\"", absl::CHexEscape(value.substr(0, kMaxShown)),
                      "...\"");
}

// ---- Strings.

bool IsValidUtf8(absl::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  size_t i = 0;
  while (i < size) {
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length;
    uint32_t code_point;
    uint32_t smallest;  // Anything below is an overlong encoding.
    if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code_point = lead & 0x1F;
      smallest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code_point = lead & 0x0F;
      smallest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code_point = lead & 0x07;
      smallest = 0x10000;
    } else {
      return false;
    }
    if (size - i < length) return false;
    for (size_t k = 1; k < length; ++k) {
      const unsigned char next = bytes[i + k];
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    if (code_point < smallest || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

enum class Presence { kOptional, kRequired };

// UTF-8, at most `max_bytes`, and when required not empty or blank.
absl::Status CheckText(absl::string_view path, absl::string_view text,
                       size_t max_bytes, Presence presence) {
  if (!IsValidUtf8(text)) return Invalid(path, "must be valid UTF-8");
  if (presence == Presence::kRequired) {
    if (text.empty()) return Invalid(path, "required");
    if (absl::StripAsciiWhitespace(text).empty()) {
      return Invalid(path, "must not be blank");
    }
  }
  if (text.size() > max_bytes) {
    return Invalid(path, absl::StrCat("too long (", text.size(),
                                      " bytes; at most ", max_bytes, ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckCount(absl::string_view path, int count, int max) {
  if (count > max) {
    return Invalid(path,
                   absl::StrCat("too many (", count, "; at most ", max, ")"));
  }
  return absl::OkStatus();
}

// ---- Identifiers and resource names.

bool IsLowerAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Source ids: 1-63 characters of [a-z0-9-], starting with a letter.
bool IsSourceId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxIdBytes) return false;
  if (id[0] < 'a' || id[0] > 'z') return false;
  for (char c : id) {
    if (!IsLowerAlnum(c) && c != '-') return false;
  }
  return true;
}

// Claim ids: 1-63 characters of [a-z0-9-] (CreateClaimRequest.claim_id),
// not starting with '-'. Unlike source ids they may start with a digit, as
// the proto allows it and server-assigned ids may.
bool IsClaimId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxIdBytes) return false;
  if (!IsLowerAlnum(id[0])) return false;
  for (char c : id) {
    if (!IsLowerAlnum(c) && c != '-') return false;
  }
  return true;
}

// Figure ids: 1-63 characters of [a-z0-9-_].
bool IsFigureId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxIdBytes) return false;
  for (char c : id) {
    if (!IsLowerAlnum(c) && c != '-' && c != '_') return false;
  }
  return true;
}

constexpr char kClaimIdRule[] = "1-63 characters of [a-z0-9-]";
constexpr char kSourceIdRule[] =
    "1-63 characters of [a-z0-9-] starting with a letter";
constexpr char kFigureIdRule[] = "1-63 characters of [a-z0-9-_]";

absl::Status CheckOptionalSourceName(absl::string_view path,
                                     absl::string_view name) {
  if (name.empty()) return absl::OkStatus();
  return ParseSourceName(path, name).status();
}

absl::Status CheckOptionalClaimName(absl::string_view path,
                                    absl::string_view name) {
  if (name.empty()) return absl::OkStatus();
  return ParseClaimName(path, name).status();
}

absl::Status CheckFigureId(absl::string_view path, absl::string_view id,
                           Presence presence) {
  if (id.empty()) {
    return presence == Presence::kRequired ? Invalid(path, "required")
                                           : absl::OkStatus();
  }
  if (!IsFigureId(id)) {
    return Invalid(path, absl::StrCat("must be ", kFigureIdRule, ", got ",
                                      Quote(id)));
  }
  return absl::OkStatus();
}

// ---- Request bookkeeping fields.

absl::Status CheckRequestId(absl::string_view id) {
  constexpr char kPath[] = "request_id";
  if (id.empty()) {
    return Invalid(kPath, "required (1-128 characters of [A-Za-z0-9._:-])");
  }
  if (id.size() > kMaxRequestIdBytes) {
    return Invalid(kPath, absl::StrCat("too long (", id.size(),
                                       " bytes; at most ", kMaxRequestIdBytes,
                                       ")"));
  }
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' &&
        c != '_' && c != ':' && c != '-') {
      return Invalid(kPath, absl::StrCat("must be characters of "
                                         "[A-Za-z0-9._:-], got ",
                                         Quote(id)));
    }
  }
  return absl::OkStatus();
}

// Empty (no check) or what the server hands out as an etag. Anything else
// cannot equal any resource's etag, so it is the client's mistake and
// INVALID_ARGUMENT: answered ABORTED ("has changed since it was read"), a
// client would re-read, retry with the same string and loop forever.
absl::Status CheckEtag(absl::string_view path, absl::string_view etag) {
  if (etag.empty()) return absl::OkStatus();
  const auto lower_hex = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  };
  if (etag.size() != kEtagHexDigits ||
      !std::all_of(etag.begin(), etag.end(), lower_hex)) {
    return Invalid(path,
                   absl::StrCat("not an etag of claimtrail (", kEtagHexDigits,
                                " lowercase hex digits, as read from a "
                                "resource's etag field; got ",
                                Quote(etag), ")"));
  }
  return absl::OkStatus();
}

// The request's etag and the resource's own (`resource_path`, e.g.
// "claim.etag"): AIP-154 clients pass a read resource back with its etag,
// others set the request field. Both are checked alike; when both are given
// they must agree, as there is no telling which one the client meant.
absl::Status CheckEtags(absl::string_view request_etag,
                        absl::string_view resource_path,
                        absl::string_view resource_etag) {
  RETURN_IF_ERROR(CheckEtag("etag", request_etag));
  RETURN_IF_ERROR(CheckEtag(resource_path, resource_etag));
  if (!request_etag.empty() && !resource_etag.empty() &&
      request_etag != resource_etag) {
    return Invalid(resource_path,
                   absl::StrCat("differs from etag (", Quote(resource_etag),
                                " vs ", Quote(request_etag),
                                "); give one of them, or the same in both"));
  }
  return absl::OkStatus();
}

absl::Status CheckPaging(int32_t page_size, absl::string_view page_token) {
  if (page_size < 0 || page_size > kMaxPageSize) {
    return Invalid("page_size", absl::StrCat("must be 0 (default) to ",
                                             kMaxPageSize, ", got ",
                                             page_size));
  }
  return CheckText("page_token", page_token, kMaxPageTokenBytes,
                   Presence::kOptional);
}

// ---- Enums.

// A value the enum defines; with kRequired, not the zero (UNSPECIFIED) one.
template <typename Enum>
absl::Status CheckEnum(absl::string_view path, int value, Presence presence) {
  const google::protobuf::EnumDescriptor* type =
      google::protobuf::GetEnumDescriptor<Enum>();
  if (type->FindValueByNumber(value) == nullptr) {
    return Invalid(path, absl::StrCat("unknown ", type->name(), " value ",
                                      value));
  }
  if (presence == Presence::kRequired && value == 0) {
    return Invalid(path, "required");
  }
  return absl::OkStatus();
}

// ---- Times.

absl::Time ToTime(const Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) +
         absl::Nanoseconds(timestamp.nanos());
}

absl::Status CheckTimestamp(absl::string_view path,
                            const Timestamp& timestamp) {
  if (timestamp.seconds() < kMinTimestampSeconds ||
      timestamp.seconds() > kMaxTimestampSeconds) {
    return Invalid(Field(path, "seconds"),
                   "must be between 0001-01-01T00:00:00Z and "
                   "9999-12-31T23:59:59Z");
  }
  if (timestamp.nanos() < 0 || timestamp.nanos() > 999999999) {
    return Invalid(Field(path, "nanos"), "must be 0 to 999999999");
  }
  return absl::OkStatus();
}

absl::Status CheckOptionalTimestamp(absl::string_view path, bool present,
                                    const Timestamp& timestamp) {
  return present ? CheckTimestamp(path, timestamp) : absl::OkStatus();
}

// A time something already happened (asserted, published): valid, and not
// in the future beyond clock skew.
absl::Status CheckAssertedTime(absl::string_view path, bool present,
                               const Timestamp& timestamp, absl::Time now) {
  if (!present) return absl::OkStatus();
  RETURN_IF_ERROR(CheckTimestamp(path, timestamp));
  if (ToTime(timestamp) > now + kMaxClockSkew) {
    return Invalid(path, "must not be in the future");
  }
  return absl::OkStatus();
}

// `earlier` must not be after `later` when both are given.
absl::Status CheckOrder(absl::string_view earlier_path, bool has_earlier,
                        const Timestamp& earlier, absl::string_view later_path,
                        bool has_later, const Timestamp& later) {
  RETURN_IF_ERROR(CheckOptionalTimestamp(earlier_path, has_earlier, earlier));
  RETURN_IF_ERROR(CheckOptionalTimestamp(later_path, has_later, later));
  if (has_earlier && has_later && ToTime(later) < ToTime(earlier)) {
    return Invalid(later_path,
                   absl::StrCat("must not be before ", earlier_path));
  }
  return absl::OkStatus();
}

absl::Status CheckInterval(absl::string_view path,
                           const v1::TimeInterval& interval) {
  return CheckOrder(Field(path, "start_time"), interval.has_start_time(),
                    interval.start_time(), Field(path, "end_time"),
                    interval.has_end_time(), interval.end_time());
}

// ---- URLs.

// An http or https URL with a host, no spaces or control characters.
absl::Status CheckUrl(absl::string_view path, absl::string_view url,
                      Presence presence) {
  RETURN_IF_ERROR(CheckText(path, url, kMaxUrlBytes, presence));
  if (url.empty()) return absl::OkStatus();
  for (char c : url) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) {
      return Invalid(path, "must not contain spaces or control characters");
    }
  }
  const size_t scheme_end = url.find("://");
  const std::string scheme =
      scheme_end == absl::string_view::npos
          ? ""
          : absl::AsciiStrToLower(url.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") {
    return Invalid(path, absl::StrCat("must be an http or https URL, got ",
                                      Quote(url)));
  }
  absl::string_view authority = url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  const size_t at = authority.rfind('@');
  if (at != absl::string_view::npos) authority.remove_prefix(at + 1);
  absl::string_view host = authority;
  absl::string_view port;
  if (!host.empty() && host[0] == '[') {  // IPv6 literal.
    const size_t close = host.find(']');
    if (close == absl::string_view::npos) {
      return Invalid(path, "has an unterminated IPv6 host");
    }
    port = host.substr(close + 1);
    host = host.substr(0, close + 1);
    if (!port.empty() && !absl::ConsumePrefix(&port, ":")) {
      return Invalid(path, "has a malformed host");
    }
  } else {
    const size_t colon = host.find(':');
    if (colon != absl::string_view::npos) {
      port = host.substr(colon + 1);
      host = host.substr(0, colon);
    }
  }
  if (host.empty()) return Invalid(path, "must have a host");
  for (char c : port) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return Invalid(path, "has a malformed port");
    }
  }
  return absl::OkStatus();
}

// ---- Resource parts.

absl::Status CheckAppearance(absl::string_view path, const v1::Appearance& a,
                             Presence url) {
  RETURN_IF_ERROR(CheckUrl(Field(path, "url"), a.url(), url));
  RETURN_IF_ERROR(CheckText(Field(path, "outlet"), a.outlet(),
                            kMaxShortStringBytes, Presence::kOptional));
  RETURN_IF_ERROR(
      CheckOptionalSourceName(Field(path, "outlet_source"), a.outlet_source()));
  // Where a claim was seen has been published already.
  RETURN_IF_ERROR(CheckAssertedTime(Field(path, "publish_time"),
                                    a.has_publish_time(), a.publish_time(),
                                    absl::Now()));
  RETURN_IF_ERROR(CheckText(Field(path, "quote"), a.quote(), kMaxLongTextBytes,
                            Presence::kOptional));
  return CheckText(Field(path, "title"), a.title(), kMaxTitleBytes,
                   Presence::kOptional);
}

absl::Status CheckOptionalAppearance(absl::string_view path, bool present,
                                     const v1::Appearance& a) {
  return present ? CheckAppearance(path, a, Presence::kOptional)
                 : absl::OkStatus();
}

absl::Status CheckHop(absl::string_view path, const v1::AttributionHop& hop,
                      absl::Time now) {
  const std::string source = Field(path, "source");
  if (hop.source().empty()) return Invalid(source, "required");
  RETURN_IF_ERROR(ParseSourceName(source, hop.source()).status());
  RETURN_IF_ERROR(CheckEnum<v1::AttributionVerb>(Field(path, "verb"),
                                                 hop.verb(),
                                                 Presence::kRequired));
  const std::string reason = Field(path, "anonymity_reason");
  RETURN_IF_ERROR(CheckText(reason, hop.anonymity_reason(), kMaxReasonBytes,
                            Presence::kOptional));
  if (hop.anonymous() &&
      absl::StripAsciiWhitespace(hop.anonymity_reason()).empty()) {
    return Invalid(reason, "required when anonymous is true");
  }
  RETURN_IF_ERROR(CheckOptionalAppearance(
      Field(path, "appearance"), hop.has_appearance(), hop.appearance()));
  if (hop.credibility() < 0 || hop.credibility() > kMaxCredibility) {
    return Invalid(Field(path, "credibility"),
                   absl::StrCat("must be 0 (not given) to ", kMaxCredibility,
                                ", got ", hop.credibility()));
  }
  return CheckAssertedTime(Field(path, "asserted_time"), hop.has_asserted_time(),
                           hop.asserted_time(), now);
}

absl::Status CheckHops(absl::string_view path,
                       const RepeatedPtrField<v1::AttributionHop>& hops,
                       int min, absl::Time now) {
  if (hops.size() < min) {
    return Invalid(path, absl::StrCat("required (", kMinHops, "-", kMaxHops,
                                      " hops, primary source first)"));
  }
  RETURN_IF_ERROR(CheckCount(path, hops.size(), kMaxHops));
  for (int i = 0; i < hops.size(); ++i) {
    RETURN_IF_ERROR(CheckHop(Index(path, i), hops[i], now));
  }
  return absl::OkStatus();
}

absl::Status CheckFinite(absl::string_view path, bool present, double value) {
  if (present && !std::isfinite(value)) {
    return Invalid(path, "must be a finite number");
  }
  return absl::OkStatus();
}

absl::Status CheckFigure(absl::string_view path, const v1::Figure& figure,
                         absl::Time now) {
  RETURN_IF_ERROR(CheckFigureId(Field(path, "figure_id"), figure.figure_id(),
                                Presence::kRequired));
  RETURN_IF_ERROR(CheckText(Field(path, "label"), figure.label(),
                            kMaxTitleBytes, Presence::kOptional));
  const std::string amount = Field(path, "amount");
  const std::string lower = Field(path, "lower_bound");
  const std::string upper = Field(path, "upper_bound");
  RETURN_IF_ERROR(CheckFinite(amount, figure.has_amount(), figure.amount()));
  RETURN_IF_ERROR(
      CheckFinite(lower, figure.has_lower_bound(), figure.lower_bound()));
  RETURN_IF_ERROR(
      CheckFinite(upper, figure.has_upper_bound(), figure.upper_bound()));
  if (figure.has_lower_bound() && figure.has_upper_bound() &&
      figure.lower_bound() > figure.upper_bound()) {
    return Invalid(lower, absl::StrCat("must not exceed upper_bound (",
                                       FormatNumber(figure.lower_bound()),
                                       " > ",
                                       FormatNumber(figure.upper_bound()),
                                       ")"));
  }
  if (figure.has_amount() && figure.has_lower_bound() &&
      figure.amount() < figure.lower_bound()) {
    return Invalid(amount, absl::StrCat("must not be below lower_bound (",
                                        FormatNumber(figure.amount()), " < ",
                                        FormatNumber(figure.lower_bound()),
                                        ")"));
  }
  if (figure.has_amount() && figure.has_upper_bound() &&
      figure.amount() > figure.upper_bound()) {
    return Invalid(amount, absl::StrCat("must not exceed upper_bound (",
                                        FormatNumber(figure.amount()), " > ",
                                        FormatNumber(figure.upper_bound()),
                                        ")"));
  }
  RETURN_IF_ERROR(CheckText(Field(path, "unit"), figure.unit(), kMaxUnitBytes,
                            Presence::kOptional));
  const std::string qualifier = Field(path, "qualifier");
  RETURN_IF_ERROR(CheckEnum<v1::FigureQualifier>(qualifier, figure.qualifier(),
                                                 Presence::kRequired));
  // What each qualifier needs (documented on Figure.qualifier).
  const std::string why = absl::StrCat(
      "required when qualifier is ",
      v1::FigureQualifier_Name(figure.qualifier()));
  switch (figure.qualifier()) {
    case v1::FIGURE_QUALIFIER_OVER:
    case v1::FIGURE_QUALIFIER_AT_LEAST:
      if (!figure.has_lower_bound()) return Invalid(lower, why);
      break;
    case v1::FIGURE_QUALIFIER_UP_TO:
    case v1::FIGURE_QUALIFIER_UNDER:
      if (!figure.has_upper_bound()) return Invalid(upper, why);
      break;
    case v1::FIGURE_QUALIFIER_BETWEEN:
      if (!figure.has_lower_bound()) return Invalid(lower, why);
      if (!figure.has_upper_bound()) return Invalid(upper, why);
      break;
    case v1::FIGURE_QUALIFIER_EXACT:
    case v1::FIGURE_QUALIFIER_ABOUT:
      if (!figure.has_amount()) return Invalid(amount, why);
      break;
    default:
      break;
  }
  RETURN_IF_ERROR(CheckHops(Field(path, "sources"), figure.sources(), 0, now));
  return CheckInterval(Field(path, "valid_time"), figure.valid_time());
}

absl::Status CheckAttribution(absl::string_view path,
                              const v1::Attribution& attribution,
                              absl::Time now) {
  RETURN_IF_ERROR(
      CheckHops(Field(path, "hops"), attribution.hops(), kMinHops, now));
  return CheckFigureId(Field(path, "figure_id"), attribution.figure_id(),
                       Presence::kOptional);
}

absl::Status CheckStance(absl::string_view path, const v1::Stance& stance,
                         absl::Time now) {
  const std::string party = Field(path, "party");
  if (stance.party().empty()) return Invalid(party, "required");
  RETURN_IF_ERROR(ParseSourceName(party, stance.party()).status());
  RETURN_IF_ERROR(CheckEnum<v1::StancePosition>(
      Field(path, "position"), stance.position(), Presence::kRequired));
  RETURN_IF_ERROR(CheckText(Field(path, "statement"), stance.statement(),
                            kMaxLongTextBytes, Presence::kOptional));
  RETURN_IF_ERROR(CheckOptionalAppearance(
      Field(path, "evidence"), stance.has_evidence(), stance.evidence()));
  return CheckAssertedTime(Field(path, "asserted_time"),
                           stance.has_asserted_time(), stance.asserted_time(),
                           now);
}

absl::Status CheckVerdict(absl::string_view path, const v1::Verdict& verdict) {
  RETURN_IF_ERROR(CheckEnum<v1::VerdictRating>(
      Field(path, "rating"), verdict.rating(), Presence::kRequired));
  RETURN_IF_ERROR(CheckText(Field(path, "rating_text"), verdict.rating_text(),
                            kMaxShortStringBytes, Presence::kOptional));
  RETURN_IF_ERROR(CheckText(Field(path, "explanation"), verdict.explanation(),
                            kMaxExplanationBytes, Presence::kOptional));
  return CheckUrl(Field(path, "review_url"), verdict.review_url(),
                  Presence::kOptional);
}

absl::Status CheckParts(absl::string_view path, const v1::ClaimParts& parts) {
  RETURN_IF_ERROR(CheckText(Field(path, "subject"), parts.subject(),
                            kMaxShortStringBytes, Presence::kOptional));
  RETURN_IF_ERROR(CheckText(Field(path, "predicate"), parts.predicate(),
                            kMaxShortStringBytes, Presence::kOptional));
  RETURN_IF_ERROR(CheckText(Field(path, "object"), parts.object(),
                            kMaxShortStringBytes, Presence::kOptional));
  RETURN_IF_ERROR(CheckText(Field(path, "place"), parts.place(),
                            kMaxShortStringBytes, Presence::kOptional));
  return CheckInterval(Field(path, "period"), parts.period());
}

absl::Status CheckTopic(absl::string_view path, absl::string_view topic) {
  RETURN_IF_ERROR(CheckText(path, topic, kMaxTopicBytes, Presence::kRequired));
  for (char c : topic) {
    if (absl::ascii_isupper(static_cast<unsigned char>(c))) {
      return Invalid(path, absl::StrCat("must be lower-case, got ",
                                        Quote(topic)));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckTopics(absl::string_view path,
                         const RepeatedPtrField<std::string>& topics) {
  RETURN_IF_ERROR(CheckCount(path, topics.size(), kMaxTopics));
  for (int i = 0; i < topics.size(); ++i) {
    RETURN_IF_ERROR(CheckTopic(Index(path, i), topics[i]));
  }
  return absl::OkStatus();
}

absl::Status CheckLanguage(absl::string_view path, absl::string_view tag) {
  RETURN_IF_ERROR(
      CheckText(path, tag, kMaxLanguageBytes, Presence::kOptional));
  for (char c : tag) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') {
      return Invalid(path, absl::StrCat("must be a BCP-47 language tag such "
                                        "as \"en\", got ",
                                        Quote(tag)));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckContext(absl::string_view path, const v1::ChangeContext& ctx,
                          absl::Time now) {
  RETURN_IF_ERROR(CheckText(Field(path, "note"), ctx.note(), kMaxLongTextBytes,
                            Presence::kOptional));
  RETURN_IF_ERROR(CheckOptionalAppearance(Field(path, "evidence"),
                                          ctx.has_evidence(), ctx.evidence()));
  RETURN_IF_ERROR(CheckAssertedTime(Field(path, "asserted_time"),
                                    ctx.has_asserted_time(),
                                    ctx.asserted_time(), now));
  return CheckInterval(Field(path, "valid_time"), ctx.valid_time());
}

// The claim-named `claim` field of the custom verbs.
absl::Status CheckClaimField(absl::string_view path, absl::string_view name) {
  return ParseClaimName(path, name).status();
}

// update_mask: non-empty, every path one of `allowed`. Returns the paths.
absl::StatusOr<absl::flat_hash_set<std::string>> CheckUpdateMask(
    const google::protobuf::FieldMask& mask,
    const std::vector<std::string>& allowed) {
  const std::string allowed_list = absl::StrJoin(allowed, ", ");
  if (mask.paths().empty()) {
    return Invalid("update_mask",
                   absl::StrCat("required (one or more of ", allowed_list,
                                ")"));
  }
  absl::flat_hash_set<std::string> paths;
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& path = mask.paths(i);
    if (std::find(allowed.begin(), allowed.end(), path) == allowed.end()) {
      return Invalid(Index("update_mask.paths", i),
                     absl::StrCat("cannot update ", Quote(path),
                                  "; allowed: ", allowed_list));
    }
    paths.insert(path);
  }
  return paths;
}

// Entries of a repeated field must be unique by `key`; names the duplicate.
template <typename Entry, typename KeyOf>
absl::Status CheckUnique(absl::string_view path,
                         const RepeatedPtrField<Entry>& entries,
                         absl::string_view key_field, KeyOf key_of) {
  absl::flat_hash_map<std::string, int> first;
  for (int i = 0; i < entries.size(); ++i) {
    const std::string key = key_of(entries[i]);
    auto [it, inserted] = first.emplace(key, i);
    if (!inserted) {
      return Invalid(Field(Index(path, i), key_field),
                     absl::StrCat("duplicate of ", Index(path, it->second),
                                  " (", Quote(key), ")"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckNewClaim(absl::string_view path, const v1::Claim& claim,
                           absl::Time now) {
  RETURN_IF_ERROR(CheckText(Field(path, "text"), claim.text(),
                            kMaxClaimTextBytes, Presence::kRequired));
  RETURN_IF_ERROR(CheckParts(Field(path, "parts"), claim.parts()));
  RETURN_IF_ERROR(CheckTopics(Field(path, "topics"), claim.topics()));
  RETURN_IF_ERROR(CheckLanguage(Field(path, "language"), claim.language()));

  const std::string figures = Field(path, "figures");
  RETURN_IF_ERROR(
      CheckCount(figures, claim.figures_size(), kMaxEntriesPerCreate));
  absl::flat_hash_set<std::string> figure_ids;
  for (int i = 0; i < claim.figures_size(); ++i) {
    RETURN_IF_ERROR(CheckFigure(Index(figures, i), claim.figures(i), now));
    figure_ids.insert(claim.figures(i).figure_id());
  }
  RETURN_IF_ERROR(CheckUnique(figures, claim.figures(), "figure_id",
                              [](const v1::Figure& f) { return f.figure_id(); }));

  const std::string attributions = Field(path, "attributions");
  RETURN_IF_ERROR(CheckCount(attributions, claim.attributions_size(),
                             kMaxEntriesPerCreate));
  for (int i = 0; i < claim.attributions_size(); ++i) {
    const v1::Attribution& attribution = claim.attributions(i);
    const std::string at = Index(attributions, i);
    RETURN_IF_ERROR(CheckAttribution(at, attribution, now));
    // A new claim has no figures but the ones in this request.
    if (!attribution.figure_id().empty() &&
        !figure_ids.contains(attribution.figure_id())) {
      return Invalid(Field(at, "figure_id"),
                     absl::StrCat("no figure ", Quote(attribution.figure_id()),
                                  " in ", figures));
    }
  }

  const std::string stances = Field(path, "stances");
  RETURN_IF_ERROR(
      CheckCount(stances, claim.stances_size(), kMaxEntriesPerCreate));
  for (int i = 0; i < claim.stances_size(); ++i) {
    RETURN_IF_ERROR(CheckStance(Index(stances, i), claim.stances(i), now));
  }
  RETURN_IF_ERROR(CheckUnique(stances, claim.stances(), "party",
                              [](const v1::Stance& s) { return s.party(); }));

  const std::string appearances = Field(path, "appearances");
  RETURN_IF_ERROR(CheckCount(appearances, claim.appearances_size(),
                             kMaxEntriesPerCreate));
  for (int i = 0; i < claim.appearances_size(); ++i) {
    RETURN_IF_ERROR(CheckAppearance(Index(appearances, i),
                                    claim.appearances(i), Presence::kRequired));
  }
  return CheckUnique(appearances, claim.appearances(), "url",
                     [](const v1::Appearance& a) { return a.url(); });
}

absl::Status CheckSourceField(absl::string_view field,
                              const v1::Source& source) {
  const std::string path = Field("source", field);
  if (field == "display_name") {
    return CheckText(path, source.display_name(), kMaxShortStringBytes,
                     Presence::kRequired);
  }
  if (field == "kind") {
    return CheckEnum<v1::SourceKind>(path, source.kind(), Presence::kRequired);
  }
  if (field == "aliases") {
    RETURN_IF_ERROR(CheckCount(path, source.aliases_size(), kMaxAliases));
    for (int i = 0; i < source.aliases_size(); ++i) {
      RETURN_IF_ERROR(CheckText(Index(path, i), source.aliases(i),
                                kMaxShortStringBytes, Presence::kRequired));
    }
    return absl::OkStatus();
  }
  if (field == "affiliation") {
    return CheckOptionalSourceName(path, source.affiliation());
  }
  if (field == "reliability") {
    return CheckEnum<v1::ReliabilityGrade>(path, source.reliability(),
                                           Presence::kOptional);
  }
  if (field == "country") {
    return CheckText(path, source.country(), kMaxUnitBytes,
                     Presence::kOptional);
  }
  if (field == "url") {
    return CheckUrl(path, source.url(), Presence::kOptional);
  }
  if (field == "description") {
    return CheckText(path, source.description(), kMaxLongTextBytes,
                     Presence::kOptional);
  }
  return absl::InternalError(absl::StrCat("no check for source.", field));
}

// The Source fields a client may set, in field order.
const std::vector<std::string>& SourceFields() {
  static const auto* const kFields = new std::vector<std::string>{
      "display_name", "kind",        "aliases", "affiliation",
      "reliability",  "country",     "url",     "description"};
  return *kFields;
}

const std::vector<std::string>& ClaimUpdateFields() {
  static const auto* const kFields =
      new std::vector<std::string>{"text", "parts", "topics", "language"};
  return *kFields;
}

absl::Status CheckNotSelfAffiliated(absl::string_view source_name,
                                    const v1::Source& source) {
  if (!source.affiliation().empty() && source.affiliation() == source_name) {
    return Invalid("source.affiliation", "must not be the source itself");
  }
  return absl::OkStatus();
}

template <typename RepeatedEnum>
absl::Status CheckEventKinds(absl::string_view path,
                             const RepeatedEnum& kinds) {
  for (int i = 0; i < kinds.size(); ++i) {
    RETURN_IF_ERROR(CheckEnum<v1::EventKind>(Index(path, i), kinds.Get(i),
                                             Presence::kRequired));
  }
  return absl::OkStatus();
}

}  // namespace

// ---- Resource names.

absl::StatusOr<std::string> ParseClaimName(absl::string_view field,
                                           absl::string_view name) {
  if (name.empty()) return Invalid(field, "required");
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, "claims/") || !IsClaimId(id)) {
    return Invalid(field, absl::StrCat("must be \"claims/{claim}\" where "
                                       "{claim} is ",
                                       kClaimIdRule, ", got ", Quote(name)));
  }
  return std::string(id);
}

absl::StatusOr<std::string> ParseSourceName(absl::string_view field,
                                            absl::string_view name) {
  if (name.empty()) return Invalid(field, "required");
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, "sources/") || !IsSourceId(id)) {
    return Invalid(field, absl::StrCat("must be \"sources/{source}\" where "
                                       "{source} is ",
                                       kSourceIdRule, ", got ", Quote(name)));
  }
  return std::string(id);
}

absl::StatusOr<std::pair<std::string, int64_t>> ParseEventName(
    absl::string_view field, absl::string_view name) {
  if (name.empty()) return Invalid(field, "required");
  const absl::Status malformed = Invalid(
      field, absl::StrCat("must be \"claims/{claim}/events/{revision}\" with "
                          "a revision of 1 or more, got ",
                          Quote(name)));
  absl::string_view rest = name;
  if (!absl::ConsumePrefix(&rest, "claims/")) return malformed;
  const size_t slash = rest.find('/');
  if (slash == absl::string_view::npos) return malformed;
  absl::string_view id = rest.substr(0, slash);
  absl::string_view revision_text = rest.substr(slash);
  if (!IsClaimId(id) || !absl::ConsumePrefix(&revision_text, "/events/")) {
    return malformed;
  }
  // Canonical decimal only: no sign, no leading zero, fits in int64.
  if (revision_text.empty() || revision_text.size() > 18 ||
      revision_text[0] == '0') {
    return malformed;
  }
  for (char c : revision_text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return malformed;
  }
  int64_t revision = 0;
  if (!absl::SimpleAtoi(revision_text, &revision) || revision < 1) {
    return malformed;
  }
  return std::make_pair(std::string(id), revision);
}

// ---- Sources.

absl::Status Validate(const v1::CreateSourceRequest& req) {
  // source.name is output only on create: ignored.
  for (const std::string& field : SourceFields()) {
    RETURN_IF_ERROR(CheckSourceField(field, req.source()));
  }
  if (!req.source_id().empty()) {
    if (!IsSourceId(req.source_id())) {
      return Invalid("source_id", absl::StrCat("must be ", kSourceIdRule,
                                               ", got ",
                                               Quote(req.source_id())));
    }
    RETURN_IF_ERROR(CheckNotSelfAffiliated(
        absl::StrCat("sources/", req.source_id()), req.source()));
  }
  return CheckRequestId(req.request_id());
}

absl::Status Validate(const v1::UpdateSourceRequest& req) {
  RETURN_IF_ERROR(ParseSourceName("source.name", req.source().name()).status());
  ASSIGN_OR_RETURN(const absl::flat_hash_set<std::string> paths,
                   CheckUpdateMask(req.update_mask(), SourceFields()));
  // Fields outside the mask are ignored, so only masked ones are checked.
  for (const std::string& field : SourceFields()) {
    if (paths.contains(field)) {
      RETURN_IF_ERROR(CheckSourceField(field, req.source()));
    }
  }
  if (paths.contains("affiliation")) {
    RETURN_IF_ERROR(CheckNotSelfAffiliated(req.source().name(), req.source()));
  }
  RETURN_IF_ERROR(CheckEtags(req.etag(), "source.etag", req.source().etag()));
  return CheckRequestId(req.request_id());
}

absl::Status Validate(const v1::GetSourceRequest& req) {
  return ParseSourceName("name", req.name()).status();
}

absl::Status Validate(const v1::ListSourcesRequest& req) {
  RETURN_IF_ERROR(CheckPaging(req.page_size(), req.page_token()));
  RETURN_IF_ERROR(CheckText("query", req.query(), kMaxShortStringBytes,
                            Presence::kOptional));
  return CheckEnum<v1::SourceKind>("kind", req.kind(), Presence::kOptional);
}

// ---- Claims: standard methods.

absl::Status Validate(const v1::CreateClaimRequest& req) {
  const absl::Time now = absl::Now();
  // Output-only fields of the claim (name, verdict, state, relations, ...)
  // are ignored.
  RETURN_IF_ERROR(CheckNewClaim("claim", req.claim(), now));
  if (!req.claim_id().empty() && !IsClaimId(req.claim_id())) {
    return Invalid("claim_id", absl::StrCat("must be ", kClaimIdRule,
                                            " not starting with '-', got ",
                                            Quote(req.claim_id())));
  }
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  return CheckContext("context", req.context(), now);
}

absl::Status Validate(const v1::GetClaimRequest& req) {
  RETURN_IF_ERROR(ParseClaimName("name", req.name()).status());
  RETURN_IF_ERROR(CheckOptionalTimestamp("as_of", req.has_as_of(),
                                         req.as_of()));
  return CheckOptionalTimestamp("valid_at", req.has_valid_at(),
                                req.valid_at());
}

absl::Status Validate(const v1::ListClaimsRequest& req) {
  RETURN_IF_ERROR(CheckPaging(req.page_size(), req.page_token()));
  RETURN_IF_ERROR(
      CheckEnum<v1::ClaimState>("state", req.state(), Presence::kOptional));
  if (!req.topic().empty()) RETURN_IF_ERROR(CheckTopic("topic", req.topic()));
  RETURN_IF_ERROR(CheckOptionalSourceName("source", req.source()));
  return CheckOptionalSourceName("party", req.party());
}

absl::Status Validate(const v1::UpdateClaimRequest& req) {
  const absl::Time now = absl::Now();
  const v1::Claim& claim = req.claim();
  RETURN_IF_ERROR(ParseClaimName("claim.name", claim.name()).status());
  ASSIGN_OR_RETURN(const absl::flat_hash_set<std::string> paths,
                   CheckUpdateMask(req.update_mask(), ClaimUpdateFields()));
  if (paths.contains("text")) {
    RETURN_IF_ERROR(CheckText("claim.text", claim.text(), kMaxClaimTextBytes,
                              Presence::kRequired));
  }
  if (paths.contains("parts")) {
    RETURN_IF_ERROR(CheckParts("claim.parts", claim.parts()));
  }
  if (paths.contains("topics")) {
    RETURN_IF_ERROR(CheckTopics("claim.topics", claim.topics()));
  }
  if (paths.contains("language")) {
    RETURN_IF_ERROR(CheckLanguage("claim.language", claim.language()));
  }
  RETURN_IF_ERROR(CheckEtags(req.etag(), "claim.etag", claim.etag()));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  return CheckContext("context", req.context(), now);
}

// ---- Claims: custom verbs.

absl::Status Validate(const v1::AddAttributionRequest& req) {
  const absl::Time now = absl::Now();
  RETURN_IF_ERROR(CheckClaimField("claim", req.claim()));
  RETURN_IF_ERROR(CheckAttribution("attribution", req.attribution(), now));
  RETURN_IF_ERROR(CheckEtag("etag", req.etag()));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  return CheckContext("context", req.context(), now);
}

absl::Status Validate(const v1::ReviseFigureRequest& req) {
  const absl::Time now = absl::Now();
  RETURN_IF_ERROR(CheckClaimField("claim", req.claim()));
  RETURN_IF_ERROR(CheckFigure("figure", req.figure(), now));
  RETURN_IF_ERROR(CheckEtag("etag", req.etag()));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  return CheckContext("context", req.context(), now);
}

absl::Status Validate(const v1::RecordStanceRequest& req) {
  const absl::Time now = absl::Now();
  RETURN_IF_ERROR(CheckClaimField("claim", req.claim()));
  RETURN_IF_ERROR(CheckStance("stance", req.stance(), now));
  RETURN_IF_ERROR(CheckEtag("etag", req.etag()));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  return CheckContext("context", req.context(), now);
}

absl::Status Validate(const v1::RecordVerdictRequest& req) {
  const absl::Time now = absl::Now();
  RETURN_IF_ERROR(CheckClaimField("claim", req.claim()));
  RETURN_IF_ERROR(CheckVerdict("verdict", req.verdict()));
  RETURN_IF_ERROR(CheckEtag("etag", req.etag()));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  return CheckContext("context", req.context(), now);
}

absl::Status Validate(const v1::AddAppearanceRequest& req) {
  const absl::Time now = absl::Now();
  RETURN_IF_ERROR(CheckClaimField("claim", req.claim()));
  RETURN_IF_ERROR(
      CheckAppearance("appearance", req.appearance(), Presence::kRequired));
  RETURN_IF_ERROR(CheckEtag("etag", req.etag()));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  return CheckContext("context", req.context(), now);
}

absl::Status Validate(const v1::LinkClaimsRequest& req) {
  const absl::Time now = absl::Now();
  RETURN_IF_ERROR(CheckClaimField("claim", req.claim()));
  const v1::Relation& relation = req.relation();
  RETURN_IF_ERROR(CheckEnum<v1::RelationType>(
      "relation.type", relation.type(), Presence::kRequired));
  if (relation.type() == v1::RELATION_TYPE_INVERSE) {
    return Invalid("relation.type",
                   "RELATION_TYPE_INVERSE is output only; link from the "
                   "other claim instead");
  }
  RETURN_IF_ERROR(CheckClaimField("relation.target", relation.target()));
  if (relation.target() == req.claim()) {
    return Invalid("relation.target", "must not be the claim itself");
  }
  // relation.inverse_of is output only: ignored.
  RETURN_IF_ERROR(CheckText("relation.note", relation.note(), kMaxReasonBytes,
                            Presence::kOptional));
  RETURN_IF_ERROR(CheckEtag("etag", req.etag()));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  return CheckContext("context", req.context(), now);
}

absl::Status Validate(const v1::MergeClaimsRequest& req) {
  const absl::Time now = absl::Now();
  RETURN_IF_ERROR(CheckClaimField("claim", req.claim()));
  RETURN_IF_ERROR(CheckClaimField("into", req.into()));
  if (req.into() == req.claim()) {
    return Invalid("into", "must not be the claim being merged");
  }
  RETURN_IF_ERROR(CheckEtag("etag", req.etag()));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  return CheckContext("context", req.context(), now);
}

absl::Status Validate(const v1::RetractClaimRequest& req) {
  const absl::Time now = absl::Now();
  RETURN_IF_ERROR(CheckClaimField("claim", req.claim()));
  RETURN_IF_ERROR(CheckText("reason", req.reason(), kMaxLongTextBytes,
                            Presence::kRequired));
  RETURN_IF_ERROR(CheckEtag("etag", req.etag()));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  return CheckContext("context", req.context(), now);
}

absl::Status Validate(const v1::RedactEventRequest& req) {
  ASSIGN_OR_RETURN(const auto event, ParseEventName("name", req.name()));
  if (event.second == 1) {
    return Invalid("name",
                   "the creating event (revision 1) cannot be redacted");
  }
  RETURN_IF_ERROR(CheckText("reason", req.reason(), kMaxLongTextBytes,
                            Presence::kRequired));
  return CheckRequestId(req.request_id());
}

// ---- History and search.

absl::Status Validate(const v1::ListClaimEventsRequest& req) {
  RETURN_IF_ERROR(ParseClaimName("parent", req.parent()).status());
  RETURN_IF_ERROR(CheckPaging(req.page_size(), req.page_token()));
  RETURN_IF_ERROR(CheckEventKinds("kinds", req.kinds()));
  return CheckOrder("recorded_after", req.has_recorded_after(),
                    req.recorded_after(), "recorded_before",
                    req.has_recorded_before(), req.recorded_before());
}

absl::Status Validate(const v1::DiffClaimRequest& req) {
  RETURN_IF_ERROR(ParseClaimName("name", req.name()).status());
  return CheckOrder("from_time", req.has_from_time(), req.from_time(),
                    "to_time", req.has_to_time(), req.to_time());
}

absl::Status Validate(const v1::SearchClaimsRequest& req) {
  RETURN_IF_ERROR(
      CheckText("query", req.query(), kMaxQueryBytes, Presence::kOptional));
  RETURN_IF_ERROR(
      CheckEnum<v1::ClaimState>("state", req.state(), Presence::kOptional));
  if (!req.topic().empty()) RETURN_IF_ERROR(CheckTopic("topic", req.topic()));
  RETURN_IF_ERROR(CheckOptionalSourceName("source", req.source()));
  RETURN_IF_ERROR(CheckOptionalSourceName("party", req.party()));
  RETURN_IF_ERROR(CheckOrder("created_after", req.has_created_after(),
                             req.created_after(), "created_before",
                             req.has_created_before(), req.created_before()));
  return CheckPaging(req.page_size(), req.page_token());
}

absl::Status Validate(const v1::WatchClaimsRequest& req) {
  RETURN_IF_ERROR(CheckOptionalClaimName("claim", req.claim()));
  RETURN_IF_ERROR(CheckOptionalSourceName("source", req.source()));
  RETURN_IF_ERROR(CheckOptionalSourceName("party", req.party()));
  RETURN_IF_ERROR(
      CheckEnum<v1::ClaimState>("state", req.state(), Presence::kOptional));
  RETURN_IF_ERROR(CheckEventKinds("kinds", req.kinds()));
  if (req.from_now() && req.after_sequence() != 0) {
    return Invalid("after_sequence",
                   "must be 0 when from_now is set (from_now skips the "
                   "replay)");
  }
  return absl::OkStatus();
}

}  // namespace core
}  // namespace claimtrail
