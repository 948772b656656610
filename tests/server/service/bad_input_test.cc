// Hostile and malformed requests against the real gRPC service: an
// in-process ClaimTrailServer (LevelDB in $TEST_TMPDIR, TCP on 127.0.0.1:0).
//
// Each case sends one invalid request (text format, placeholders filled in
// from a fixture ledger, serialized and sent as bytes through the generic
// stub; WatchClaims through the typed stub) and asserts
//   - the status code;
//   - that the message names the field (INVALID_ARGUMENT: starts with the
//     field path) or the resource (NOT_FOUND, ABORTED, ...);
//   - that storage is unchanged: GetServerInfo's last_sequence, claim_count
//     and source_count, and the etags of every fixture claim and source.
//
// Cases that cannot be said in text format (invalid UTF-8, garbage bytes,
// oversize messages) patch the serialized bytes or send bytes of their own
// (WatchClaims too, as a generic stream). The protobuf parser refuses those
// before any validation runs; the services parse requests themselves
// (server/service/parsing_service.h) so that they are INVALID_ARGUMENT
// naming the field ("claim.text: not valid UTF-8 ...") or, for bytes that
// are no message at all, "request: not a valid <type> (...)". Every RPC of
// every service gets such bytes once.
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "proto/claimtrail/v1/service.grpc.pb.h"
#include "server/server.h"
#include "server/service/authorizer.h"
#include "tests/server/service/raw_call_test_util.h"

namespace claimtrail {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using Code = grpc::StatusCode;

constexpr int kMaxMessageBytes = 1 << 20;

class AllowAll : public service::Authorizer {
 public:
  absl::StatusOr<core::Principal> Authorize(const grpc::CallbackServerContext&,
                                            service::RpcMethod) override {
    return core::Principal{"users/tester"};
  }
};

// n bytes of 'a'.
std::string L(size_t n) { return std::string(n, 'a'); }

// `count` repetitions of `item`.
std::string Repeat(const std::string& item, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) absl::StrAppend(&out, item, " ");
  return out;
}

struct Case {
  std::string name;    // Test name suffix.
  std::string method;  // RPC, e.g. "CreateClaim".
  std::string text;    // Request in text format, with $PLACEHOLDERS.
  Code code;
  // INVALID_ARGUMENT: the field path the message must start with. Other
  // codes: a substring the message must contain.
  std::string names;
  // Raw cases: replace the first occurrence of this (ASCII) marker in the
  // serialized request with the same number of bytes from `raw_bytes`.
  std::string marker;
  std::string raw_bytes;
  // Raw cases: send these bytes instead of the serialized request.
  std::string whole_body;
  bool use_whole_body = false;
  // Non-empty: a known defect outside this suite's area; the case is skipped
  // (with this text) until it is fixed, so that the rest stays green.
  std::string known_issue;
};

std::ostream& operator<<(std::ostream& os, const Case& c) {
  return os << c.method << "/" << c.name;
}

// ---- The cases. ----------------------------------------------------------

