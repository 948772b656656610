#include "server/core/validation.h"

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "server/core/limits.h"

namespace claimtrail {
namespace core {
namespace {

using ::testing::HasSubstr;
using ::testing::Pair;

template <typename Message>
Message Parse(const std::string& text) {
  Message message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message))
      << text;
  return message;
}

google::protobuf::Timestamp FromNow(absl::Duration offset) {
  const absl::Time time = absl::Now() + offset;
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(absl::ToUnixSeconds(time));
  return timestamp;
}

const std::string kInvalidUtf8 = "bad \xc3\x28 byte";

// ---- Valid requests; each case below breaks one thing.

v1::CreateSourceRequest ValidCreateSource() {
  return Parse<v1::CreateSourceRequest>(R"pb(
    source {
      display_name: "National Intelligence Service"
      kind: SOURCE_KIND_AGENCY
      aliases: "NIS"
      aliases: "South Korea's spy agency"
      affiliation: "sources/south-korea"
      reliability: RELIABILITY_GRADE_B
      country: "KR"
      url: "https://www.nis.go.kr/"
      description: "South Korea's intelligence agency."
    }
    source_id: "nis"
    request_id: "6f1c2a9e-1b7d-4c1e-9a57-2f0b8e6c9d11"
  )pb");
}

v1::UpdateSourceRequest ValidUpdateSource() {
  return Parse<v1::UpdateSourceRequest>(R"pb(
    source { name: "sources/nis" aliases: "NIS" }
    update_mask { paths: "aliases" }
    etag: "5025e36716f19410"
    request_id: "req-2"
  )pb");
}

// The running example of BRIEF §2, with every part filled in.
v1::CreateClaimRequest ValidCreateClaim() {
  return Parse<v1::CreateClaimRequest>(R"pb(
    claim {
      text: "North Korea has sent troops to Russia to support its war against Ukraine."
      parts {
        subject: "North Korea"
        predicate: "sent troops to"
        object: "Russia"
        place: "Kursk region"
        period {
          start_time { seconds: 1727740800 }
          end_time { seconds: 1742515200 }
        }
      }
      topics: "north-korea"
      topics: "russia"
      language: "en"
      figures {
        figure_id: "troops"
        label: "North Korean soldiers sent to Russia"
        lower_bound: 10000
        unit: "soldiers"
        qualifier: FIGURE_QUALIFIER_OVER
        sources { source: "sources/nis" verb: ATTRIBUTION_VERB_ESTIMATED }
      }
      figures {
        figure_id: "aid_usd"
        amount: 1500
        lower_bound: 1000
        upper_bound: 2000
        unit: "USD"
        qualifier: FIGURE_QUALIFIER_BETWEEN
      }
      attributions {
        hops {
          source: "sources/nis"
          verb: ATTRIBUTION_VERB_SAID
          credibility: 2
          asserted_time { seconds: 1742428800 }
        }
        hops {
          source: "sources/straitstimes"
          verb: ATTRIBUTION_VERB_REPORTED
          appearance {
            url: "https://www.straitstimes.com/asia/nk"
            outlet: "straitstimes.com"
            publish_time { seconds: 1742515200 }
          }
        }
      }
      attributions {
        hops {
          source: "sources/officials"
          verb: ATTRIBUTION_VERB_BRIEFED
          anonymous: true
          anonymity_reason: "not authorised to speak to the media"
        }
        figure_id: "troops"
      }
      stances {
        party: "sources/north-korea"
        position: STANCE_POSITION_NOT_CONFIRMED
      }
      stances {
        party: "sources/russia"
        position: STANCE_POSITION_NOT_CONFIRMED
        evidence { url: "http://kremlin.ru:8080/events?id=1#top" }
      }
      appearances {
        url: "https://www.straitstimes.com/asia/nk"
        outlet: "straitstimes.com"
        outlet_source: "sources/straitstimes"
        quote: "over 10,000 North Korean soldiers were dispatched to Russia"
        title: "NK weapons test"
      }
      # Output only: ignored.
      name: "not a name"
      state: CLAIM_STATE_CONFIRMED
      relations { type: RELATION_TYPE_INVERSE }
    }
    claim_id: "nk-troops"
    request_id: "req-1"
    context {
      note: "logged from the article"
      asserted_time { seconds: 1742428800 }
      valid_time { start_time { seconds: 1727740800 } }
    }
  )pb");
}

v1::UpdateClaimRequest ValidUpdateClaim() {
  return Parse<v1::UpdateClaimRequest>(R"pb(
    claim { name: "claims/nk-troops" text: "Corrected text." }
    update_mask { paths: "text" }
    request_id: "req-3"
  )pb");
}

template <typename Request>
Request Verb(const std::string& text) {
  Request request = Parse<Request>(text);
  request.set_claim("claims/nk-troops");
  request.set_request_id("req-4");
  return request;
}

v1::AddAttributionRequest ValidAddAttribution() {
  return Verb<v1::AddAttributionRequest>(R"pb(
    attribution {
      hops { source: "sources/yonhap" verb: ATTRIBUTION_VERB_REPORTED }
      figure_id: "troops"
    }
  )pb");
}

v1::ReviseFigureRequest ValidReviseFigure() {
  return Verb<v1::ReviseFigureRequest>(R"pb(
    figure {
      figure_id: "troops"
      amount: 12000
      unit: "soldiers"
      qualifier: FIGURE_QUALIFIER_ABOUT
    }
  )pb");
}

v1::RecordStanceRequest ValidRecordStance() {
  return Verb<v1::RecordStanceRequest>(R"pb(
    stance {
      party: "sources/russia"
      position: STANCE_POSITION_CONFIRMED
      statement: "Yes."
    }
  )pb");
}

v1::RecordVerdictRequest ValidRecordVerdict() {
  return Verb<v1::RecordVerdictRequest>(R"pb(
    verdict {
      rating: VERDICT_RATING_MOSTLY_TRUE
      rating_text: "Mostly true"
      review_url: "https://factcheck.example/nk-troops"
    }
  )pb");
}

v1::AddAppearanceRequest ValidAddAppearance() {
  return Verb<v1::AddAppearanceRequest>(R"pb(
    appearance { url: "https://en.yna.co.kr/view/1" outlet: "Yonhap" }
  )pb");
}

v1::LinkClaimsRequest ValidLinkClaims() {
  return Verb<v1::LinkClaimsRequest>(R"pb(
    relation { type: RELATION_TYPE_SUPPORTS target: "claims/other" }
  )pb");
}

v1::MergeClaimsRequest ValidMergeClaims() {
  v1::MergeClaimsRequest request = Verb<v1::MergeClaimsRequest>("");
  request.set_into("claims/other");
  return request;
}

v1::RetractClaimRequest ValidRetractClaim() {
  return Verb<v1::RetractClaimRequest>(R"pb(reason: "logged twice")pb");
}

v1::RedactEventRequest ValidRedactEvent() {
  return Parse<v1::RedactEventRequest>(R"pb(
    name: "claims/nk-troops/events/2"
    reason: "personal data"
    request_id: "req-5"
  )pb");
}

// Validate(a mutated copy of `request`).
template <typename Request, typename Mutate>
std::function<absl::Status()> With(Request request, Mutate mutate) {
  return [request, mutate]() mutable {
    mutate(request);
    return Validate(request);
  };
}

template <typename Request>
std::function<absl::Status()> As(Request request) {
  return [request] { return Validate(request); };
}

struct Case {
  std::string name;
  std::function<absl::Status()> validate;
  // The field path the error must start with; empty: the request is valid.
  std::string path;
};

void RunCases(const std::vector<Case>& cases) {
  for (const Case& test : cases) {
    SCOPED_TRACE(test.name);
    const absl::Status status = test.validate();
    if (test.path.empty()) {
      EXPECT_TRUE(status.ok()) << status;
      continue;
    }
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_TRUE(absl::StartsWith(status.message(), test.path + ": "))
        << "want path " << test.path << ", got: " << status.message();
  }
}

TEST(ValidationTest, Sources) {
  RunCases({
      {"create: valid", As(ValidCreateSource()), ""},
      {"create: minimal",
       As(Parse<v1::CreateSourceRequest>(R"pb(
         source { display_name: "Russia" kind: SOURCE_KIND_GOVERNMENT }
         request_id: "r"
       )pb")),
       ""},
      {"create: no display_name",
       With(ValidCreateSource(),
            [](auto& r) { r.mutable_source()->clear_display_name(); }),
       "source.display_name"},
      {"create: blank display_name",
       With(ValidCreateSource(),
            [](auto& r) { r.mutable_source()->set_display_name("  \t"); }),
       "source.display_name"},
      {"create: display_name not UTF-8",
       With(ValidCreateSource(),
            [](auto& r) { r.mutable_source()->set_display_name(kInvalidUtf8); }),
       "source.display_name"},
      {"create: display_name too long",
       With(ValidCreateSource(),
            [](auto& r) {
              r.mutable_source()->set_display_name(std::string(257, 'x'));
            }),
       "source.display_name"},
      {"create: no kind",
       With(ValidCreateSource(), [](auto& r) { r.mutable_source()->clear_kind(); }),
       "source.kind"},
      {"create: unknown kind",
       With(ValidCreateSource(),
            [](auto& r) {
              r.mutable_source()->set_kind(static_cast<v1::SourceKind>(99));
            }),
       "source.kind"},
      {"create: empty alias",
       With(ValidCreateSource(),
            [](auto& r) { r.mutable_source()->set_aliases(1, ""); }),
       "source.aliases[1]"},
      {"create: too many aliases",
       With(ValidCreateSource(),
            [](auto& r) {
              for (int i = 0; i < kMaxAliases; ++i) {
                r.mutable_source()->add_aliases(absl::StrCat("alias ", i));
              }
            }),
       "source.aliases"},
      {"create: malformed affiliation",
       With(ValidCreateSource(),
            [](auto& r) { r.mutable_source()->set_affiliation("south-korea"); }),
       "source.affiliation"},
      {"create: affiliated with itself",
       With(ValidCreateSource(),
            [](auto& r) { r.mutable_source()->set_affiliation("sources/nis"); }),
       "source.affiliation"},
      {"create: unknown reliability",
       With(ValidCreateSource(),
            [](auto& r) {
              r.mutable_source()->set_reliability(
                  static_cast<v1::ReliabilityGrade>(7));
            }),
       "source.reliability"},
      {"create: country too long",
       With(ValidCreateSource(),
            [](auto& r) { r.mutable_source()->set_country(std::string(65, 'k')); }),
       "source.country"},
      {"create: ftp url",
       With(ValidCreateSource(),
            [](auto& r) { r.mutable_source()->set_url("ftp://nis.go.kr/"); }),
       "source.url"},
      {"create: description too long",
       With(ValidCreateSource(),
            [](auto& r) {
              r.mutable_source()->set_description(std::string(4097, 'd'));
            }),
       "source.description"},
      {"create: source_id starts with a digit",
       With(ValidCreateSource(), [](auto& r) { r.set_source_id("1nis"); }),
       "source_id"},
      {"create: source_id upper-case",
       With(ValidCreateSource(), [](auto& r) { r.set_source_id("NIS"); }),
       "source_id"},
      {"create: source_id too long",
       With(ValidCreateSource(),
            [](auto& r) { r.set_source_id(std::string(64, 'n')); }),
       "source_id"},
      {"create: source_id of 63",
       With(ValidCreateSource(),
            [](auto& r) { r.set_source_id(std::string(63, 'n')); }),
       ""},
      {"create: no request_id",
       With(ValidCreateSource(), [](auto& r) { r.clear_request_id(); }),
       "request_id"},
      {"create: request_id with a space",
       With(ValidCreateSource(), [](auto& r) { r.set_request_id("a b"); }),
       "request_id"},
      {"create: request_id too long",
       With(ValidCreateSource(),
            [](auto& r) { r.set_request_id(std::string(129, 'r')); }),
       "request_id"},
      {"create: request_id of 128 of every allowed character",
       With(ValidCreateSource(),
            [](auto& r) {
              r.set_request_id(std::string(122, 'r') + "Z9._:-");
            }),
       ""},

      {"update: valid", As(ValidUpdateSource()), ""},
      {"update: unmasked fields are not checked",
       With(ValidUpdateSource(),
            [](auto& r) { r.mutable_source()->set_url("not a url"); }),
       ""},
      {"update: no name",
       With(ValidUpdateSource(), [](auto& r) { r.mutable_source()->clear_name(); }),
       "source.name"},
      {"update: claim name",
       With(ValidUpdateSource(),
            [](auto& r) { r.mutable_source()->set_name("claims/nis"); }),
       "source.name"},
      {"update: no mask",
       With(ValidUpdateSource(), [](auto& r) { r.clear_update_mask(); }),
       "update_mask"},
      {"update: output-only path",
       With(ValidUpdateSource(),
            [](auto& r) { r.mutable_update_mask()->add_paths("etag"); }),
       "update_mask.paths[1]"},
      {"update: masked display_name cleared",
       With(ValidUpdateSource(),
            [](auto& r) { r.mutable_update_mask()->add_paths("display_name"); }),
       "source.display_name"},
      {"update: masked self-affiliation",
       With(ValidUpdateSource(),
            [](auto& r) {
              r.mutable_update_mask()->add_paths("affiliation");
              r.mutable_source()->set_affiliation("sources/nis");
            }),
       "source.affiliation"},
      {"update: etag too long",
       With(ValidUpdateSource(),
            [](auto& r) { r.set_etag(std::string(kEtagHexDigits + 1, 'e')); }),
       "etag"},
      {"update: etag not one of ours",
       With(ValidUpdateSource(), [](auto& r) { r.set_etag("not-an-etag"); }),
       "etag"},
      {"update: source.etag not one of ours",
       With(ValidUpdateSource(),
            [](auto& r) {
              r.clear_etag();
              r.mutable_source()->set_etag("not-an-etag");
            }),
       "source.etag"},
      {"update: source.etag and etag differ",
       With(ValidUpdateSource(),
            [](auto& r) { r.mutable_source()->set_etag("0123456789abcdef"); }),
       "source.etag"},
      {"update: source.etag same as etag",
       With(ValidUpdateSource(),
            [](auto& r) { r.mutable_source()->set_etag(r.etag()); }),
       ""},
      {"update: no request_id",
       With(ValidUpdateSource(), [](auto& r) { r.clear_request_id(); }),
       "request_id"},

      {"get: valid",
       As(Parse<v1::GetSourceRequest>(R"pb(name: "sources/nis")pb")), ""},
      {"get: no name", As(v1::GetSourceRequest()), "name"},
      {"get: malformed name",
       As(Parse<v1::GetSourceRequest>(R"pb(name: "sources/nis/x")pb")),
       "name"},

      {"list: valid",
       As(Parse<v1::ListSourcesRequest>(
           R"pb(page_size: 1000 query: "spy agency" kind: SOURCE_KIND_AGENCY)pb")),
       ""},
      {"list: negative page_size",
       As(Parse<v1::ListSourcesRequest>(R"pb(page_size: -1)pb")),
       "page_size"},
      {"list: page_size too large",
       As(Parse<v1::ListSourcesRequest>(R"pb(page_size: 1001)pb")),
       "page_size"},
      {"list: unknown kind",
       As(Parse<v1::ListSourcesRequest>(R"pb(kind: 42)pb")), "kind"},
  });
}

TEST(ValidationTest, CreateClaim) {
  RunCases({
      {"valid", As(ValidCreateClaim()), ""},
      {"minimal", As(Parse<v1::CreateClaimRequest>(R"pb(claim { text: "x" }
                                                        request_id: "r")pb")),
       ""},
      {"no text",
       With(ValidCreateClaim(),
            [](auto& r) { r.mutable_claim()->clear_text(); }),
       "claim.text"},
      {"blank text",
       With(ValidCreateClaim(),
            [](auto& r) { r.mutable_claim()->set_text(" \n "); }),
       "claim.text"},
      {"text too long",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->set_text(std::string(kMaxClaimTextBytes + 1, 't'));
            }),
       "claim.text"},
      {"text at the limit",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->set_text(std::string(kMaxClaimTextBytes, 't'));
            }),
       ""},
      {"text not UTF-8",
       With(ValidCreateClaim(),
            [](auto& r) { r.mutable_claim()->set_text(kInvalidUtf8); }),
       "claim.text"},
      {"text with an encoded surrogate",
       With(ValidCreateClaim(),
            [](auto& r) { r.mutable_claim()->set_text("a\xed\xa0\x80z"); }),
       "claim.text"},
      {"text with an overlong encoding",
       With(ValidCreateClaim(),
            [](auto& r) { r.mutable_claim()->set_text("a\xc0\xafz"); }),
       "claim.text"},
      {"text in other scripts",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->set_text("북한군 러시아 파병 \xf0\x9f\x87\xb0");
            }),
       ""},
      {"subject too long",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_parts()->set_subject(std::string(257, 's'));
            }),
       "claim.parts.subject"},
      {"period ends before it starts",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()
                  ->mutable_parts()
                  ->mutable_period()
                  ->mutable_end_time()
                  ->set_seconds(1000);
            }),
       "claim.parts.period.end_time"},
      {"upper-case topic",
       With(ValidCreateClaim(),
            [](auto& r) { r.mutable_claim()->set_topics(0, "North-Korea"); }),
       "claim.topics[0]"},
      {"empty topic",
       With(ValidCreateClaim(),
            [](auto& r) { r.mutable_claim()->set_topics(1, ""); }),
       "claim.topics[1]"},
      {"topic too long",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->set_topics(1, std::string(kMaxTopicBytes + 1, 't'));
            }),
       "claim.topics[1]"},
      {"too many topics",
       With(ValidCreateClaim(),
            [](auto& r) {
              for (int i = 0; i < kMaxTopics; ++i) {
                r.mutable_claim()->add_topics(absl::StrCat("t", i));
              }
            }),
       "claim.topics"},
      {"language with a space",
       With(ValidCreateClaim(),
            [](auto& r) { r.mutable_claim()->set_language("en us"); }),
       "claim.language"},
      {"language too long",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->set_language(std::string(36, 'a'));
            }),
       "claim.language"},

      // Figures.
      {"figure without id",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_figures(0)->clear_figure_id();
            }),
       "claim.figures[0].figure_id"},
      {"figure id with upper case",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_figures(0)->set_figure_id("Troops");
            }),
       "claim.figures[0].figure_id"},
      {"duplicate figure id",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_figures(1)->set_figure_id("troops");
            }),
       "claim.figures[1].figure_id"},
      {"label too long",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_figures(0)->set_label(std::string(513, 'l'));
            }),
       "claim.figures[0].label"},
      {"figure without qualifier",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_figures(0)->clear_qualifier();
            }),
       "claim.figures[0].qualifier"},
      {"figure with unknown qualifier",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_figures(0)->set_qualifier(
                  static_cast<v1::FigureQualifier>(8));
            }),
       "claim.figures[0].qualifier"},
      {"over without lower bound",
       With(ValidCreateClaim(),
            [](auto& r) {
              v1::Figure* f = r.mutable_claim()->mutable_figures(0);
              f->clear_lower_bound();
              f->set_amount(10000);
            }),
       "claim.figures[0].lower_bound"},
      {"at least without lower bound",
       With(ValidCreateClaim(),
            [](auto& r) {
              v1::Figure* f = r.mutable_claim()->mutable_figures(0);
              f->set_qualifier(v1::FIGURE_QUALIFIER_AT_LEAST);
              f->clear_lower_bound();
              f->set_upper_bound(5);
            }),
       "claim.figures[0].lower_bound"},
      {"up to without upper bound",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_figures(0)->set_qualifier(
                  v1::FIGURE_QUALIFIER_UP_TO);
            }),
       "claim.figures[0].upper_bound"},
      {"under without upper bound",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_figures(0)->set_qualifier(
                  v1::FIGURE_QUALIFIER_UNDER);
            }),
       "claim.figures[0].upper_bound"},
      {"exact without amount",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_figures(0)->set_qualifier(
                  v1::FIGURE_QUALIFIER_EXACT);
            }),
       "claim.figures[0].amount"},
      {"about without amount",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_figures(0)->set_qualifier(
                  v1::FIGURE_QUALIFIER_ABOUT);
            }),
       "claim.figures[0].amount"},
      {"between without upper bound",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_figures(1)->clear_upper_bound();
            }),
       "claim.figures[1].upper_bound"},
      {"between without lower bound",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_figures(1)->clear_lower_bound();
            }),
       "claim.figures[1].lower_bound"},
      {"lower bound above upper bound",
       With(ValidCreateClaim(),
            [](auto& r) {
              v1::Figure* f = r.mutable_claim()->mutable_figures(1);
              f->set_lower_bound(5);
              f->set_upper_bound(3);
              f->clear_amount();
            }),
       "claim.figures[1].lower_bound"},
      {"amount below lower bound",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_figures(1)->set_amount(999);
            }),
       "claim.figures[1].amount"},
      {"amount above upper bound",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_figures(1)->set_amount(2001);
            }),
       "claim.figures[1].amount"},
      {"amount NaN",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_figures(0)->set_amount(std::nan(""));
            }),
       "claim.figures[0].amount"},
      {"lower bound infinite",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_figures(0)->set_lower_bound(
                  std::numeric_limits<double>::infinity());
            }),
       "claim.figures[0].lower_bound"},
      {"unit too long",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_figures(0)->set_unit(std::string(65, 'u'));
            }),
       "claim.figures[0].unit"},
      {"figure source without verb",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_figures(0)->mutable_sources(0)->clear_verb();
            }),
       "claim.figures[0].sources[0].verb"},
      {"figure valid time reversed",
       With(ValidCreateClaim(),
            [](auto& r) {
              v1::TimeInterval* t =
                  r.mutable_claim()->mutable_figures(0)->mutable_valid_time();
              t->mutable_start_time()->set_seconds(2000);
              t->mutable_end_time()->set_seconds(1000);
            }),
       "claim.figures[0].valid_time.end_time"},
      {"too many figures",
       With(ValidCreateClaim(),
            [](auto& r) {
              for (int i = 0; i < kMaxEntriesPerCreate - 1; ++i) {
                v1::Figure* f = r.mutable_claim()->add_figures();
                f->set_figure_id(absl::StrCat("f", i));
                f->set_amount(i);
                f->set_qualifier(v1::FIGURE_QUALIFIER_EXACT);
              }
            }),
       "claim.figures"},

      // Attributions and their hops.
      {"attribution without hops",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_attributions(0)->clear_hops();
            }),
       "claim.attributions[0].hops"},
      {"attribution with 17 hops",
       With(ValidCreateClaim(),
            [](auto& r) {
              v1::Attribution* a = r.mutable_claim()->mutable_attributions(0);
              while (a->hops_size() < kMaxHops + 1) *a->add_hops() = a->hops(0);
            }),
       "claim.attributions[0].hops"},
      {"attribution with 16 hops",
       With(ValidCreateClaim(),
            [](auto& r) {
              v1::Attribution* a = r.mutable_claim()->mutable_attributions(0);
              while (a->hops_size() < kMaxHops) *a->add_hops() = a->hops(0);
            }),
       ""},
      {"hop without source",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_attributions(0)->mutable_hops(1)->clear_source();
            }),
       "claim.attributions[0].hops[1].source"},
      {"hop with a claim as source",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_attributions(0)->mutable_hops(1)->set_source(
                  "claims/x");
            }),
       "claim.attributions[0].hops[1].source"},
      {"hop with unknown verb",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_attributions(0)->mutable_hops(0)->set_verb(
                  static_cast<v1::AttributionVerb>(9));
            }),
       "claim.attributions[0].hops[0].verb"},
      {"anonymous hop without reason",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()
                  ->mutable_attributions(1)
                  ->mutable_hops(0)
                  ->clear_anonymity_reason();
            }),
       "claim.attributions[1].hops[0].anonymity_reason"},
      {"credibility 7",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_attributions(0)->mutable_hops(0)->set_credibility(
                  7);
            }),
       "claim.attributions[0].hops[0].credibility"},
      {"negative credibility",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_attributions(0)->mutable_hops(0)->set_credibility(
                  -1);
            }),
       "claim.attributions[0].hops[0].credibility"},
      {"asserted in the future",
       With(ValidCreateClaim(),
            [](auto& r) {
              *r.mutable_claim()
                   ->mutable_attributions(0)
                   ->mutable_hops(0)
                   ->mutable_asserted_time() = FromNow(absl::Hours(1));
            }),
       "claim.attributions[0].hops[0].asserted_time"},
      {"asserted within clock skew",
       With(ValidCreateClaim(),
            [](auto& r) {
              *r.mutable_claim()
                   ->mutable_attributions(0)
                   ->mutable_hops(0)
                   ->mutable_asserted_time() = FromNow(absl::Minutes(2));
            }),
       ""},
      {"asserted_time with negative nanos",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()
                  ->mutable_attributions(0)
                  ->mutable_hops(0)
                  ->mutable_asserted_time()
                  ->set_nanos(-1);
            }),
       "claim.attributions[0].hops[0].asserted_time.nanos"},
      {"asserted_time before year 1",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()
                  ->mutable_attributions(0)
                  ->mutable_hops(0)
                  ->mutable_asserted_time()
                  ->set_seconds(kMinTimestampSeconds - 1);
            }),
       "claim.attributions[0].hops[0].asserted_time.seconds"},
      {"hop appearance with a relative url",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()
                  ->mutable_attributions(0)
                  ->mutable_hops(1)
                  ->mutable_appearance()
                  ->set_url("/asia/nk");
            }),
       "claim.attributions[0].hops[1].appearance.url"},
      {"hop appearance publish time after year 9999",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()
                  ->mutable_attributions(0)
                  ->mutable_hops(1)
                  ->mutable_appearance()
                  ->mutable_publish_time()
                  ->set_seconds(kMaxTimestampSeconds + 1);
            }),
       "claim.attributions[0].hops[1].appearance.publish_time.seconds"},
      {"hop appearance published in the future",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()
                  ->mutable_attributions(0)
                  ->mutable_hops(1)
                  ->mutable_appearance()
                  ->mutable_publish_time()
                  ->set_seconds(
                      absl::ToUnixSeconds(absl::Now() + absl::Hours(24)));
            }),
       "claim.attributions[0].hops[1].appearance.publish_time"},
      {"attribution of an unknown figure",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_attributions(1)->set_figure_id("tanks");
            }),
       "claim.attributions[1].figure_id"},
      {"too many attributions",
       With(ValidCreateClaim(),
            [](auto& r) {
              for (int i = 0; i < kMaxEntriesPerCreate - 1; ++i) {
                *r.mutable_claim()->add_attributions() = r.claim().attributions(0);
              }
            }),
       "claim.attributions"},

      // Stances.
      {"stance without party",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_stances(0)->clear_party();
            }),
       "claim.stances[0].party"},
      {"stance with malformed party",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_stances(0)->set_party("sources/North Korea");
            }),
       "claim.stances[0].party"},
      {"stance without position",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_stances(1)->clear_position();
            }),
       "claim.stances[1].position"},
      {"two stances of one party",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_stances(1)->set_party("sources/north-korea");
            }),
       "claim.stances[1].party"},
      {"stance evidence with a javascript url",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_stances(1)->mutable_evidence()->set_url(
                  "javascript:alert(1)");
            }),
       "claim.stances[1].evidence.url"},
      {"stance asserted in the future",
       With(ValidCreateClaim(),
            [](auto& r) {
              *r.mutable_claim()->mutable_stances(1)->mutable_asserted_time() =
                  FromNow(absl::Hours(24));
            }),
       "claim.stances[1].asserted_time"},

      // Appearances.
      {"appearance without url",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_appearances(0)->clear_url();
            }),
       "claim.appearances[0].url"},
      {"appearance url without host",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_appearances(0)->set_url("https:///path");
            }),
       "claim.appearances[0].url"},
      {"appearance url with a space",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_appearances(0)->set_url(
                  "https://straits times.com/");
            }),
       "claim.appearances[0].url"},
      {"appearance url too long",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_appearances(0)->set_url(
                  "https://x.com/" + std::string(kMaxUrlBytes, 'p'));
            }),
       "claim.appearances[0].url"},
      {"appearance url with userinfo and IPv6 host",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_appearances(0)->set_url(
                  "HTTPS://user@[2001:db8::1]:443/a");
            }),
       ""},
      {"appearance outlet_source malformed",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_appearances(0)->set_outlet_source(
                  "straitstimes");
            }),
       "claim.appearances[0].outlet_source"},
      {"appearance quote too long",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_appearances(0)->set_quote(
                  std::string(4097, 'q'));
            }),
       "claim.appearances[0].quote"},
      {"appearance title too long",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_claim()->mutable_appearances(0)->set_title(
                  std::string(513, 't'));
            }),
       "claim.appearances[0].title"},
      {"duplicate appearance",
       With(ValidCreateClaim(),
            [](auto& r) {
              *r.mutable_claim()->add_appearances() = r.claim().appearances(0);
            }),
       "claim.appearances[1].url"},

      // The rest of the request.
      {"claim_id starting with a hyphen",
       With(ValidCreateClaim(), [](auto& r) { r.set_claim_id("-nk"); }),
       "claim_id"},
      {"claim_id with upper case",
       With(ValidCreateClaim(), [](auto& r) { r.set_claim_id("NK"); }),
       "claim_id"},
      {"claim_id with a slash",
       With(ValidCreateClaim(), [](auto& r) { r.set_claim_id("nk/troops"); }),
       "claim_id"},
      {"no request_id",
       With(ValidCreateClaim(), [](auto& r) { r.clear_request_id(); }),
       "request_id"},
      {"note too long",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_context()->set_note(std::string(4097, 'n'));
            }),
       "context.note"},
      {"context asserted in the future",
       With(ValidCreateClaim(),
            [](auto& r) {
              *r.mutable_context()->mutable_asserted_time() =
                  FromNow(absl::Minutes(10));
            }),
       "context.asserted_time"},
      {"context valid time reversed",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_context()
                  ->mutable_valid_time()
                  ->mutable_end_time()
                  ->set_seconds(1);
            }),
       "context.valid_time.end_time"},
      {"context evidence with a bad url",
       With(ValidCreateClaim(),
            [](auto& r) {
              r.mutable_context()->mutable_evidence()->set_url("straitstimes.com");
            }),
       "context.evidence.url"},
  });
}

