// The CLI's parsing and rendering units: flags, times, hops, figures, enum
// words, and the human rendering of the brief's running example.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "client/cli/app.h"
#include "client/cli/args.h"
#include "client/cli/human.h"
#include "client/cli/parse.h"
#include "client/render.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace claimtrail {
namespace cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// absl::string_view is not std::string_view in this Abseil build, and
// gMock's string matchers want std::string.
std::string Msg(const absl::Status& status) {
  return std::string(status.message());
}

// ---- Argument parsing.

const std::vector<FlagSpec>& TestFlags() {
  static const auto* flags = new std::vector<FlagSpec>{
      {"kind", "KIND", "kind"},
      {"alias", "A", "alias", true},
      {"between", "N M", "range", false, 2},
      {"json", "", "json"},
      {"amount", "N", "amount"},
  };
  return *flags;
}

TEST(ParseArgsTest, ParsesValuesRepeatsPairsAndPositionals) {
  absl::StatusOr<ParsedArgs> args =
      ParseArgs(TestFlags(), {"NIS", "--kind", "agency", "--alias", "NIS",
                              "--alias=spy agency", "--between", "5", "10",
                              "--json", "extra"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_THAT(args->positional(), ElementsAre("NIS", "extra"));
  EXPECT_EQ(args->GetOr("kind", ""), "agency");
  EXPECT_THAT(args->GetAll("alias"), ElementsAre("NIS", "spy agency"));
  EXPECT_THAT(args->GetAll("between"), ElementsAre("5", "10"));
  EXPECT_TRUE(args->GetBool("json"));
  EXPECT_FALSE(args->Has("amount"));
}

TEST(ParseArgsTest, ValueMayStartWithDash) {
  absl::StatusOr<ParsedArgs> args = ParseArgs(TestFlags(), {"--amount", "-5"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->GetOr("amount", ""), "-5");
}

TEST(ParseArgsTest, DoubleDashEndsFlags) {
  absl::StatusOr<ParsedArgs> args =
      ParseArgs(TestFlags(), {"--", "--kind", "x"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_THAT(args->positional(), ElementsAre("--kind", "x"));
}

TEST(ParseArgsTest, UsageErrorsNameTheFlag) {
  absl::StatusOr<ParsedArgs> unknown =
      ParseArgs(TestFlags(), {"--colour", "red"});
  EXPECT_TRUE(IsUsageError(unknown.status()));
  EXPECT_THAT(Msg(unknown.status()), StartsWith("--colour: unknown flag"));

  absl::StatusOr<ParsedArgs> missing = ParseArgs(TestFlags(), {"--kind"});
  EXPECT_THAT(Msg(missing.status()), StartsWith("--kind: missing value"));

  absl::StatusOr<ParsedArgs> half_pair =
      ParseArgs(TestFlags(), {"--between", "5"});
  EXPECT_THAT(Msg(half_pair.status()), StartsWith("--between: missing value"));

  absl::StatusOr<ParsedArgs> twice =
      ParseArgs(TestFlags(), {"--kind", "a", "--kind", "b"});
  EXPECT_THAT(Msg(twice.status()), StartsWith("--kind: given more than once"));

  absl::StatusOr<ParsedArgs> bad_bool =
      ParseArgs(TestFlags(), {"--json=maybe"});
  EXPECT_THAT(Msg(bad_bool.status()), StartsWith("--json:"));
}

TEST(SplitCommandTest, FindsCommandWordsAroundGlobalFlags) {
  const std::vector<FlagSpec> globals = {{"server", "ADDR", ""},
                                         {"json", "", ""}};
  CommandSplit split =
      SplitCommand(globals, {"source"},
                   {"--server", "127.0.0.1:9", "--json", "source", "add", "NIS",
                    "--kind", "agency"});
  EXPECT_THAT(split.command_words, ElementsAre("source", "add"));
  EXPECT_THAT(split.rest, ElementsAre("--server", "127.0.0.1:9", "--json",
                                      "NIS", "--kind", "agency"));

  CommandSplit show =
      SplitCommand(globals, {"source"}, {"show", "nk", "--server=x:1"});
  EXPECT_THAT(show.command_words, ElementsAre("show"));
  EXPECT_THAT(show.rest, ElementsAre("nk", "--server=x:1"));
}

// ---- Values.

TEST(ParseTimeTest, AcceptsRfc3339AndDates) {
  absl::StatusOr<absl::Time> zulu =
      ParseTime("--as-of", "2025-03-21T08:30:00Z");
  ASSERT_TRUE(zulu.ok()) << zulu.status();
  EXPECT_EQ(*zulu, absl::FromCivil(absl::CivilSecond(2025, 3, 21, 8, 30, 0),
                                   absl::UTCTimeZone()));

  absl::StatusOr<absl::Time> offset =
      ParseTime("--as-of", "2025-03-21T17:30:00+09:00");
  ASSERT_TRUE(offset.ok()) << offset.status();
  EXPECT_EQ(*offset, *zulu);

  absl::StatusOr<absl::Time> fraction =
      ParseTime("--as-of", "2025-03-21T08:30:00.25Z");
  ASSERT_TRUE(fraction.ok()) << fraction.status();
  EXPECT_EQ(*fraction - *zulu, absl::Milliseconds(250));

  absl::StatusOr<absl::Time> date = ParseTime("--as-of", "2025-03-21");
  ASSERT_TRUE(date.ok()) << date.status();
  EXPECT_EQ(*date,
            absl::FromCivil(absl::CivilDay(2025, 3, 21), absl::UTCTimeZone()));
}

TEST(ParseTimeTest, RejectsGarbageNamingTheFlag) {
  absl::StatusOr<absl::Time> bad = ParseTime("--as-of", "last tuesday");
  EXPECT_TRUE(IsUsageError(bad.status()));
  EXPECT_THAT(Msg(bad.status()), StartsWith("--as-of: not a time"));
  EXPECT_FALSE(ParseTime("--as-of", "2025-13-45").ok());
}

TEST(ParseTimeTest, TimestampKeepsNanos) {
  absl::StatusOr<google::protobuf::Timestamp> ts =
      ParseTimestamp("--asserted", "2025-03-21T00:00:01.5Z");
  ASSERT_TRUE(ts.ok());
  EXPECT_EQ(ts->seconds(), 1742515201);
  EXPECT_EQ(ts->nanos(), 500000000);
  EXPECT_EQ(client::FormatTimestamp(*ts), "2025-03-21T00:00:01.5Z");
}

TEST(RenderTest, RecordedTimesHaveFixedWidthAndAreNeverRounded) {
  google::protobuf::Timestamp a;
  a.set_seconds(1764071317);  // 2025-11-25T11:48:37Z
  a.set_nanos(141961180);
  google::protobuf::Timestamp b = a;
  b.set_nanos(187352900);
  google::protobuf::Timestamp whole = a;
  whole.set_nanos(0);
  EXPECT_EQ(client::FormatRecordedTime(a), "2025-11-25T11:48:37.141961180Z");
  EXPECT_EQ(client::FormatRecordedTime(b), "2025-11-25T11:48:37.187352900Z");
  EXPECT_EQ(client::FormatRecordedTime(whole),
            "2025-11-25T11:48:37.000000000Z");
  EXPECT_EQ(client::FormatRecordedTime(google::protobuf::Timestamp()), "");
  // Read back, it is the same instant: --as-of it includes the event.
  absl::StatusOr<google::protobuf::Timestamp> parsed =
      ParseTimestamp("--as-of", client::FormatRecordedTime(a));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->seconds(), a.seconds());
  EXPECT_EQ(parsed->nanos(), a.nanos());
}

TEST(ParseNumberTest, AcceptsSeparatorsAndRejectsWords) {
  EXPECT_EQ(*ParseNumber("--over", "10,000"), 10000);
  EXPECT_EQ(*ParseNumber("--about", "2.5"), 2.5);
  EXPECT_EQ(*ParseNumber("--amount", "-3"), -3);
  absl::StatusOr<double> bad = ParseNumber("--over", "ten");
  EXPECT_THAT(Msg(bad.status()), StartsWith("--over: not a number: 'ten'"));
  EXPECT_FALSE(ParseNumber("--over", "nan").ok());
}

TEST(ParseTimeoutTest, AcceptsDurationsAndSeconds) {
  EXPECT_EQ(*ParseTimeout("--timeout", "500ms"), absl::Milliseconds(500));
  EXPECT_EQ(*ParseTimeout("--timeout", "30"), absl::Seconds(30));
  EXPECT_FALSE(ParseTimeout("--timeout", "0s").ok());
  EXPECT_FALSE(ParseTimeout("--timeout", "soon").ok());
}

TEST(NamesTest, AcceptBareIdsOrFullNames) {
  EXPECT_EQ(SourceName("nis"), "sources/nis");
  EXPECT_EQ(SourceName("sources/nis"), "sources/nis");
  EXPECT_EQ(ClaimName("nk-troops"), "claims/nk-troops");
  EXPECT_EQ(ClaimName("claims/nk-troops"), "claims/nk-troops");
  EXPECT_EQ(*EventName("EVENT", "nk-troops/events/3"),
            "claims/nk-troops/events/3");
  EXPECT_EQ(*EventName("EVENT", "claims/nk-troops/events/3"),
            "claims/nk-troops/events/3");
  EXPECT_THAT(Msg(EventName("EVENT", "nk-troops").status()),
              StartsWith("EVENT: not an event name"));
}

TEST(NamesTest, NewResourceIdAcceptsIdOrName) {
  EXPECT_EQ(*NewResourceId("--id", "claims", "x"), "x");
  EXPECT_EQ(*NewResourceId("--id", "claims", "claims/x"), "x");
  EXPECT_EQ(*NewResourceId("--id", "sources", "sources/nis"), "nis");
  // Another collection's prefix is left for the server to reject.
  EXPECT_EQ(*NewResourceId("--id", "claims", "sources/x"), "sources/x");
  EXPECT_THAT(Msg(NewResourceId("--id", "claims", "claims/").status()),
              StartsWith("--id: empty id"));
  EXPECT_THAT(Msg(NewResourceId("--id", "claims", "").status()),
              StartsWith("--id: empty id"));
}

TEST(ParseEnumTest, MatchesLabelsCaseAndSeparatorInsensitively) {
  EXPECT_EQ(*ParseEnum<v1::SourceKind>("--kind", "news-outlet"),
            v1::SOURCE_KIND_NEWS_OUTLET);
  EXPECT_EQ(*ParseEnum<v1::SourceKind>("--kind", "State_Media"),
            v1::SOURCE_KIND_STATE_MEDIA);
  EXPECT_EQ(*ParseEnum<v1::StancePosition>("POSITION", "not-confirmed"),
            v1::STANCE_POSITION_NOT_CONFIRMED);
  EXPECT_EQ(*ParseEnum<v1::StancePosition>("POSITION", "no-response"),
            v1::STANCE_POSITION_NO_RESPONSE);
  // A unique prefix is enough: "declined" is DECLINED_TO_COMMENT.
  EXPECT_EQ(*ParseEnum<v1::StancePosition>("POSITION", "declined"),
            v1::STANCE_POSITION_DECLINED_TO_COMMENT);
  EXPECT_EQ(*ParseEnum<v1::AttributionVerb>("verb", "according-to"),
            v1::ATTRIBUTION_VERB_ACCORDING_TO);
  EXPECT_EQ(*ParseEnum<v1::VerdictRating>("RATING", "mostly-false"),
            v1::VERDICT_RATING_MOSTLY_FALSE);
}

TEST(ParseEnumTest, RejectsUnknownAmbiguousUnspecifiedAndExcluded) {
  absl::StatusOr<v1::StancePosition> ambiguous =
      ParseEnum<v1::StancePosition>("POSITION", "not");
  EXPECT_THAT(Msg(ambiguous.status()),
              StartsWith("POSITION: ambiguous value 'not'"));
  absl::StatusOr<v1::SourceKind> unknown =
      ParseEnum<v1::SourceKind>("--kind", "alien");
  EXPECT_THAT(Msg(unknown.status()),
              StartsWith("--kind: unknown value 'alien'"));
  EXPECT_THAT(Msg(unknown.status()), HasSubstr("news-outlet"));
  EXPECT_FALSE(ParseEnum<v1::SourceKind>("--kind", "unspecified").ok());
  EXPECT_FALSE(ParseEnum<v1::RelationType>("TYPE", "inverse",
                                           {v1::RELATION_TYPE_INVERSE})
                   .ok());
  EXPECT_EQ(*ParseEnum<v1::RelationType>("TYPE", "same-as",
                                         {v1::RELATION_TYPE_INVERSE}),
            v1::RELATION_TYPE_SAME_AS);
}

TEST(ParseReliabilityTest, AcceptsAThroughF) {
  EXPECT_EQ(*ParseReliability("--reliability", "b"), v1::RELIABILITY_GRADE_B);
  EXPECT_EQ(*ParseReliability("--reliability", "F"), v1::RELIABILITY_GRADE_F);
  EXPECT_FALSE(ParseReliability("--reliability", "G").ok());
  EXPECT_FALSE(ParseReliability("--reliability", "AB").ok());
}

// ---- Hops, figures, stances.

TEST(ParseHopTest, SourceAndVerb) {
  absl::StatusOr<v1::AttributionHop> hop = ParseHop("--hop", "nis:said");
  ASSERT_TRUE(hop.ok()) << hop.status();
  EXPECT_EQ(hop->source(), "sources/nis");
  EXPECT_EQ(hop->verb(), v1::ATTRIBUTION_VERB_SAID);
  EXPECT_FALSE(hop->anonymous());
  EXPECT_EQ(hop->credibility(), 0);
}

TEST(ParseHopTest, AnonymityWithColonInReasonAndCredibility) {
  absl::StatusOr<v1::AttributionHop> hop = ParseHop(
      "--hop",
      "sources/officials:briefed:anon=not authorized: sensitive:cred=3");
  ASSERT_TRUE(hop.ok()) << hop.status();
  EXPECT_EQ(hop->source(), "sources/officials");
  EXPECT_EQ(hop->verb(), v1::ATTRIBUTION_VERB_BRIEFED);
  EXPECT_TRUE(hop->anonymous());
  EXPECT_EQ(hop->anonymity_reason(), "not authorized: sensitive");
  EXPECT_EQ(hop->credibility(), 3);
}

TEST(ParseHopTest, ErrorsNameTheFlag) {
  EXPECT_THAT(Msg(ParseHop("--hop", "nis").status()),
              StartsWith("--hop: expects SOURCE:VERB"));
  EXPECT_THAT(Msg(ParseHop("--hop", "nis:whispered").status()),
              StartsWith("--hop verb: unknown value 'whispered'"));
  EXPECT_THAT(Msg(ParseHop("--hop", "nis:said:cred=high").status()),
              StartsWith("--hop: cred= expects a number"));
  EXPECT_THAT(Msg(ParseHop("--hop", "nis:said:cred=").status()),
              StartsWith("--hop: cred= expects a number 1-6, got ''"));
  EXPECT_THAT(Msg(ParseHop("--hop", "nis:said:loud").status()),
              StartsWith("--hop: unknown hop option 'loud'"));
}

TEST(ParseHopTest, CredibilityMustBeOneToSix) {
  // 0 would be stored as "not given": silently no grade.
  for (const char* bad : {"0", "7", "-1", "10"}) {
    absl::Status status =
        ParseHop("--source", absl::StrCat("nis:briefed:cred=", bad)).status();
    EXPECT_TRUE(IsUsageError(status)) << bad;
    EXPECT_EQ(
        Msg(status),
        absl::StrCat("--source: cred= expects a number 1-6, got '", bad, "'"));
  }
  for (int good = 1; good <= 6; ++good) {
    absl::StatusOr<v1::AttributionHop> hop =
        ParseHop("--hop", absl::StrCat("nis:briefed:cred=", good));
    ASSERT_TRUE(hop.ok()) << hop.status();
    EXPECT_EQ(hop->credibility(), good);
  }
}

TEST(BuildFigureTest, EachQualifierFillsTheFieldItNeeds) {
  absl::StatusOr<v1::Figure> over = BuildFigure(
      "troops", "over", {10000}, "soldiers", "North Korean soldiers");
  ASSERT_TRUE(over.ok()) << over.status();
  EXPECT_EQ(over->figure_id(), "troops");
  EXPECT_EQ(over->qualifier(), v1::FIGURE_QUALIFIER_OVER);
  EXPECT_TRUE(over->has_lower_bound());
  EXPECT_EQ(over->lower_bound(), 10000);
  EXPECT_FALSE(over->has_upper_bound());
  EXPECT_FALSE(over->has_amount());
  EXPECT_EQ(over->unit(), "soldiers");
  EXPECT_EQ(over->label(), "North Korean soldiers");

  absl::StatusOr<v1::Figure> exact = BuildFigure("f", "amount", {3}, "u", "");
  EXPECT_EQ(exact->qualifier(), v1::FIGURE_QUALIFIER_EXACT);
  EXPECT_EQ(exact->amount(), 3);
  EXPECT_FALSE(exact->has_lower_bound());

  EXPECT_EQ(BuildFigure("f", "about", {3}, "u", "")->qualifier(),
            v1::FIGURE_QUALIFIER_ABOUT);
  EXPECT_TRUE(BuildFigure("f", "at-least", {3}, "u", "")->has_lower_bound());
  absl::StatusOr<v1::Figure> up_to = BuildFigure("f", "up-to", {3}, "u", "");
  EXPECT_EQ(up_to->qualifier(), v1::FIGURE_QUALIFIER_UP_TO);
  EXPECT_TRUE(up_to->has_upper_bound());
  EXPECT_FALSE(up_to->has_lower_bound());
  EXPECT_EQ(BuildFigure("f", "under", {3}, "u", "")->qualifier(),
            v1::FIGURE_QUALIFIER_UNDER);
}

TEST(BuildFigureTest, BetweenTakesTwoNumbersAndLeavesOrderToTheServer) {
  absl::StatusOr<v1::Figure> between =
      BuildFigure("f", "between", {10, 5}, "u", "");
  ASSERT_TRUE(between.ok()) << between.status();
  EXPECT_EQ(between->qualifier(), v1::FIGURE_QUALIFIER_BETWEEN);
  EXPECT_EQ(between->lower_bound(), 10);
  EXPECT_EQ(between->upper_bound(), 5);
  EXPECT_THAT(Msg(BuildFigure("f", "between", {10}, "u", "").status()),
              StartsWith("--between: expects 2 numbers, got 1"));
  EXPECT_FALSE(BuildFigure("f", "roughly", {10}, "u", "").ok());
}

TEST(ParseFigureSpecTest, CompactForm) {
  absl::StatusOr<v1::Figure> figure = ParseFigureSpec(
      "--figure",
      "troops:over:10,000:soldiers:North Korean soldiers: sent to Russia");
  ASSERT_TRUE(figure.ok()) << figure.status();
  EXPECT_EQ(figure->figure_id(), "troops");
  EXPECT_EQ(figure->qualifier(), v1::FIGURE_QUALIFIER_OVER);
  EXPECT_EQ(figure->lower_bound(), 10000);
  EXPECT_EQ(figure->unit(), "soldiers");
  EXPECT_EQ(figure->label(), "North Korean soldiers: sent to Russia");

  absl::StatusOr<v1::Figure> between =
      ParseFigureSpec("--figure", "troops:between:5000..10000:soldiers");
  ASSERT_TRUE(between.ok()) << between.status();
  EXPECT_EQ(between->lower_bound(), 5000);
  EXPECT_EQ(between->upper_bound(), 10000);

  EXPECT_EQ(ParseFigureSpec("--figure", "x:at_least:3:u")->qualifier(),
            v1::FIGURE_QUALIFIER_AT_LEAST);
  EXPECT_THAT(Msg(ParseFigureSpec("--figure", "troops:over").status()),
              StartsWith("--figure: expects ID:QUALIFIER"));
  EXPECT_THAT(Msg(ParseFigureSpec("--figure", "troops:between:5:u").status()),
              StartsWith("--figure: --between: expects 2 numbers"));
}

TEST(ParseFigureSpecTest, UnitIsOptionalAsForTheServer) {
  for (const char* spec : {"b:amount:5", "b:amount:5:"}) {
    absl::StatusOr<v1::Figure> figure = ParseFigureSpec("--figure", spec);
    ASSERT_TRUE(figure.ok()) << spec << ": " << figure.status();
    EXPECT_EQ(figure->amount(), 5);
    EXPECT_EQ(figure->unit(), "") << spec;
    EXPECT_EQ(figure->label(), "") << spec;
  }
  absl::StatusOr<v1::Figure> labelled =
      ParseFigureSpec("--figure", "b:amount:5::ballots counted");
  ASSERT_TRUE(labelled.ok()) << labelled.status();
  EXPECT_EQ(labelled->unit(), "");
  EXPECT_EQ(labelled->label(), "ballots counted");
}

TEST(ParseStanceSpecTest, PartyEqualsPosition) {
  absl::StatusOr<v1::Stance> stance =
      ParseStanceSpec("--stance", "north-korea=not-confirmed");
  ASSERT_TRUE(stance.ok()) << stance.status();
  EXPECT_EQ(stance->party(), "sources/north-korea");
  EXPECT_EQ(stance->position(), v1::STANCE_POSITION_NOT_CONFIRMED);
  EXPECT_THAT(Msg(ParseStanceSpec("--stance", "russia").status()),
              StartsWith("--stance: expects PARTY=POSITION"));
}

// ---- Rendering.

TEST(RenderTest, FormatsNumbersLikePeople) {
  EXPECT_EQ(client::FormatNumber(10000), "10,000");
  EXPECT_EQ(client::FormatNumber(999), "999");
  EXPECT_EQ(client::FormatNumber(1234567.25), "1,234,567.25");
  EXPECT_EQ(client::FormatNumber(-1500), "-1,500");
  EXPECT_EQ(client::FormatNumber(0), "0");
  EXPECT_EQ(client::FormatNumber(0.5), "0.5");
}

TEST(RenderTest, DescribesEveryQualifier) {
  EXPECT_EQ(client::DescribeFigure(
                *BuildFigure("t", "over", {10000}, "soldiers", "")),
            "over 10,000 soldiers");
  EXPECT_EQ(
      client::DescribeFigure(*BuildFigure("t", "amount", {12}, "soldiers", "")),
      "12 soldiers");
  EXPECT_EQ(
      client::DescribeFigure(*BuildFigure("t", "about", {3000}, "USD", "")),
      "about 3,000 USD");
  EXPECT_EQ(client::DescribeFigure(*BuildFigure("t", "at-least", {5}, "", "")),
            "at least 5");
  EXPECT_EQ(
      client::DescribeFigure(*BuildFigure("t", "up-to", {5}, "ships", "")),
      "up to 5 ships");
  EXPECT_EQ(
      client::DescribeFigure(*BuildFigure("t", "under", {5}, "ships", "")),
      "under 5 ships");
  EXPECT_EQ(client::DescribeFigure(
                *BuildFigure("t", "between", {11000, 12000}, "soldiers", "")),
            "between 11,000 and 12,000 soldiers");
  // A malformed figure stays visible.
  v1::Figure missing;
  missing.set_qualifier(v1::FIGURE_QUALIFIER_OVER);
  missing.set_unit("soldiers");
  EXPECT_EQ(client::DescribeFigure(missing), "over ? soldiers");
}

TEST(RenderTest, EnumLabelsAreWords) {
  EXPECT_EQ(client::EnumLabel(v1::CLAIM_STATE_PARTIALLY_CONFIRMED),
            "partially confirmed");
  EXPECT_EQ(client::EnumLabel(v1::STANCE_POSITION_NOT_CONFIRMED),
            "not confirmed");
  EXPECT_EQ(client::EnumLabel(v1::SOURCE_KIND_NEWS_OUTLET, "-"), "news-outlet");
  EXPECT_EQ(client::EnumLabel(v1::EVENT_KIND_STANCE_RECORDED),
            "stance recorded");
  EXPECT_EQ(client::EnumLabel(static_cast<v1::ClaimState>(99)), "99");
}

// The brief's running example, as the server would return it.
v1::Claim RunningExample() {
  v1::Claim claim;
  claim.set_name("claims/nk-troops");
  claim.set_text(
      "North Korea has sent troops to Russia to support its war against "
      "Ukraine.");
  claim.add_topics("north-korea");
  *claim.add_figures() = *BuildFigure("troops", "over", {10000}, "soldiers",
                                      "North Korean soldiers");
  claim.mutable_figures(0)->set_revision(1);
  v1::Attribution& attribution = *claim.add_attributions();
  attribution.set_attribution_id("a1");
  *attribution.add_hops() = *ParseHop("--source", "nis:said");
  *attribution.add_hops() = *ParseHop("--source", "straitstimes:reported");
  v1::Appearance& seen = *attribution.mutable_hops(1)->mutable_appearance();
  seen.set_url("https://www.straitstimes.com/asia/east-asia/nk-weapons-test");
  seen.set_outlet("straitstimes.com");
  seen.set_quote("over 10,000 North Korean soldiers were dispatched to Russia");
  *claim.add_stances() =
      *ParseStanceSpec("--stance", "north-korea=not-confirmed");
  *claim.add_stances() = *ParseStanceSpec("--stance", "russia=not-confirmed");
  claim.set_state(v1::CLAIM_STATE_UNCONFIRMED);
  claim.set_state_summary("unconfirmed by North Korea and Russia");
  claim.set_revision(1);
  claim.set_etag("e1");
  return claim;
}

std::string FakeDisplayName(const std::string& source) {
  if (source == "sources/nis")
    return "South Korea's National Intelligence Service";
  if (source == "sources/straitstimes") return "straitstimes.com";
  if (source == "sources/north-korea") return "North Korea";
  if (source == "sources/russia") return "Russia";
  return source;
}

TEST(RenderTest, SourcingLineReadsLikeTheBrief) {
  EXPECT_EQ(client::SourcingLine(RunningExample(), FakeDisplayName),
            "over 10,000 soldiers — per South Korea's National Intelligence "
            "Service (said), via straitstimes.com (reported) — unconfirmed by "
            "North Korea and Russia");
}

TEST(RenderTest, SourcingLineLeavesOutWhatIsMissing) {
  v1::Claim bare;
  bare.set_state(v1::CLAIM_STATE_UNVERIFIED);
  EXPECT_EQ(client::SourcingLine(bare, FakeDisplayName), "unverified");
}

TEST(RenderTest, SourcingLineCreditsAFigureToItsOwnSources) {
  v1::Claim claim = RunningExample();
  v1::Figure& figure = *claim.mutable_figures(0);
  figure.set_qualifier(v1::FIGURE_QUALIFIER_BETWEEN);
  figure.set_lower_bound(11000);
  figure.set_upper_bound(12000);
  v1::AttributionHop& source = *figure.add_sources();
  source.set_source("sources/nis");
  source.set_verb(v1::ATTRIBUTION_VERB_ESTIMATED);
  EXPECT_EQ(client::SourcingLine(claim, FakeDisplayName),
            "between 11,000 and 12,000 soldiers — per South Korea's National "
            "Intelligence Service (estimated) — unconfirmed by North Korea "
            "and Russia");
}

TEST(RenderTest, ClaimShowsEverySection) {
  const std::string text = RenderClaim(RunningExample(), FakeDisplayName);
  EXPECT_THAT(text,
              StartsWith("North Korea has sent troops to Russia to support its "
                         "war against Ukraine.\nover 10,000 soldiers — per "));
  EXPECT_THAT(
      text, HasSubstr("figures:\n  troops: over 10,000 soldiers — North Korean "
                      "soldiers (revision 1)\n"));
  EXPECT_THAT(
      text,
      HasSubstr("  a1: South Korea's National Intelligence Service (said) "
                "-> straitstimes.com (reported)\n"));
  EXPECT_THAT(text,
              HasSubstr("seen at https://www.straitstimes.com/asia/east-asia/"
                        "nk-weapons-test (straitstimes.com)"));
  EXPECT_THAT(text,
              HasSubstr("\"over 10,000 North Korean soldiers were dispatched"));
  EXPECT_THAT(text,
              HasSubstr("stances:\n  North Korea: not confirmed\n  Russia: not "
                        "confirmed\n"));
  EXPECT_THAT(
      text,
      HasSubstr("state:          unconfirmed (unconfirmed by North Korea and "
                "Russia)\n"));
  EXPECT_THAT(text, HasSubstr("revision:       1\n"));
  EXPECT_THAT(text, HasSubstr("etag:           e1\n"));
}

TEST(RenderTest, HistoryBlockHasHeaderNoteAndDiffLines) {
  v1::Event event;
  event.set_name("claims/nk-troops/events/2");
  event.set_revision(2);
  event.set_kind(v1::EVENT_KIND_STANCE_RECORDED);
  event.set_author("users/alice");
  event.set_note("TASS quotes the Kremlin");
  event.mutable_recorded_time()->set_seconds(1745625600);  // 2025-04-26
  *event.mutable_stance_recorded() =
      *ParseStanceSpec("--stance", "russia=confirmed");
  v1::FieldChange* state = event.add_changes();
  state->set_path("state");
  state->set_before("unconfirmed");
  state->set_after("partially confirmed");
  v1::FieldChange* added = event.add_changes();
  added->set_path("verdict.rating");
  added->set_after("true");

  const std::string block = RenderEventBlock(event, FakeDisplayName);
  EXPECT_THAT(block,
              StartsWith("revision 2  2025-04-26T00:00:00.000000000Z  by "
                         "users/alice  "
                         "stance recorded\n"));
  EXPECT_THAT(block, HasSubstr("  Russia: confirmed\n"));
  EXPECT_THAT(block, HasSubstr("  note: TASS quotes the Kremlin\n"));
  EXPECT_THAT(block,
              HasSubstr("  state: unconfirmed -> partially confirmed\n"));
  EXPECT_THAT(block, HasSubstr("  verdict.rating: (none) -> true\n"));
}

TEST(RenderTest, HistoryBlockShowsAssertedAndValidTimes) {
  v1::Event event;
  event.set_revision(3);
  event.set_kind(v1::EVENT_KIND_FIGURE_REVISED);
  event.mutable_asserted_time()->set_seconds(1745625600);  // 2025-04-26
  event.mutable_valid_time()->mutable_start_time()->set_seconds(
      1748736000);  // 2025-06-01
  std::string block = RenderEventBlock(event, FakeDisplayName);
  EXPECT_THAT(block, HasSubstr("  asserted: 2025-04-26T00:00:00Z\n"));
  EXPECT_THAT(block, HasSubstr("  valid: 2025-06-01T00:00:00Z .. (open)\n"));

  event.mutable_valid_time()->clear_start_time();
  event.mutable_valid_time()->mutable_end_time()->set_seconds(1748736000);
  block = RenderEventBlock(event, FakeDisplayName);
  EXPECT_THAT(block, HasSubstr("  valid: (open) .. 2025-06-01T00:00:00Z\n"));

  // No valid time given: the change is always true, and no line says so.
  event.clear_valid_time();
  EXPECT_THAT(RenderEventBlock(event, FakeDisplayName),
              Not(HasSubstr("valid:")));
}

TEST(RenderTest, WatchLineIsOneLine) {
  v1::WatchClaimsResponse response;
  response.mutable_event()->set_sequence(12);
  response.mutable_event()->set_name("claims/nk-troops/events/3");
  response.mutable_event()->set_kind(v1::EVENT_KIND_STANCE_RECORDED);
  *response.mutable_event()->mutable_stance_recorded() =
      *ParseStanceSpec("--stance", "russia=confirmed");
  response.set_state(v1::CLAIM_STATE_PARTIALLY_CONFIRMED);
  EXPECT_EQ(RenderWatchLine(response, FakeDisplayName),
            "#12 claims/nk-troops/events/3 stance recorded: Russia: confirmed "
            "(state: partially confirmed)");
}

// ---- Errors and exit codes.

TEST(ExitCodeTest, MapsCodes) {
  EXPECT_EQ(ExitCodeFor(absl::OkStatus()), 0);
  EXPECT_EQ(ExitCodeFor(UsageError("--kind: missing value")), 2);
  EXPECT_EQ(ExitCodeFor(absl::NotFoundError("x")), 3);
  EXPECT_EQ(ExitCodeFor(absl::InvalidArgumentError("x")), 4);
  EXPECT_EQ(ExitCodeFor(absl::AbortedError("x")), 5);
  EXPECT_EQ(ExitCodeFor(absl::AlreadyExistsError("x")), 5);
  EXPECT_EQ(ExitCodeFor(absl::UnavailableError("x")), 1);
  EXPECT_EQ(ExitCodeFor(absl::FailedPreconditionError("x")), 1);
}

TEST(ExitCodeTest, FormatsServerAndUsageErrors) {
  EXPECT_EQ(
      FormatError(absl::InvalidArgumentError("claim.text: must not be empty")),
      "error: INVALID_ARGUMENT: claim.text: must not be empty");
  EXPECT_EQ(FormatError(UsageError("--over: not a number: 'x'")),
            "error: --over: not a number: 'x'");
}

}  // namespace
}  // namespace cli
}  // namespace claimtrail