std::vector<Case> Cases() {
  std::vector<Case> cases;
  auto add = [&cases](std::string name, std::string method, std::string text,
                      Code code, std::string names) {
    Case c;
    c.name = std::move(name);
    c.method = std::move(method);
    c.text = std::move(text);
    c.code = code;
    c.names = std::move(names);
    cases.push_back(std::move(c));
  };
  const Code kInvalid = Code::INVALID_ARGUMENT;
  const std::string rid = " request_id: \"$RID\" ";
  const std::string source = "source { display_name: \"X\" kind: SOURCE_KIND_PERSON } ";
  const std::string hop = "hops { source: \"sources/nis\" verb: ATTRIBUTION_VERB_SAID } ";
  const std::string kFuture = "{ seconds: $FUTURE }";

  // CreateSource.
  add("MissingRequestId", "CreateSource", source, kInvalid, "request_id");
  add("RequestIdWithSpaces", "CreateSource", source + "request_id: \"a b\"", kInvalid, "request_id");
  add("RequestIdTooLong", "CreateSource", source + "request_id: \"" + L(129) + "\"", kInvalid, "request_id");
  add("MissingSource", "CreateSource", rid, kInvalid, "source.display_name");
  add("EmptyDisplayName", "CreateSource", "source { kind: SOURCE_KIND_PERSON }" + rid, kInvalid, "source.display_name");
  add("BlankDisplayName", "CreateSource", "source { display_name: \"   \" kind: SOURCE_KIND_PERSON }" + rid, kInvalid, "source.display_name");
  add("DisplayNameTooLong", "CreateSource", "source { display_name: \"" + L(257) + "\" kind: SOURCE_KIND_PERSON }" + rid, kInvalid, "source.display_name");
  add("KindUnspecified", "CreateSource", "source { display_name: \"X\" }" + rid, kInvalid, "source.kind");
  add("KindUnknownEnum", "CreateSource", "source { display_name: \"X\" kind: 99 }" + rid, kInvalid, "source.kind");
  add("SourceIdUpperCase", "CreateSource", source + "source_id: \"NIS2\"" + rid, kInvalid, "source_id");
  add("SourceIdTooLong", "CreateSource", source + "source_id: \"" + L(64) + "\"" + rid, kInvalid, "source_id");
  add("SourceIdStartsWithDigit", "CreateSource", source + "source_id: \"9lives\"" + rid, kInvalid, "source_id");
  add("SourceIdTaken", "CreateSource", source + "source_id: \"nis\"" + rid, Code::ALREADY_EXISTS, "sources/nis");
  add("TooManyAliases", "CreateSource", "source { display_name: \"X\" kind: SOURCE_KIND_PERSON " + Repeat("aliases: \"a\"", 33) + "}" + rid, kInvalid, "source.aliases");
  add("AliasTooLong", "CreateSource", "source { display_name: \"X\" kind: SOURCE_KIND_PERSON aliases: \"" + L(257) + "\" }" + rid, kInvalid, "source.aliases[0]");
  add("AffiliationMalformed", "CreateSource", "source { display_name: \"X\" kind: SOURCE_KIND_PERSON affiliation: \"nis\" }" + rid, kInvalid, "source.affiliation");
  add("AffiliationMissing", "CreateSource", "source { display_name: \"X\" kind: SOURCE_KIND_PERSON affiliation: \"sources/nobody\" }" + rid, Code::NOT_FOUND, "sources/nobody");
  add("ReliabilityUnknownEnum", "CreateSource", "source { display_name: \"X\" kind: SOURCE_KIND_PERSON reliability: 42 }" + rid, kInvalid, "source.reliability");
  add("CountryTooLong", "CreateSource", "source { display_name: \"X\" kind: SOURCE_KIND_PERSON country: \"" + L(65) + "\" }" + rid, kInvalid, "source.country");
  add("UrlTooLong", "CreateSource", "source { display_name: \"X\" kind: SOURCE_KIND_PERSON url: \"https://" + L(2048) + "\" }" + rid, kInvalid, "source.url");
  add("UrlNotHttp", "CreateSource", "source { display_name: \"X\" kind: SOURCE_KIND_PERSON url: \"javascript:alert(1)\" }" + rid, kInvalid, "source.url");
  add("DescriptionTooLong", "CreateSource", "source { display_name: \"X\" kind: SOURCE_KIND_PERSON description: \"" + L(4097) + "\" }" + rid, kInvalid, "source.description");

  // UpdateSource.
  add("MissingUpdateMask", "UpdateSource", "source { name: \"sources/nis\" country: \"KR\" }" + rid, kInvalid, "update_mask");
  add("UnknownMaskPath", "UpdateSource", "source { name: \"sources/nis\" } update_mask { paths: \"etag\" }" + rid, kInvalid, "update_mask.paths[0]");
  add("MissingName", "UpdateSource", "source { country: \"KR\" } update_mask { paths: \"country\" }" + rid, kInvalid, "source.name");
  add("MalformedName", "UpdateSource", "source { name: \"nis\" country: \"KR\" } update_mask { paths: \"country\" }" + rid, kInvalid, "source.name");
  add("AbsentSource", "UpdateSource", "source { name: \"sources/nobody\" country: \"KR\" } update_mask { paths: \"country\" }" + rid, Code::NOT_FOUND, "sources/nobody");
  add("EtagOfAnotherSource", "UpdateSource", "source { name: \"sources/nis\" country: \"KR\" } update_mask { paths: \"country\" } etag: \"$RUSSIA_ETAG\"" + rid, Code::ABORTED, "etag");
  add("EtagOfAClaim", "UpdateSource", "source { name: \"sources/nis\" country: \"KR\" } update_mask { paths: \"country\" } etag: \"$TROOPS_ETAG\"" + rid, Code::ABORTED, "etag");
  add("EtagTooLong", "UpdateSource", "source { name: \"sources/nis\" country: \"KR\" } update_mask { paths: \"country\" } etag: \"" + L(257) + "\"" + rid, kInvalid, "etag");
  add("AffiliationCycle", "UpdateSource", "source { name: \"sources/north-korea\" affiliation: \"sources/kcna\" } update_mask { paths: \"affiliation\" }" + rid, kInvalid, "source.affiliation");
  add("SelfAffiliation", "UpdateSource", "source { name: \"sources/nis\" affiliation: \"sources/nis\" } update_mask { paths: \"affiliation\" }" + rid, kInvalid, "source.affiliation");
  add("ClearRequiredDisplayName", "UpdateSource", "source { name: \"sources/nis\" } update_mask { paths: \"display_name\" }" + rid, kInvalid, "source.display_name");
  add("ClearRequiredKind", "UpdateSource", "source { name: \"sources/nis\" } update_mask { paths: \"kind\" }" + rid, kInvalid, "source.kind");
  add("MissingRequestId", "UpdateSource", "source { name: \"sources/nis\" country: \"KR\" } update_mask { paths: \"country\" }", kInvalid, "request_id");

  // GetSource.
  add("EmptyName", "GetSource", "", kInvalid, "name");
  add("BareId", "GetSource", "name: \"nis\"", kInvalid, "name");
  add("EmptyId", "GetSource", "name: \"sources/\"", kInvalid, "name");
  add("UpperCaseId", "GetSource", "name: \"sources/NIS\"", kInvalid, "name");
  add("OtherCollection", "GetSource", "name: \"claims/troops\"", kInvalid, "name");
  add("TrailingSegment", "GetSource", "name: \"sources/nis/extra\"", kInvalid, "name");
  add("Absent", "GetSource", "name: \"sources/nobody\"", Code::NOT_FOUND, "sources/nobody");

  // ListSources.
  add("NegativePageSize", "ListSources", "page_size: -1", kInvalid, "page_size");
  add("PageSizeTooLarge", "ListSources", "page_size: 1001", kInvalid, "page_size");
  add("TamperedPageToken", "ListSources", "page_token: \"$TAMPERED_SOURCES_TOKEN\"", kInvalid, "page_token");
  add("PageTokenOfListClaims", "ListSources", "page_token: \"$CLAIMS_TOKEN\"", kInvalid, "page_token");
  add("PageTokenOfOtherQuery", "ListSources", "page_token: \"$SOURCES_TOKEN\" query: \"russia\"", kInvalid, "page_token");
  add("GarbagePageToken", "ListSources", "page_token: \"not a token\"", kInvalid, "page_token");
  add("PageTokenTooLong", "ListSources", "page_token: \"" + L(4097) + "\"", kInvalid, "page_token");
  add("KindUnknownEnum", "ListSources", "kind: 77", kInvalid, "kind");
  add("QueryTooLong", "ListSources", "query: \"" + L(4097) + "\"", kInvalid, "query");

  // CreateClaim.
  const std::string claim_ok = "text: \"A claim.\" ";
  auto create = [&](const std::string& claim_fields, const std::string& rest = "") {
    return "claim { " + claim_fields + " }" + rid + rest;
  };
  add("MissingRequestId", "CreateClaim", "claim { text: \"A claim.\" }", kInvalid, "request_id");
  add("MissingClaim", "CreateClaim", rid, kInvalid, "claim.text");
  add("EmptyText", "CreateClaim", create("language: \"en\""), kInvalid, "claim.text");
  add("BlankText", "CreateClaim", create("text: \" \\t\\n \""), kInvalid, "claim.text");
  add("TextTooLong", "CreateClaim", create("text: \"" + L(4097) + "\""), kInvalid, "claim.text");
  add("ClaimIdInvalid", "CreateClaim", create(claim_ok, "claim_id: \"Bad_Id\""), kInvalid, "claim_id");
  add("ClaimIdTooLong", "CreateClaim", create(claim_ok, "claim_id: \"" + L(64) + "\""), kInvalid, "claim_id");
  add("ClaimIdWithSlash", "CreateClaim", create(claim_ok, "claim_id: \"claims/x\""), kInvalid, "claim_id");
  add("ClaimIdTaken", "CreateClaim", create(claim_ok, "claim_id: \"troops\""), Code::ALREADY_EXISTS, "claims/troops");
  add("TooManyTopics", "CreateClaim", create(claim_ok + Repeat("topics: \"t\"", 33)), kInvalid, "claim.topics");
  add("TopicTooLong", "CreateClaim", create(claim_ok + "topics: \"" + L(65) + "\""), kInvalid, "claim.topics[0]");
  add("EmptyTopic", "CreateClaim", create(claim_ok + "topics: \"\""), kInvalid, "claim.topics[0]");
  add("LanguageTooLong", "CreateClaim", create(claim_ok + "language: \"" + L(36) + "\""), kInvalid, "claim.language");
  add("PartsSubjectTooLong", "CreateClaim", create(claim_ok + "parts { subject: \"" + L(257) + "\" }"), kInvalid, "claim.parts.subject");
  add("PartsPeriodReversed", "CreateClaim", create(claim_ok + "parts { period { start_time { seconds: 2000 } end_time { seconds: 1000 } } }"), kInvalid, "claim.parts.period.end_time");
  add("FigureWithoutId", "CreateClaim", create(claim_ok + "figures { amount: 1 qualifier: FIGURE_QUALIFIER_EXACT }"), kInvalid, "claim.figures[0].figure_id");
  add("FigureIdInvalid", "CreateClaim", create(claim_ok + "figures { figure_id: \"Troops!\" amount: 1 qualifier: FIGURE_QUALIFIER_EXACT }"), kInvalid, "claim.figures[0].figure_id");
  add("FigureQualifierMissing", "CreateClaim", create(claim_ok + "figures { figure_id: \"f\" amount: 1 }"), kInvalid, "claim.figures[0].qualifier");
  add("FigureQualifierUnknownEnum", "CreateClaim", create(claim_ok + "figures { figure_id: \"f\" amount: 1 qualifier: 99 }"), kInvalid, "claim.figures[0].qualifier");
  add("FigureBoundsReversed", "CreateClaim", create(claim_ok + "figures { figure_id: \"f\" lower_bound: 5 upper_bound: 3 qualifier: FIGURE_QUALIFIER_BETWEEN }"), kInvalid, "claim.figures[0].lower_bound");
  add("FigureOverWithoutLowerBound", "CreateClaim", create(claim_ok + "figures { figure_id: \"f\" amount: 5 qualifier: FIGURE_QUALIFIER_OVER }"), kInvalid, "claim.figures[0].lower_bound");
  add("FigureExactWithoutAmount", "CreateClaim", create(claim_ok + "figures { figure_id: \"f\" lower_bound: 5 qualifier: FIGURE_QUALIFIER_EXACT }"), kInvalid, "claim.figures[0].amount");
  add("FigureAmountNaN", "CreateClaim", create(claim_ok + "figures { figure_id: \"f\" amount: nan qualifier: FIGURE_QUALIFIER_EXACT }"), kInvalid, "claim.figures[0].amount");
  add("FigureAmountInfinite", "CreateClaim", create(claim_ok + "figures { figure_id: \"f\" amount: inf qualifier: FIGURE_QUALIFIER_EXACT }"), kInvalid, "claim.figures[0].amount");
  add("FigureLabelTooLong", "CreateClaim", create(claim_ok + "figures { figure_id: \"f\" amount: 1 qualifier: FIGURE_QUALIFIER_EXACT label: \"" + L(513) + "\" }"), kInvalid, "claim.figures[0].label");
  add("FigureUnitTooLong", "CreateClaim", create(claim_ok + "figures { figure_id: \"f\" amount: 1 qualifier: FIGURE_QUALIFIER_EXACT unit: \"" + L(65) + "\" }"), kInvalid, "claim.figures[0].unit");
  add("FigureIdsRepeated", "CreateClaim", create(claim_ok + "figures { figure_id: \"f\" amount: 1 qualifier: FIGURE_QUALIFIER_EXACT } figures { figure_id: \"f\" amount: 2 qualifier: FIGURE_QUALIFIER_EXACT }"), kInvalid, "claim.figures[1].figure_id");
  add("TooManyFigures", "CreateClaim", create(claim_ok + Repeat("figures { figure_id: \"f\" amount: 1 qualifier: FIGURE_QUALIFIER_EXACT }", 65)), kInvalid, "claim.figures");
  add("AttributionWithoutHops", "CreateClaim", create(claim_ok + "attributions { }"), kInvalid, "claim.attributions[0].hops");
  add("AttributionTooManyHops", "CreateClaim", create(claim_ok + "attributions { " + Repeat(hop, 17) + "}"), kInvalid, "claim.attributions[0].hops");
  add("HopWithoutSource", "CreateClaim", create(claim_ok + "attributions { hops { verb: ATTRIBUTION_VERB_SAID } }"), kInvalid, "claim.attributions[0].hops[0].source");
  add("HopSourceMalformed", "CreateClaim", create(claim_ok + "attributions { hops { source: \"nis\" verb: ATTRIBUTION_VERB_SAID } }"), kInvalid, "claim.attributions[0].hops[0].source");
  add("HopSourceAbsent", "CreateClaim", create(claim_ok + "attributions { hops { source: \"sources/nobody\" verb: ATTRIBUTION_VERB_SAID } }"), Code::NOT_FOUND, "sources/nobody");
  add("HopVerbMissing", "CreateClaim", create(claim_ok + "attributions { hops { source: \"sources/nis\" } }"), kInvalid, "claim.attributions[0].hops[0].verb");
  add("HopVerbUnknownEnum", "CreateClaim", create(claim_ok + "attributions { hops { source: \"sources/nis\" verb: 123 } }"), kInvalid, "claim.attributions[0].hops[0].verb");
  add("AnonymousHopWithoutReason", "CreateClaim", create(claim_ok + "attributions { hops { source: \"sources/nis\" verb: ATTRIBUTION_VERB_SAID anonymous: true } }"), kInvalid, "claim.attributions[0].hops[0].anonymity_reason");
  add("HopCredibilityTooHigh", "CreateClaim", create(claim_ok + "attributions { hops { source: \"sources/nis\" verb: ATTRIBUTION_VERB_SAID credibility: 7 } }"), kInvalid, "claim.attributions[0].hops[0].credibility");
  add("HopCredibilityNegative", "CreateClaim", create(claim_ok + "attributions { hops { source: \"sources/nis\" verb: ATTRIBUTION_VERB_SAID credibility: -1 } }"), kInvalid, "claim.attributions[0].hops[0].credibility");
  add("HopAssertedInFuture", "CreateClaim", create(claim_ok + "attributions { hops { source: \"sources/nis\" verb: ATTRIBUTION_VERB_SAID asserted_time " + kFuture + " } }"), kInvalid, "claim.attributions[0].hops[0].asserted_time");
  add("AttributionOfUnknownFigure", "CreateClaim", create(claim_ok + "attributions { figure_id: \"nope\" " + hop + "}"), kInvalid, "claim.attributions[0].figure_id");
  add("StanceWithoutParty", "CreateClaim", create(claim_ok + "stances { position: STANCE_POSITION_DENIED }"), kInvalid, "claim.stances[0].party");
  add("StancePartyAbsent", "CreateClaim", create(claim_ok + "stances { party: \"sources/nobody\" position: STANCE_POSITION_DENIED }"), Code::NOT_FOUND, "sources/nobody");
  add("StanceWithoutPosition", "CreateClaim", create(claim_ok + "stances { party: \"sources/russia\" }"), kInvalid, "claim.stances[0].position");
  add("StancePartyTwice", "CreateClaim", create(claim_ok + "stances { party: \"sources/russia\" position: STANCE_POSITION_DENIED } stances { party: \"sources/russia\" position: STANCE_POSITION_CONFIRMED }"), kInvalid, "claim.stances[1].party");
  add("StanceStatementTooLong", "CreateClaim", create(claim_ok + "stances { party: \"sources/russia\" position: STANCE_POSITION_DENIED statement: \"" + L(4097) + "\" }"), kInvalid, "claim.stances[0].statement");
  add("AppearanceWithoutUrl", "CreateClaim", create(claim_ok + "appearances { outlet: \"x\" }"), kInvalid, "claim.appearances[0].url");
  add("AppearanceUrlNotHttp", "CreateClaim", create(claim_ok + "appearances { url: \"ftp://example.org/a\" }"), kInvalid, "claim.appearances[0].url");
  add("AppearanceUrlTooLong", "CreateClaim", create(claim_ok + "appearances { url: \"https://example.org/" + L(2048) + "\" }"), kInvalid, "claim.appearances[0].url");
  add("AppearanceQuoteTooLong", "CreateClaim", create(claim_ok + "appearances { url: \"https://example.org/a\" quote: \"" + L(4097) + "\" }"), kInvalid, "claim.appearances[0].quote");
  add("TooManyAppearances", "CreateClaim", create(claim_ok + Repeat("appearances { url: \"https://example.org/a\" }", 65)), kInvalid, "claim.appearances");
  add("NoteTooLong", "CreateClaim", create(claim_ok, "context { note: \"" + L(4097) + "\" }"), kInvalid, "context.note");
  add("AssertedTimeInFuture", "CreateClaim", create(claim_ok, "context { asserted_time " + kFuture + " }"), kInvalid, "context.asserted_time");
  add("ValidTimeReversed", "CreateClaim", create(claim_ok, "context { valid_time { start_time { seconds: 2000 } end_time { seconds: 1000 } } }"), kInvalid, "context.valid_time.end_time");
  add("EvidenceUrlMalformed", "CreateClaim", create(claim_ok, "context { evidence { url: \"not a url\" } }"), kInvalid, "context.evidence.url");
  add("TimestampBeyondYear9999", "CreateClaim", create(claim_ok, "context { valid_time { start_time { seconds: 999999999999 } } }"), kInvalid, "context.valid_time.start_time.seconds");
  add("TimestampNanosNegative", "CreateClaim", create(claim_ok, "context { valid_time { start_time { seconds: 1 nanos: -1 } } }"), kInvalid, "context.valid_time.start_time.nanos");
  add("OutputOnlyStateIgnoredButFigureInvalid", "CreateClaim", create(claim_ok + "state: CLAIM_STATE_CONFIRMED figures { figure_id: \"f\" qualifier: FIGURE_QUALIFIER_EXACT }"), kInvalid, "claim.figures[0].amount");

  // GetClaim.
  add("EmptyName", "GetClaim", "", kInvalid, "name");
  add("BareId", "GetClaim", "name: \"troops\"", kInvalid, "name");
  add("EventName", "GetClaim", "name: \"claims/troops/events/1\"", kInvalid, "name");
  add("Absent", "GetClaim", "name: \"claims/nobody\"", Code::NOT_FOUND, "claims/nobody");
  add("AsOfBeforeCreation", "GetClaim", "name: \"claims/troops\" as_of { seconds: 1 }", Code::NOT_FOUND, "claims/troops");
  add("AsOfNanosOutOfRange", "GetClaim", "name: \"claims/troops\" as_of { seconds: 1 nanos: 2000000000 }", kInvalid, "as_of.nanos");
  add("ValidAtOutOfRange", "GetClaim", "name: \"claims/troops\" valid_at { seconds: -99999999999 }", kInvalid, "valid_at.seconds");

  // ListClaims.
  add("NegativePageSize", "ListClaims", "page_size: -5", kInvalid, "page_size");
  add("StateUnknownEnum", "ListClaims", "state: 99", kInvalid, "state");
  add("SourceMalformed", "ListClaims", "source: \"nis\"", kInvalid, "source");
  add("PartyMalformed", "ListClaims", "party: \"russia\"", kInvalid, "party");
  add("TopicTooLong", "ListClaims", "topic: \"" + L(65) + "\"", kInvalid, "topic");
  add("TamperedPageToken", "ListClaims", "page_token: \"$TAMPERED_CLAIMS_TOKEN\"", kInvalid, "page_token");
  add("PageTokenOfListSources", "ListClaims", "page_token: \"$SOURCES_TOKEN\"", kInvalid, "page_token");
  add("PageTokenOfOtherFilter", "ListClaims", "page_token: \"$CLAIMS_TOKEN\" topic: \"north-korea\"", kInvalid, "page_token");
  add("TruncatedPageToken", "ListClaims", "page_token: \"$TRUNCATED_CLAIMS_TOKEN\"", kInvalid, "page_token");

  // UpdateClaim.
  const std::string update = "claim { name: \"claims/troops\" text: \"New text.\" } update_mask { paths: \"text\" }" + rid;
  add("MissingUpdateMask", "UpdateClaim", "claim { name: \"claims/troops\" text: \"New text.\" }" + rid, kInvalid, "update_mask");
  add("OutputOnlyMaskPath", "UpdateClaim", "claim { name: \"claims/troops\" } update_mask { paths: \"state\" }" + rid, kInvalid, "update_mask.paths[0]");
  add("FiguresNotUpdatable", "UpdateClaim", "claim { name: \"claims/troops\" } update_mask { paths: \"figures\" }" + rid, kInvalid, "update_mask.paths[0]");
  add("ClearRequiredText", "UpdateClaim", "claim { name: \"claims/troops\" } update_mask { paths: \"text\" }" + rid, kInvalid, "claim.text");
  add("MissingName", "UpdateClaim", "claim { text: \"x\" } update_mask { paths: \"text\" }" + rid, kInvalid, "claim.name");
  add("Absent", "UpdateClaim", "claim { name: \"claims/nobody\" text: \"x\" } update_mask { paths: \"text\" }" + rid, Code::NOT_FOUND, "claims/nobody");
  add("EtagOfAnotherClaim", "UpdateClaim", update + "etag: \"$OTHER_ETAG\"", Code::ABORTED, "etag");
  add("EtagOfASource", "UpdateClaim", update + "etag: \"$NIS_ETAG\"", Code::ABORTED, "etag");
  add("GarbageEtag", "UpdateClaim", update + "etag: \"garbage\"", kInvalid,
      "etag");
  add("MergedClaim", "UpdateClaim", "claim { name: \"claims/merged\" text: \"x\" } update_mask { paths: \"text\" }" + rid, Code::FAILED_PRECONDITION, "claims/merged");
  add("RetractedClaim", "UpdateClaim", "claim { name: \"claims/retracted\" text: \"x\" } update_mask { paths: \"text\" }" + rid, Code::FAILED_PRECONDITION, "claims/retracted");
  add("MissingRequestId", "UpdateClaim", "claim { name: \"claims/troops\" text: \"x\" } update_mask { paths: \"text\" }", kInvalid, "request_id");

  // AddAttribution.
  add("MissingClaim", "AddAttribution", "attribution { " + hop + "}" + rid, kInvalid, "claim");
  add("MissingAttribution", "AddAttribution", "claim: \"claims/troops\"" + rid, kInvalid, "attribution.hops");
  add("NoHops", "AddAttribution", "claim: \"claims/troops\" attribution { }" + rid, kInvalid, "attribution.hops");
  add("UnknownFigure", "AddAttribution", "claim: \"claims/troops\" attribution { figure_id: \"nope\" " + hop + "}" + rid, Code::NOT_FOUND, "nope");
  add("EtagOfAnotherClaim", "AddAttribution", "claim: \"claims/troops\" attribution { " + hop + "} etag: \"$OTHER_ETAG\"" + rid, Code::ABORTED, "etag");
  add("HugeHopList", "AddAttribution", "claim: \"claims/troops\" attribution { " + Repeat(hop, 1000) + "}" + rid, kInvalid, "attribution.hops");

  // ReviseFigure.
  add("MissingFigure", "ReviseFigure", "claim: \"claims/troops\"" + rid, kInvalid, "figure.figure_id");
  add("BoundsReversed", "ReviseFigure", "claim: \"claims/troops\" figure { figure_id: \"troops\" lower_bound: 12000 upper_bound: 10000 qualifier: FIGURE_QUALIFIER_BETWEEN }" + rid, kInvalid, "figure.lower_bound");
  add("BetweenWithoutUpperBound", "ReviseFigure", "claim: \"claims/troops\" figure { figure_id: \"troops\" lower_bound: 1 qualifier: FIGURE_QUALIFIER_BETWEEN }" + rid, kInvalid, "figure.upper_bound");
  add("AmountNaN", "ReviseFigure", "claim: \"claims/troops\" figure { figure_id: \"troops\" amount: nan qualifier: FIGURE_QUALIFIER_ABOUT }" + rid, kInvalid, "figure.amount");
  add("ValidTimeReversed", "ReviseFigure", "claim: \"claims/troops\" figure { figure_id: \"troops\" amount: 1 qualifier: FIGURE_QUALIFIER_ABOUT valid_time { start_time { seconds: 9 } end_time { seconds: 8 } } }" + rid, kInvalid, "figure.valid_time.end_time");

  // RecordStance.
  add("MissingParty", "RecordStance", "claim: \"claims/troops\" stance { position: STANCE_POSITION_DENIED }" + rid, kInvalid, "stance.party");
  add("PartyAbsent", "RecordStance", "claim: \"claims/troops\" stance { party: \"sources/nobody\" position: STANCE_POSITION_DENIED }" + rid, Code::NOT_FOUND, "sources/nobody");
  add("PositionUnknownEnum", "RecordStance", "claim: \"claims/troops\" stance { party: \"sources/russia\" position: 99 }" + rid, kInvalid, "stance.position");
  add("AssertedInFuture", "RecordStance", "claim: \"claims/troops\" stance { party: \"sources/russia\" position: STANCE_POSITION_DENIED asserted_time " + kFuture + " }" + rid, kInvalid, "stance.asserted_time");
  add("ClaimAbsent", "RecordStance", "claim: \"claims/nobody\" stance { party: \"sources/russia\" position: STANCE_POSITION_DENIED }" + rid, Code::NOT_FOUND, "claims/nobody");

  // RecordVerdict.
  add("RatingMissing", "RecordVerdict", "claim: \"claims/troops\" verdict { rating_text: \"meh\" }" + rid, kInvalid, "verdict.rating");
  add("RatingUnknownEnum", "RecordVerdict", "claim: \"claims/troops\" verdict { rating: 99 }" + rid, kInvalid, "verdict.rating");
  add("ReviewUrlMalformed", "RecordVerdict", "claim: \"claims/troops\" verdict { rating: VERDICT_RATING_FALSE review_url: \"file:///etc/passwd\" }" + rid, kInvalid, "verdict.review_url");
  add("ExplanationTooLong", "RecordVerdict", "claim: \"claims/troops\" verdict { rating: VERDICT_RATING_FALSE explanation: \"" + L(8193) + "\" }" + rid, kInvalid, "verdict.explanation");

  // AddAppearance.
  add("UrlMissing", "AddAppearance", "claim: \"claims/troops\" appearance { outlet: \"x\" }" + rid, kInvalid, "appearance.url");
  add("UrlJavascript", "AddAppearance", "claim: \"claims/troops\" appearance { url: \"javascript:alert(1)\" }" + rid, kInvalid, "appearance.url");
  add("OutletSourceAbsent", "AddAppearance", "claim: \"claims/troops\" appearance { url: \"https://example.org/z\" outlet_source: \"sources/nobody\" }" + rid, Code::NOT_FOUND, "sources/nobody");
  add("TitleTooLong", "AddAppearance", "claim: \"claims/troops\" appearance { url: \"https://example.org/z\" title: \"" + L(513) + "\" }" + rid, kInvalid, "appearance.title");

  // LinkClaims.
  add("TypeMissing", "LinkClaims", "claim: \"claims/troops\" relation { target: \"claims/other\" }" + rid, kInvalid, "relation.type");
  add("TypeInverseIsOutputOnly", "LinkClaims", "claim: \"claims/troops\" relation { type: RELATION_TYPE_INVERSE target: \"claims/other\" }" + rid, kInvalid, "relation.type");
  add("TypeUnknownEnum", "LinkClaims", "claim: \"claims/troops\" relation { type: 42 target: \"claims/other\" }" + rid, kInvalid, "relation.type");
  add("SelfLink", "LinkClaims", "claim: \"claims/troops\" relation { type: RELATION_TYPE_SUPPORTS target: \"claims/troops\" }" + rid, kInvalid, "relation.target");
  add("TargetAbsent", "LinkClaims", "claim: \"claims/troops\" relation { type: RELATION_TYPE_SUPPORTS target: \"claims/nobody\" }" + rid, Code::NOT_FOUND, "claims/nobody");
  add("TargetMalformed", "LinkClaims", "claim: \"claims/troops\" relation { type: RELATION_TYPE_SUPPORTS target: \"other\" }" + rid, kInvalid, "relation.target");
  add("NoteTooLong", "LinkClaims", "claim: \"claims/troops\" relation { type: RELATION_TYPE_SUPPORTS target: \"claims/other\" note: \"" + L(1025) + "\" }" + rid, kInvalid, "relation.note");
  add("SupersedesCycle", "LinkClaims", "claim: \"claims/other\" relation { type: RELATION_TYPE_SUPERSEDES target: \"claims/troops\" }" + rid, kInvalid, "relation");
  add("DuplicateLink", "LinkClaims", "claim: \"claims/troops\" relation { type: RELATION_TYPE_SUPERSEDES target: \"claims/other\" }" + rid, Code::ALREADY_EXISTS, "claims/other");
  add("TargetMerged", "LinkClaims", "claim: \"claims/troops\" relation { type: RELATION_TYPE_SUPPORTS target: \"claims/merged\" }" + rid, Code::FAILED_PRECONDITION, "relation.target");

  // MergeClaims.
  add("SelfMerge", "MergeClaims", "claim: \"claims/other\" into: \"claims/other\"" + rid, kInvalid, "into");
  add("IntoMissing", "MergeClaims", "claim: \"claims/other\"" + rid, kInvalid, "into");
  add("IntoAbsent", "MergeClaims", "claim: \"claims/other\" into: \"claims/nobody\"" + rid, Code::NOT_FOUND, "claims/nobody");
  add("IntoMerged", "MergeClaims", "claim: \"claims/other\" into: \"claims/merged\"" + rid, Code::FAILED_PRECONDITION, "into");
  add("IntoRetracted", "MergeClaims", "claim: \"claims/other\" into: \"claims/retracted\"" + rid, Code::FAILED_PRECONDITION, "into");
  add("AlreadyMerged", "MergeClaims", "claim: \"claims/merged\" into: \"claims/other\"" + rid, Code::FAILED_PRECONDITION, "claims/merged");
  add("EtagOfTheTarget", "MergeClaims", "claim: \"claims/other\" into: \"claims/troops\" etag: \"$TROOPS_ETAG\"" + rid, Code::ABORTED, "etag");

  // RetractClaim.
  add("ReasonMissing", "RetractClaim", "claim: \"claims/troops\"" + rid, kInvalid, "reason");
  add("ReasonTooLong", "RetractClaim", "claim: \"claims/troops\" reason: \"" + L(4097) + "\"" + rid, kInvalid, "reason");
  add("AlreadyRetracted", "RetractClaim", "claim: \"claims/retracted\" reason: \"again\"" + rid, Code::FAILED_PRECONDITION, "claims/retracted");

  // RedactEvent.
  add("ClaimNameNotEvent", "RedactEvent", "name: \"claims/troops\" reason: \"x\"" + rid, kInvalid, "name");
  add("RevisionZero", "RedactEvent", "name: \"claims/troops/events/0\" reason: \"x\"" + rid, kInvalid, "name");
  add("RevisionNotANumber", "RedactEvent", "name: \"claims/troops/events/two\" reason: \"x\"" + rid, kInvalid, "name");
  add("CreatingEvent", "RedactEvent", "name: \"claims/troops/events/1\" reason: \"x\"" + rid, kInvalid, "name");
  add("RevisionBeyondHistory", "RedactEvent", "name: \"claims/troops/events/999\" reason: \"x\"" + rid, Code::NOT_FOUND, "claims/troops/events/999");
  add("ReasonMissing", "RedactEvent", "name: \"claims/troops/events/2\"" + rid, kInvalid, "reason");
  add("MissingRequestId", "RedactEvent", "name: \"claims/troops/events/2\" reason: \"x\"", kInvalid, "request_id");
  add("MergeHalf", "RedactEvent", "name: \"claims/merged/events/2\" reason: \"x\"" + rid, Code::FAILED_PRECONDITION, "claims/merged/events/2");

  // ListClaimEvents.
  add("ParentMissing", "ListClaimEvents", "page_size: 5", kInvalid, "parent");
  add("KindUnknownEnum", "ListClaimEvents", "parent: \"claims/troops\" kinds: 99", kInvalid, "kinds[0]");
  add("RecordedBoundsReversed", "ListClaimEvents", "parent: \"claims/troops\" recorded_after { seconds: 2000000000 } recorded_before { seconds: 1000000000 }", kInvalid, "recorded_before");
  add("TamperedPageToken", "ListClaimEvents", "parent: \"claims/troops\" page_token: \"$TAMPERED_EVENTS_TOKEN\"", kInvalid, "page_token");
  add("PageTokenOfAnotherClaim", "ListClaimEvents", "parent: \"claims/other\" page_token: \"$EVENTS_TOKEN\"", kInvalid, "page_token");
  add("ParentAbsent", "ListClaimEvents", "parent: \"claims/nobody\"", Code::NOT_FOUND, "claims/nobody");

  // DiffClaim.
  add("NameMissing", "DiffClaim", "from_time { seconds: 1 }", kInvalid, "name");
  add("TimesReversed", "DiffClaim", "name: \"claims/troops\" from_time { seconds: 2000000000 } to_time { seconds: 1000000000 }", kInvalid, "to_time");
  add("Absent", "DiffClaim", "name: \"claims/nobody\"", Code::NOT_FOUND, "claims/nobody");

  // SearchClaims.
  add("QueryTooLong", "SearchClaims", "query: \"" + L(4097) + "\"", kInvalid, "query");
  add("CreatedBoundsReversed", "SearchClaims", "created_after { seconds: 2000000000 } created_before { seconds: 1000000000 }", kInvalid, "created_before");
  add("PageSizeTooLarge", "SearchClaims", "page_size: 5000", kInvalid, "page_size");
  add("TamperedPageToken", "SearchClaims", "query: \"troops\" page_token: \"$TAMPERED_SEARCH_TOKEN\"", kInvalid, "page_token");
  add("PageTokenOfAnotherQuery", "SearchClaims", "query: \"russia\" page_token: \"$SEARCH_TOKEN\"", kInvalid, "page_token");
  add("StateUnknownEnum", "SearchClaims", "state: 12", kInvalid, "state");

  // WatchClaims (server streaming; sent through the typed stub).
  add("KindUnknownEnum", "WatchClaims", "kinds: 99", kInvalid, "kinds[0]");
  add("ClaimMalformed", "WatchClaims", "claim: \"troops\"", kInvalid, "claim");
  add("ClaimAbsent", "WatchClaims", "claim: \"claims/nobody\"", Code::NOT_FOUND, "claims/nobody");
  add("FromNowWithAfterSequence", "WatchClaims", "from_now: true after_sequence: 3", kInvalid, "after_sequence");

  // Raw bytes: what text format cannot express.
  auto raw = [&cases](std::string name, std::string method, std::string text,
                      std::string marker, std::string bytes, Code code,
                      std::string names) {
    Case c;
    c.name = std::move(name);
    c.method = std::move(method);
    c.text = std::move(text);
    c.marker = std::move(marker);
    c.raw_bytes = std::move(bytes);
    c.code = code;
    c.names = std::move(names);
    cases.push_back(std::move(c));
  };
  auto body = [&cases](std::string name, std::string method, std::string bytes,
                       Code code, std::string names) {
    Case c;
    c.name = std::move(name);
    c.method = std::move(method);
    c.whole_body = std::move(bytes);
    c.use_whole_body = true;
    c.code = code;
    c.names = std::move(names);
    cases.push_back(std::move(c));
  };
  // Invalid UTF-8 in proto3 strings, and bytes that do not parse: refused
  // by the protobuf parser, named by the service's own parse.
  raw("InvalidUtf8Text", "CreateClaim", "claim { text: \"MARK\" }" + rid, "MARK", "\xff\xfe\xfd\xfc", kInvalid, "claim.text");
  raw("OverlongUtf8Text", "CreateClaim", "claim { text: \"MARK\" }" + rid, "MARK", "\xc0\xaf\xc0\xaf", kInvalid, "claim.text");
  raw("Utf16SurrogateText", "CreateClaim", "claim { text: \"MARK\" }" + rid, "MARK", "\xed\xa0\x80!", kInvalid, "claim.text");
  raw("InvalidUtf8Topic", "CreateClaim", "claim { text: \"t\" topics: \"ok\" topics: \"MARK\" }" + rid, "MARK", "\xf5\x80\x80\x80", kInvalid, "claim.topics[1]");
  raw("InvalidUtf8HopSource", "CreateClaim", "claim { text: \"t\" attributions { " + hop + "hops { source: \"sources/MARK\" } } }" + rid, "MARK", "\xf4\x90\x80\x80", kInvalid, "claim.attributions[0].hops[1].source");
  raw("InvalidUtf8DisplayName", "CreateSource", "source { display_name: \"MARK\" kind: SOURCE_KIND_PERSON }" + rid, "MARK", "\x80\x80\x80\x80", kInvalid, "source.display_name");
  raw("InvalidUtf8Name", "GetClaim", "name: \"claims/MARK\"", "MARK", "\xfe\xfe\xfe\xfe", kInvalid, "name");
  raw("InvalidUtf8Party", "RecordStance", "claim: \"claims/troops\" stance { party: \"MARK\" position: STANCE_POSITION_DENIED }" + rid, "MARK", "\xc3\x28\xc3\x28", kInvalid, "stance.party");
  raw("InvalidUtf8RequestId", "RecordStance", "claim: \"claims/troops\" stance { party: \"sources/russia\" position: STANCE_POSITION_DENIED } request_id: \"MARK\"", "MARK", "\xe2\x82\x28\x29", kInvalid, "request_id");
  raw("InvalidUtf8PageToken", "ListClaims", "page_token: \"MARK\"", "MARK", "\xf8\x88\x80\x80", kInvalid, "page_token");
  raw("InvalidUtf8Claim", "WatchClaims", "claim: \"claims/MARK\"", "MARK", "\xff\xff\xff\xff", kInvalid, "claim");
  raw("InvalidUtf8TokenPrincipal", "CreateToken", "token { principal: \"users/MARK\" roles: ROLE_READER }", "MARK", "\xff\xff\xff\xff", kInvalid, "token.principal");
  raw("InvalidUtf8Reason", "RevokeToken", "name: \"tokens/x\" reason: \"MARK\"", "MARK", "\xc0\x80\xc0\x80", kInvalid, "reason");
  // Bytes that are not a message of the type at all.
  body("GarbageBytes", "CreateClaim", "\xff\xff\xff\xff\xff\xff", kInvalid, "request");
  body("TruncatedMessage", "CreateClaim", std::string("\x0a\x20\x12\x05short", 9), kInvalid, "request");
  // claim { attributions { hops: <5 bytes announced, none there> } }
  body("TruncatedNestedMessage", "CreateClaim", std::string("\x0a\x04\x3a\x02\x12\x05", 6), kInvalid, "claim.attributions[0]");
  body("WrongWireType", "GetClaim", std::string("\x0d\x01\x02\x03\x04", 5), kInvalid, "name");
  // Every RPC of every service, unary or streaming: bytes that are no
  // message. Named after the request type, not answered UNIMPLEMENTED.
  for (service::RpcMethod method : service::AllRpcMethods()) {
    body("NotAMessage", std::string(service::RpcMethodName(method)), "\x0b\x0b\x0b", kInvalid, "request");
  }
  // Larger than the server's max_message_bytes: refused by gRPC, unread.
  raw("OversizeMessage", "CreateClaim", "claim { text: \"MARK\" }" + rid, "", "", Code::RESOURCE_EXHAUSTED, "larger than");
  return cases;
}