TEST(ValidationTest, ClaimReadsAndUpdates) {
  RunCases({
      {"get: valid",
       As(Parse<v1::GetClaimRequest>(R"pb(
         name: "claims/nk-troops"
         as_of { seconds: 1742515200 }
         valid_at { seconds: 1727740800 }
       )pb")),
       ""},
      {"get: server-assigned id starting with a digit",
       As(Parse<v1::GetClaimRequest>(R"pb(name: "claims/0f3a")pb")), ""},
      {"get: no name", As(v1::GetClaimRequest()), "name"},
      {"get: empty id",
       As(Parse<v1::GetClaimRequest>(R"pb(name: "claims/")pb")), "name"},
      {"get: source name",
       As(Parse<v1::GetClaimRequest>(R"pb(name: "sources/nis")pb")), "name"},
      {"get: bad as_of",
       As(Parse<v1::GetClaimRequest>(
           R"pb(name: "claims/a" as_of { nanos: 1000000000 })pb")),
       "as_of.nanos"},
      {"get: bad valid_at",
       As(Parse<v1::GetClaimRequest>(
           R"pb(name: "claims/a" valid_at { seconds: 253402300800 })pb")),
       "valid_at.seconds"},

      {"list: valid",
       As(Parse<v1::ListClaimsRequest>(R"pb(
         page_size: 10
         state: CLAIM_STATE_UNCONFIRMED
         topic: "north-korea"
         source: "sources/nis"
         party: "sources/russia"
       )pb")),
       ""},
      {"list: page_size",
       As(Parse<v1::ListClaimsRequest>(R"pb(page_size: 5000)pb")),
       "page_size"},
      {"list: unknown state",
       As(Parse<v1::ListClaimsRequest>(R"pb(state: 8)pb")), "state"},
      {"list: upper-case topic",
       As(Parse<v1::ListClaimsRequest>(R"pb(topic: "Russia")pb")), "topic"},
      {"list: malformed source",
       As(Parse<v1::ListClaimsRequest>(R"pb(source: "nis")pb")), "source"},
      {"list: malformed party",
       As(Parse<v1::ListClaimsRequest>(R"pb(party: "sources/")pb")), "party"},

      {"update: valid", As(ValidUpdateClaim()), ""},
      {"update: all fields",
       With(ValidUpdateClaim(),
            [](auto& r) {
              for (const char* path : {"parts", "topics", "language"}) {
                r.mutable_update_mask()->add_paths(path);
              }
              r.mutable_claim()->add_topics("dprk");
              r.mutable_claim()->set_language("en-GB");
            }),
       ""},
      {"update: unmasked text is not checked",
       With(ValidUpdateClaim(),
            [](auto& r) {
              r.mutable_update_mask()->set_paths(0, "language");
              r.mutable_claim()->set_text(kInvalidUtf8);
            }),
       ""},
      {"update: no name",
       With(ValidUpdateClaim(), [](auto& r) { r.mutable_claim()->clear_name(); }),
       "claim.name"},
      {"update: no mask",
       With(ValidUpdateClaim(), [](auto& r) { r.clear_update_mask(); }),
       "update_mask"},
      {"update: figures are not updatable",
       With(ValidUpdateClaim(),
            [](auto& r) { r.mutable_update_mask()->set_paths(0, "figures"); }),
       "update_mask.paths[0]"},
      {"update: empty path",
       With(ValidUpdateClaim(),
            [](auto& r) { r.mutable_update_mask()->add_paths(""); }),
       "update_mask.paths[1]"},
      {"update: masked text blank",
       With(ValidUpdateClaim(), [](auto& r) { r.mutable_claim()->set_text(""); }),
       "claim.text"},
      {"update: masked topics bad",
       With(ValidUpdateClaim(),
            [](auto& r) {
              r.mutable_update_mask()->add_paths("topics");
              r.mutable_claim()->add_topics("OK");
            }),
       "claim.topics[0]"},
      {"update: masked parts bad",
       With(ValidUpdateClaim(),
            [](auto& r) {
              r.mutable_update_mask()->add_paths("parts");
              r.mutable_claim()->mutable_parts()->set_place(kInvalidUtf8);
            }),
       "claim.parts.place"},
      {"update: no request_id",
       With(ValidUpdateClaim(), [](auto& r) { r.clear_request_id(); }),
       "request_id"},
  });
}

TEST(ValidationTest, CustomVerbs) {
  RunCases({
      {"attribution: valid", As(ValidAddAttribution()), ""},
      {"attribution: no claim",
       With(ValidAddAttribution(), [](auto& r) { r.clear_claim(); }), "claim"},
      {"attribution: no hops",
       With(ValidAddAttribution(),
            [](auto& r) { r.mutable_attribution()->clear_hops(); }),
       "attribution.hops"},
      {"attribution: malformed figure id",
       With(ValidAddAttribution(),
            [](auto& r) { r.mutable_attribution()->set_figure_id("a b"); }),
       "attribution.figure_id"},
      {"attribution: no request_id",
       With(ValidAddAttribution(), [](auto& r) { r.clear_request_id(); }),
       "request_id"},
      {"attribution: etag not UTF-8",
       With(ValidAddAttribution(), [](auto& r) { r.set_etag(kInvalidUtf8); }),
       "etag"},

      {"figure: valid", As(ValidReviseFigure()), ""},
      {"figure: no figure", With(ValidReviseFigure(),
                                 [](auto& r) { r.clear_figure(); }),
       "figure.figure_id"},
      {"figure: bounds reversed",
       With(ValidReviseFigure(),
            [](auto& r) {
              r.mutable_figure()->set_qualifier(v1::FIGURE_QUALIFIER_BETWEEN);
              r.mutable_figure()->clear_amount();
              r.mutable_figure()->set_lower_bound(12000);
              r.mutable_figure()->set_upper_bound(11000);
            }),
       "figure.lower_bound"},
      {"figure: no request_id",
       With(ValidReviseFigure(), [](auto& r) { r.clear_request_id(); }),
       "request_id"},

      {"stance: valid", As(ValidRecordStance()), ""},
      {"stance: unknown position",
       With(ValidRecordStance(),
            [](auto& r) {
              r.mutable_stance()->set_position(static_cast<v1::StancePosition>(8));
            }),
       "stance.position"},
      {"stance: statement too long",
       With(ValidRecordStance(),
            [](auto& r) {
              r.mutable_stance()->set_statement(std::string(4097, 's'));
            }),
       "stance.statement"},

      {"verdict: valid", As(ValidRecordVerdict()), ""},
      {"verdict: explanation at the limit",
       With(ValidRecordVerdict(),
            [](auto& r) {
              r.mutable_verdict()->set_explanation(
                  std::string(kMaxExplanationBytes, 'e'));
            }),
       ""},
      {"verdict: explanation too long",
       With(ValidRecordVerdict(),
            [](auto& r) {
              r.mutable_verdict()->set_explanation(
                  std::string(kMaxExplanationBytes + 1, 'e'));
            }),
       "verdict.explanation"},
      {"verdict: no rating",
       With(ValidRecordVerdict(),
            [](auto& r) { r.mutable_verdict()->clear_rating(); }),
       "verdict.rating"},
      {"verdict: rating_text too long",
       With(ValidRecordVerdict(),
            [](auto& r) {
              r.mutable_verdict()->set_rating_text(std::string(257, 'r'));
            }),
       "verdict.rating_text"},
      {"verdict: review url not http",
       With(ValidRecordVerdict(),
            [](auto& r) {
              r.mutable_verdict()->set_review_url("mailto:a@b.c");
            }),
       "verdict.review_url"},
      {"verdict: review url with a bad port",
       With(ValidRecordVerdict(),
            [](auto& r) {
              r.mutable_verdict()->set_review_url("https://a.example:80x/");
            }),
       "verdict.review_url"},

      {"appearance: valid", As(ValidAddAppearance()), ""},
      {"appearance: no url",
       With(ValidAddAppearance(),
            [](auto& r) { r.mutable_appearance()->clear_url(); }),
       "appearance.url"},
      {"appearance: no appearance",
       With(ValidAddAppearance(), [](auto& r) { r.clear_appearance(); }),
       "appearance.url"},

      {"link: valid", As(ValidLinkClaims()), ""},
      {"link: no type",
       With(ValidLinkClaims(),
            [](auto& r) { r.mutable_relation()->clear_type(); }),
       "relation.type"},
      {"link: unknown type",
       With(ValidLinkClaims(),
            [](auto& r) {
              r.mutable_relation()->set_type(static_cast<v1::RelationType>(8));
            }),
       "relation.type"},
      {"link: inverse is output only",
       With(ValidLinkClaims(),
            [](auto& r) {
              r.mutable_relation()->set_type(v1::RELATION_TYPE_INVERSE);
            }),
       "relation.type"},
      {"link: no target",
       With(ValidLinkClaims(),
            [](auto& r) { r.mutable_relation()->clear_target(); }),
       "relation.target"},
      {"link: malformed target",
       With(ValidLinkClaims(),
            [](auto& r) { r.mutable_relation()->set_target("claims/a/b"); }),
       "relation.target"},
      {"link: to itself",
       With(ValidLinkClaims(),
            [](auto& r) {
              r.mutable_relation()->set_target("claims/nk-troops");
            }),
       "relation.target"},
      {"link: note too long",
       With(ValidLinkClaims(),
            [](auto& r) {
              r.mutable_relation()->set_note(std::string(1025, 'n'));
            }),
       "relation.note"},

      {"merge: valid", As(ValidMergeClaims()), ""},
      {"merge: into itself",
       With(ValidMergeClaims(),
            [](auto& r) { r.set_into("claims/nk-troops"); }),
       "into"},
      {"merge: no into",
       With(ValidMergeClaims(), [](auto& r) { r.clear_into(); }), "into"},
      {"merge: malformed claim",
       With(ValidMergeClaims(), [](auto& r) { r.set_claim("nk-troops"); }),
       "claim"},
      {"merge: no request_id",
       With(ValidMergeClaims(), [](auto& r) { r.clear_request_id(); }),
       "request_id"},

      {"retract: valid", As(ValidRetractClaim()), ""},
      {"retract: no reason",
       With(ValidRetractClaim(), [](auto& r) { r.clear_reason(); }), "reason"},
      {"retract: blank reason",
       With(ValidRetractClaim(), [](auto& r) { r.set_reason("   "); }),
       "reason"},
      {"retract: bad context",
       With(ValidRetractClaim(),
            [](auto& r) { r.mutable_context()->set_note(kInvalidUtf8); }),
       "context.note"},

      {"redact: valid", As(ValidRedactEvent()), ""},
      {"redact: the creating event",
       With(ValidRedactEvent(),
            [](auto& r) { r.set_name("claims/nk-troops/events/1"); }),
       "name"},
      {"redact: revision 0",
       With(ValidRedactEvent(),
            [](auto& r) { r.set_name("claims/nk-troops/events/0"); }),
       "name"},
      {"redact: leading zero",
       With(ValidRedactEvent(),
            [](auto& r) { r.set_name("claims/nk-troops/events/02"); }),
       "name"},
      {"redact: not a number",
       With(ValidRedactEvent(),
            [](auto& r) { r.set_name("claims/nk-troops/events/two"); }),
       "name"},
      {"redact: claim name only",
       With(ValidRedactEvent(),
            [](auto& r) { r.set_name("claims/nk-troops"); }),
       "name"},
      {"redact: no reason",
       With(ValidRedactEvent(), [](auto& r) { r.clear_reason(); }), "reason"},
      {"redact: no request_id",
       With(ValidRedactEvent(), [](auto& r) { r.clear_request_id(); }),
       "request_id"},
  });
}

TEST(ValidationTest, HistoryAndSearch) {
  RunCases({
      {"events: valid",
       As(Parse<v1::ListClaimEventsRequest>(R"pb(
         parent: "claims/nk-troops"
         page_size: 100
         kinds: EVENT_KIND_STANCE_RECORDED
         kinds: EVENT_KIND_REDACTED
         recorded_after { seconds: 1 }
         recorded_before { seconds: 1 }
       )pb")),
       ""},
      {"events: no parent", As(v1::ListClaimEventsRequest()), "parent"},
      {"events: unspecified kind",
       As(Parse<v1::ListClaimEventsRequest>(R"pb(
         parent: "claims/a"
         kinds: EVENT_KIND_MERGED
         kinds: EVENT_KIND_UNSPECIFIED
       )pb")),
       "kinds[1]"},
      {"events: unknown kind",
       As(Parse<v1::ListClaimEventsRequest>(
           R"pb(parent: "claims/a" kinds: 12)pb")),
       "kinds[0]"},
      {"events: window reversed",
       As(Parse<v1::ListClaimEventsRequest>(R"pb(
         parent: "claims/a"
         recorded_after { seconds: 2 }
         recorded_before { seconds: 1 }
       )pb")),
       "recorded_before"},
      {"events: page_size",
       As(Parse<v1::ListClaimEventsRequest>(
           R"pb(parent: "claims/a" page_size: -5)pb")),
       "page_size"},

      {"diff: valid",
       As(Parse<v1::DiffClaimRequest>(R"pb(
         name: "claims/a" from_time { seconds: 1 } to_time { seconds: 2 }
       )pb")),
       ""},
      {"diff: reversed",
       As(Parse<v1::DiffClaimRequest>(R"pb(
         name: "claims/a" from_time { seconds: 2 } to_time { seconds: 1 }
       )pb")),
       "to_time"},
      {"diff: no name", As(v1::DiffClaimRequest()), "name"},

      {"search: valid",
       As(Parse<v1::SearchClaimsRequest>(R"pb(
         query: "north korean troops russia"
         state: CLAIM_STATE_UNCONFIRMED
         topic: "russia"
         source: "sources/nis"
         party: "sources/russia"
         created_after { seconds: 1 }
         page_size: 20
       )pb")),
       ""},
      {"search: query not UTF-8",
       With(v1::SearchClaimsRequest(),
            [](auto& r) { r.set_query(kInvalidUtf8); }),
       "query"},
      {"search: unknown state",
       As(Parse<v1::SearchClaimsRequest>(R"pb(state: -1)pb")), "state"},
      {"search: created window reversed",
       As(Parse<v1::SearchClaimsRequest>(R"pb(
         created_after { seconds: 10 } created_before { seconds: 5 }
       )pb")),
       "created_before"},
      {"search: page_size",
       As(Parse<v1::SearchClaimsRequest>(R"pb(page_size: 1001)pb")),
       "page_size"},
      {"search: page token too long",
       With(v1::SearchClaimsRequest(),
            [](auto& r) {
              r.set_page_token(std::string(kMaxPageTokenBytes + 1, 't'));
            }),
       "page_token"},

      {"watch: everything", As(v1::WatchClaimsRequest()), ""},
      {"watch: valid filters",
       As(Parse<v1::WatchClaimsRequest>(R"pb(
         claim: "claims/nk-troops"
         source: "sources/nis"
         party: "sources/russia"
         state: CLAIM_STATE_CONFIRMED
         kinds: EVENT_KIND_VERDICT_RECORDED
         after_sequence: 42
       )pb")),
       ""},
      {"watch: malformed claim",
       As(Parse<v1::WatchClaimsRequest>(R"pb(claim: "nk-troops")pb")),
       "claim"},
      {"watch: malformed party",
       As(Parse<v1::WatchClaimsRequest>(R"pb(party: "sources/-x")pb")),
       "party"},
      {"watch: unspecified kind",
       As(Parse<v1::WatchClaimsRequest>(R"pb(kinds: EVENT_KIND_UNSPECIFIED)pb")),
       "kinds[0]"},
      {"watch: from_now with a resume point",
       As(Parse<v1::WatchClaimsRequest>(R"pb(from_now: true after_sequence: 3)pb")),
       "after_sequence"},
  });
}

TEST(ValidationTest, MessagesSayWhatIsWrong) {
  v1::CreateClaimRequest request = ValidCreateClaim();
  v1::Figure* figure = request.mutable_claim()->mutable_figures(1);
  figure->clear_amount();
  figure->set_lower_bound(5);
  figure->set_upper_bound(3);
  EXPECT_EQ(Validate(request).message(),
            "claim.figures[1].lower_bound: must not exceed upper_bound (5 > 3)");

  request = ValidCreateClaim();
  request.mutable_claim()->mutable_figures(0)->set_qualifier(
      v1::FIGURE_QUALIFIER_UP_TO);
  EXPECT_THAT(std::string(Validate(request).message()),
              HasSubstr("required when qualifier is FIGURE_QUALIFIER_UP_TO"));

  request = ValidCreateClaim();
  request.mutable_claim()->set_text(std::string(5000, 't'));
  EXPECT_EQ(Validate(request).message(),
            "claim.text: too long (5000 bytes; at most 4096)");
}

TEST(ResourceNamesTest, Parse) {
  EXPECT_EQ(ParseClaimName("claim", "claims/nk-troops").value(), "nk-troops");
  EXPECT_EQ(ParseSourceName("party", "sources/nis").value(), "nis");
  EXPECT_THAT(ParseEventName("name", "claims/nk-troops/events/12").value(),
              Pair("nk-troops", 12));

  const absl::Status bad = ParseSourceName("stance.party", "Sources/NIS").status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(bad.message(), "stance.party: "))
      << bad.message();
  EXPECT_THAT(std::string(bad.message()), HasSubstr("\"Sources/NIS\""));

  for (const char* name :
       {"", "claims/", "claims//events/1", "claims/a/events/",
        "claims/a/events/-1", "claims/a/events/1/x", "claims/a/evnts/1",
        "claims/a/events/9999999999999999999"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(ParseEventName("name", name).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(ParseClaimName("claim", "claims/" + std::string(64, 'a'))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ParseClaimName("claim", "claims/" + std::string(63, 'a')).ok());
}

}  // namespace
}  // namespace core
}  // namespace claimtrail