// ---- The fixture ledger and the runner. ----------------------------------

class BadInputTest : public ::testing::TestWithParam<Case> {
 public:
  static void SetUpTestSuite() {
    const char* tmp = std::getenv("TEST_TMPDIR");
    ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.data_dir = absl::StrCat(tmp ? tmp : "/tmp", "/bad-input-", getpid());
    options.authorizer = std::make_shared<AllowAll>();
    options.max_message_bytes = kMaxMessageBytes;
    auto server = ClaimTrailServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(server).value().release();
    target_ = absl::StrCat("127.0.0.1:", server_->port());
    auto channel =
        grpc::CreateChannel(target_, grpc::InsecureChannelCredentials());
    stub_ = v1::ClaimTrail::NewStub(channel).release();
    generic_ = new grpc::GenericStub(channel);
    CreateFixtures();
  }

  static void TearDownTestSuite() {
    delete generic_;
    delete stub_;
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(5));
    delete server_;
    delete substitutions_;
  }

 protected:
  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    return context;
  }

  // The RPC called `method` in the ClaimTrail, Admin or Reports service.
  static const google::protobuf::MethodDescriptor* Method(
      const std::string& method) {
    for (service::RpcMethod rpc : service::AllRpcMethods()) {
      if (service::RpcMethodName(rpc) != method) continue;
      const google::protobuf::ServiceDescriptor* owner =
          google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
              std::string(service::RpcServiceName(rpc)));
      if (owner != nullptr) return owner->FindMethodByName(method);
    }
    ADD_FAILURE() << "no RPC " << method;
    return nullptr;
  }

  // Sends `body` as the request of `method` (unary or streaming); `response`
  // gets the last response message's bytes.
  static grpc::Status CallRaw(const std::string& method,
                              const std::string& body,
                              std::string* response = nullptr) {
    const google::protobuf::MethodDescriptor* rpc = Method(method);
    if (rpc == nullptr) return grpc::Status(grpc::StatusCode::INTERNAL, method);
    testing::RawCall call;
    call.path = absl::StrCat("/", rpc->service()->full_name(), "/", method);
    call.body = body;
    // An admitted stream stays open until its deadline.
    call.timeout =
        rpc->server_streaming() ? absl::Seconds(5) : absl::Seconds(30);
    std::vector<std::string> responses;
    grpc::Status status = testing::CallWithBytes(*generic_, call, &responses);
    if (response != nullptr && !responses.empty()) *response = responses.back();
    return status;
  }

  // The request message of `method`, parsed from text.
  static std::unique_ptr<google::protobuf::Message> Request(
      const std::string& method, const std::string& text) {
    const google::protobuf::MethodDescriptor* rpc = Method(method);
    if (rpc == nullptr) return nullptr;
    std::unique_ptr<google::protobuf::Message> message(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(rpc->input_type())
            ->New());
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, message.get()))
        << method << ": " << text.substr(0, 300);
    return message;
  }

  template <typename Response>
  static Response MustCall(const std::string& method, const std::string& text) {
    std::unique_ptr<google::protobuf::Message> request = Request(method, text);
    std::string bytes;
    grpc::Status status =
        CallRaw(method, request->SerializeAsString(), &bytes);
    EXPECT_TRUE(status.ok()) << method << ": " << status.error_message();
    Response response;
    EXPECT_TRUE(response.ParseFromString(bytes));
    return response;
  }

  static int fixture_requests_;
  static std::string FixtureRid() {
    return absl::StrCat(" request_id: \"fixture-", ++fixture_requests_, "\"");
  }

  static void CreateFixtures() {
    for (const char* id : {"nis", "russia", "north-korea"}) {
      MustCall<v1::Source>("CreateSource",
                           absl::StrCat("source_id: \"", id,
                                        "\" source { display_name: \"", id,
                                        "\" kind: SOURCE_KIND_AGENCY }",
                                        FixtureRid()));
    }
    MustCall<v1::Source>(
        "CreateSource",
        "source_id: \"kcna\" source { display_name: \"KCNA\" kind: "
        "SOURCE_KIND_STATE_MEDIA affiliation: \"sources/north-korea\" }" +
            FixtureRid());
    MustCall<v1::Claim>(
        "CreateClaim",
        "claim_id: \"troops\" claim { text: \"North Korea has sent troops to "
        "Russia.\" topics: \"north-korea\" figures { figure_id: \"troops\" "
        "lower_bound: 10000 unit: \"soldiers\" qualifier: "
        "FIGURE_QUALIFIER_OVER } attributions { hops { source: "
        "\"sources/nis\" verb: ATTRIBUTION_VERB_CONFIRMED } } }" +
            FixtureRid());
    MustCall<v1::Claim>("RecordStance",
                        "claim: \"claims/troops\" stance { party: "
                        "\"sources/russia\" position: "
                        "STANCE_POSITION_NOT_CONFIRMED }" +
                            FixtureRid());
    for (const char* id : {"other", "merged", "retracted", "extra"}) {
      MustCall<v1::Claim>(
          "CreateClaim",
          absl::StrCat("claim_id: \"", id, "\" claim { text: \"More troops ",
                       id, " in Russia.\" }", FixtureRid()));
    }
    MustCall<v1::Claim>("LinkClaims",
                        "claim: \"claims/troops\" relation { type: "
                        "RELATION_TYPE_SUPERSEDES target: \"claims/other\" }" +
                            FixtureRid());
    MustCall<v1::Claim>("MergeClaims",
                        "claim: \"claims/merged\" into: \"claims/extra\"" +
                            FixtureRid());
    MustCall<v1::Claim>(
        "RetractClaim",
        "claim: \"claims/retracted\" reason: \"withdrawn\"" + FixtureRid());

    auto& subs = *(substitutions_ = new std::vector<std::pair<std::string, std::string>>);
    subs.emplace_back("$FUTURE", absl::StrCat(absl::ToUnixSeconds(
                                     absl::Now() + absl::Hours(24))));
    subs.emplace_back("$TROOPS_ETAG", ClaimEtag("troops"));
    subs.emplace_back("$OTHER_ETAG", ClaimEtag("other"));
    subs.emplace_back(
        "$NIS_ETAG",
        MustCall<v1::Source>("GetSource", "name: \"sources/nis\"").etag());
    subs.emplace_back(
        "$RUSSIA_ETAG",
        MustCall<v1::Source>("GetSource", "name: \"sources/russia\"").etag());
    auto token_pair = [&subs](const std::string& name, std::string token) {
      EXPECT_FALSE(token.empty()) << name;
      std::string tampered = token;
      const size_t at = tampered.size() / 2;
      tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
      // Longest names first so "$X_TOKEN" does not eat "$TAMPERED_X_TOKEN".
      subs.emplace(subs.begin(), absl::StrCat("$TAMPERED_", name), tampered);
      subs.emplace(subs.begin(), absl::StrCat("$TRUNCATED_", name),
                   token.substr(0, token.size() - 4));
      subs.emplace_back(absl::StrCat("$", name), token);
    };
    token_pair("CLAIMS_TOKEN",
               MustCall<v1::ListClaimsResponse>("ListClaims", "page_size: 1")
                   .next_page_token());
    token_pair(
        "SOURCES_TOKEN",
        MustCall<v1::ListSourcesResponse>("ListSources", "page_size: 1")
            .next_page_token());
    token_pair("EVENTS_TOKEN", MustCall<v1::ListClaimEventsResponse>(
                                   "ListClaimEvents",
                                   "parent: \"claims/troops\" page_size: 1")
                                   .next_page_token());
    token_pair("SEARCH_TOKEN",
               MustCall<v1::SearchClaimsResponse>(
                   "SearchClaims", "query: \"troops\" page_size: 1")
                   .next_page_token());
  }

  static std::string ClaimEtag(const std::string& id) {
    return MustCall<v1::Claim>("GetClaim",
                               absl::StrCat("name: \"claims/", id, "\""))
        .etag();
  }

  // Everything a rejected request must leave as it was.
  static std::string Snapshot() {
    v1::ServerInfo info = MustCall<v1::ServerInfo>("GetServerInfo", "");
    std::string out = absl::StrCat("seq=", info.last_sequence(),
                                   " claims=", info.claim_count(),
                                   " sources=", info.source_count());
    for (const char* id : {"troops", "other", "merged", "retracted", "extra"}) {
      absl::StrAppend(&out, " ", id, "=", ClaimEtag(id));
    }
    for (const char* id : {"nis", "russia", "north-korea", "kcna"}) {
      absl::StrAppend(&out, " ", id, "=",
                      MustCall<v1::Source>(
                          "GetSource", absl::StrCat("name: \"sources/", id, "\""))
                          .etag());
    }
    return out;
  }

  static std::string Substitute(const std::string& text) {
    static int next_request = 0;
    std::string out = absl::StrReplaceAll(
        text, {{"$RID", absl::StrCat("bad-input-", ++next_request)}});
    for (const auto& [from, to] : *substitutions_) {
      out = absl::StrReplaceAll(out, {{from, to}});
    }
    return out;
  }

  static grpc::Status Send(const Case& c) {
    if (c.use_whole_body) return CallRaw(c.method, c.whole_body);
    const std::string text = Substitute(c.text);
    if (c.method == "WatchClaims" && c.marker.empty()) {
      auto request = Request(c.method, text);
      auto context = Context();
      context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
      auto reader = stub_->WatchClaims(
          context.get(), static_cast<const v1::WatchClaimsRequest&>(*request));
      v1::WatchClaimsResponse response;
      while (reader->Read(&response)) {
      }
      return reader->Finish();
    }
    std::string bytes = Request(c.method, text)->SerializeAsString();
    if (c.name == "OversizeMessage") {
      // Pad the text past the server's limit (as a valid string).
      bytes = Request(c.method, absl::StrReplaceAll(
                                    text, {{"MARK", L(kMaxMessageBytes + 1)}}))
                  ->SerializeAsString();
    } else if (!c.marker.empty()) {
      const size_t at = bytes.find(c.marker);
      EXPECT_NE(at, std::string::npos);
      if (at != std::string::npos) bytes.replace(at, c.marker.size(), c.raw_bytes);
    }
    return CallRaw(c.method, bytes);
  }

  static ClaimTrailServer* server_;
  static std::string target_;
  static v1::ClaimTrail::Stub* stub_;
  static grpc::GenericStub* generic_;
  static std::vector<std::pair<std::string, std::string>>* substitutions_;
};

ClaimTrailServer* BadInputTest::server_ = nullptr;
std::string BadInputTest::target_;
v1::ClaimTrail::Stub* BadInputTest::stub_ = nullptr;
grpc::GenericStub* BadInputTest::generic_ = nullptr;
std::vector<std::pair<std::string, std::string>>* BadInputTest::substitutions_ =
    nullptr;
int BadInputTest::fixture_requests_ = 0;

TEST_P(BadInputTest, IsRefusedNamingTheFieldAndChangesNothing) {
  ASSERT_NE(server_, nullptr);
  const Case& c = GetParam();
  if (!c.known_issue.empty()) GTEST_SKIP() << c.known_issue;
  const std::string before = Snapshot();
  const grpc::Status status = Send(c);
  EXPECT_EQ(status.error_code(), c.code)
      << c << ": " << status.error_code() << " " << status.error_message();
  if (c.code == Code::INVALID_ARGUMENT) {
    EXPECT_THAT(status.error_message(), StartsWith(c.names + ": "))
        << c << ": " << status.error_message();
  } else if (!c.names.empty()) {
    EXPECT_THAT(status.error_message(), HasSubstr(c.names))
        << c << ": " << status.error_message();
  }
  EXPECT_FALSE(status.error_message().empty()) << c;
  EXPECT_EQ(Snapshot(), before) << c << " changed storage";
}

INSTANTIATE_TEST_SUITE_P(
    AllRpcs, BadInputTest, ::testing::ValuesIn(Cases()),
    [](const ::testing::TestParamInfo<Case>& info) {
      return absl::StrCat(info.param.method, "_", info.param.name);
    });

// The suite covers every RPC that takes input, with at least 100 cases.
TEST(BadInputCoverage, AtLeastOneHundredCasesOverEveryRpc) {
  std::set<std::string> methods;
  for (const Case& c : Cases()) methods.insert(c.method);
  EXPECT_GE(Cases().size(), 100u);
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          v1::ClaimTrail::service_full_name());
  ASSERT_NE(service, nullptr);
  for (int i = 0; i < service->method_count(); ++i) {
    const google::protobuf::MethodDescriptor* method = service->method(i);
    if (method->name() == "GetServerInfo") continue;  // Takes no input.
    EXPECT_TRUE(methods.count(method->name())) << method->name();
  }
}

}  // namespace
}  // namespace claimtrail
