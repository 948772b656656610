// The CLI end to end in-process, over the generated mock stub: what each
// command sends, what it prints, and which exit code it returns.
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/cli/app.h"
#include "gmock/gmock.h"
#include "grpcpp/test/mock_stream.h"
#include "gtest/gtest.h"
#include "proto/claimtrail/v1/admin_mock.grpc.pb.h"
#include "proto/claimtrail/v1/service_mock.grpc.pb.h"

namespace claimtrail {
namespace cli {
namespace {

using ::testing::_;
using ::testing::DoAll;
using ::testing::HasSubstr;
using ::testing::Invoke;
using ::testing::IsEmpty;
using ::testing::NiceMock;
using ::testing::Not;
using ::testing::Return;
using ::testing::SaveArg;
using ::testing::SetArgPointee;
using ::testing::StartsWith;

class CliAppTest : public ::testing::Test {
 protected:
  CliAppTest()
      : stub_(std::make_shared<NiceMock<v1::MockClaimTrailStub>>()),
        admin_stub_(std::make_shared<NiceMock<v1::MockAdminStub>>()) {
    app_env_.getenv = [this](const char* name) {
      auto it = env_vars_.find(name);
      return it == env_vars_.end() ? std::string() : it->second;
    };
    app_env_.connect = [this](const client::ClientOptions& options)
        -> absl::StatusOr<std::unique_ptr<client::ClaimTrailClient>> {
      options_ = options;
      client::ClientOptions test_options = options;
      test_options.sleep = [](absl::Duration) {};
      return std::make_unique<client::ClaimTrailClient>(stub_, admin_stub_,
                                                        test_options);
    };
    // A file system holding only `files_`.
    app_env_.read_file =
        [this](const std::string& path) -> absl::StatusOr<std::string> {
      auto it = files_.find(path);
      if (it == files_.end()) {
        return absl::NotFoundError(absl::StrCat("cannot read ", path));
      }
      return it->second;
    };
    // Display names for the sourcing line.
    ON_CALL(*stub_, GetSource(_, _, _))
        .WillByDefault(Invoke([](grpc::ClientContext*,
                                 const v1::GetSourceRequest& r,
                                 v1::Source* source) {
          static const auto* names = new std::map<std::string, std::string>{
              {"sources/nis", "South Korea's National Intelligence Service"},
              {"sources/straitstimes", "straitstimes.com"},
              {"sources/north-korea", "North Korea"},
              {"sources/russia", "Russia"}};
          auto it = names->find(r.name());
          if (it == names->end()) {
            return grpc::Status(grpc::StatusCode::NOT_FOUND,
                                r.name() + " not found");
          }
          source->set_name(r.name());
          source->set_display_name(it->second);
          return grpc::Status::OK;
        }));
  }

  int Run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    return RunCli(args, out_, err_, app_env_);
  }

  std::shared_ptr<NiceMock<v1::MockClaimTrailStub>> stub_;
  std::shared_ptr<NiceMock<v1::MockAdminStub>> admin_stub_;
  AppEnv app_env_;
  std::map<std::string, std::string> env_vars_;
  std::map<std::string, std::string> files_;
  client::ClientOptions options_;
  std::ostringstream out_;
  std::ostringstream err_;
};

v1::Claim RunningExampleClaim() {
  v1::Claim claim;
  claim.set_name("claims/nk-troops");
  claim.set_text(
      "North Korea has sent troops to Russia to support its war against "
      "Ukraine.");
  v1::Figure* figure = claim.add_figures();
  figure->set_figure_id("troops");
  figure->set_qualifier(v1::FIGURE_QUALIFIER_OVER);
  figure->set_lower_bound(10000);
  figure->set_unit("soldiers");
  v1::Attribution* attribution = claim.add_attributions();
  attribution->set_attribution_id("a1");
  v1::AttributionHop* nis = attribution->add_hops();
  nis->set_source("sources/nis");
  nis->set_verb(v1::ATTRIBUTION_VERB_SAID);
  v1::AttributionHop* outlet = attribution->add_hops();
  outlet->set_source("sources/straitstimes");
  outlet->set_verb(v1::ATTRIBUTION_VERB_REPORTED);
  claim.set_state(v1::CLAIM_STATE_UNCONFIRMED);
  claim.set_state_summary("unconfirmed by North Korea and Russia");
  claim.set_revision(1);
  return claim;
}

TEST_F(CliAppTest, ClaimAddSendsEverythingInOneCreateClaim) {
  v1::CreateClaimRequest sent;
  EXPECT_CALL(*stub_, CreateClaim(_, _, _))
      .Times(1)
      .WillOnce(DoAll(SaveArg<1>(&sent),
                      SetArgPointee<2>(RunningExampleClaim()),
                      Return(grpc::Status::OK)));
  const int code = Run({"claim",
                        "add",
                        "North Korea has sent troops to Russia to support its "
                        "war against Ukraine.",
                        "--id",
                        "nk-troops",
                        "--topic",
                        "north-korea",
                        "--topic",
                        "russia",
                        "--language",
                        "en",
                        "--subject",
                        "North Korea",
                        "--place",
                        "Kursk",
                        "--figure",
                        "troops:over:10000:soldiers:North Korean soldiers",
                        "--source",
                        "nis:said",
                        "--source",
                        "sources/straitstimes:reported",
                        "--url",
                        "https://www.straitstimes.com/x",
                        "--outlet",
                        "straitstimes.com",
                        "--published",
                        "2025-03-21",
                        "--quote",
                        "over 10,000 North Korean soldiers",
                        "--stance",
                        "north-korea=not-confirmed",
                        "--stance",
                        "russia=not-confirmed",
                        "--note",
                        "logged from the article",
                        "--request-id",
                        "req-1"});
  ASSERT_EQ(code, 0) << err_.str();
  EXPECT_EQ(sent.claim_id(), "nk-troops");
  EXPECT_EQ(sent.request_id(), "req-1");
  EXPECT_EQ(sent.claim().language(), "en");
  EXPECT_THAT(sent.claim().topics(),
              ::testing::ElementsAre("north-korea", "russia"));
  EXPECT_EQ(sent.claim().parts().subject(), "North Korea");
  EXPECT_EQ(sent.claim().parts().place(), "Kursk");
  ASSERT_EQ(sent.claim().figures_size(), 1);
  EXPECT_EQ(sent.claim().figures(0).lower_bound(), 10000);
  ASSERT_EQ(sent.claim().attributions_size(), 1);
  const v1::Attribution& chain = sent.claim().attributions(0);
  ASSERT_EQ(chain.hops_size(), 2);
  EXPECT_EQ(chain.hops(0).source(), "sources/nis");
  EXPECT_EQ(chain.hops(1).source(), "sources/straitstimes");
  EXPECT_EQ(chain.hops(1).appearance().url(), "https://www.straitstimes.com/x");
  EXPECT_EQ(chain.hops(1).appearance().publish_time().seconds(), 1742515200);
  ASSERT_EQ(sent.claim().stances_size(), 2);
  EXPECT_EQ(sent.claim().stances(1).party(), "sources/russia");
  ASSERT_EQ(sent.claim().appearances_size(), 1);
  EXPECT_EQ(sent.claim().appearances(0).quote(),
            "over 10,000 North Korean soldiers");
  EXPECT_EQ(sent.context().note(), "logged from the article");
  EXPECT_THAT(
      out_.str(),
      HasSubstr("over 10,000 soldiers — per South Korea's National "
                "Intelligence Service (said), via straitstimes.com "
                "(reported) — unconfirmed by North Korea and Russia\n"));
}

TEST_F(CliAppTest, ShowPrintsTheSourcingLine) {
  v1::GetClaimRequest sent;
  EXPECT_CALL(*stub_, GetClaim(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&sent),
                      SetArgPointee<2>(RunningExampleClaim()),
                      Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"show", "nk-troops", "--as-of", "2025-04-01"}), 0)
      << err_.str();
  EXPECT_EQ(sent.name(), "claims/nk-troops");
  EXPECT_TRUE(sent.has_as_of());
  EXPECT_FALSE(sent.has_valid_at());
  EXPECT_THAT(out_.str(), StartsWith("North Korea has sent troops"));
  EXPECT_THAT(out_.str(), HasSubstr("unconfirmed by North Korea and Russia"));
}

TEST_F(CliAppTest, JsonPrintsTheMessage) {
  EXPECT_CALL(*stub_, GetClaim(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(RunningExampleClaim()),
                      Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"--json", "show", "nk-troops"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("\"name\": \"claims/nk-troops\""));
  EXPECT_THAT(
      out_.str(),
      HasSubstr("\"stateSummary\": \"unconfirmed by North Korea and Russia\""));
}

TEST_F(CliAppTest, StanceSendsEtagRequestIdAndAssertedTime) {
  v1::RecordStanceRequest sent;
  EXPECT_CALL(*stub_, RecordStance(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&sent),
                      SetArgPointee<2>(RunningExampleClaim()),
                      Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"stance", "nk-troops", "russia", "confirmed", "--etag", "e7",
                 "--request-id", "r-9", "--asserted", "2025-04-26",
                 "--statement", "yes", "--url", "https://tass.com/1"}),
            0)
      << err_.str();
  EXPECT_EQ(sent.claim(), "claims/nk-troops");
  EXPECT_EQ(sent.etag(), "e7");
  EXPECT_EQ(sent.request_id(), "r-9");
  EXPECT_EQ(sent.stance().party(), "sources/russia");
  EXPECT_EQ(sent.stance().position(), v1::STANCE_POSITION_CONFIRMED);
  EXPECT_EQ(sent.stance().statement(), "yes");
  EXPECT_EQ(sent.stance().evidence().url(), "https://tass.com/1");
  EXPECT_EQ(sent.stance().asserted_time().seconds(), 1745625600);
  EXPECT_EQ(sent.context().asserted_time().seconds(), 1745625600);
}

TEST_F(CliAppTest, FigureFlagsBecomeTheFigure) {
  v1::ReviseFigureRequest sent;
  EXPECT_CALL(*stub_, ReviseFigure(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&sent), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"figure", "nk-troops", "troops", "--between", "11000", "12000",
                 "--unit", "soldiers", "--source", "nis:estimated"}),
            0)
      << err_.str();
  EXPECT_EQ(sent.figure().figure_id(), "troops");
  EXPECT_EQ(sent.figure().qualifier(), v1::FIGURE_QUALIFIER_BETWEEN);
  EXPECT_EQ(sent.figure().lower_bound(), 11000);
  EXPECT_EQ(sent.figure().upper_bound(), 12000);
  ASSERT_EQ(sent.figure().sources_size(), 1);
  EXPECT_EQ(sent.figure().sources(0).verb(), v1::ATTRIBUTION_VERB_ESTIMATED);
  EXPECT_FALSE(sent.request_id().empty());
}

// The running example's claim as the server has it, with the figure's
// label and an etag.
v1::Claim LabelledClaim() {
  v1::Claim claim = RunningExampleClaim();
  claim.mutable_figures(0)->set_label("North Korean soldiers sent to Russia");
  v1::AttributionHop* source = claim.mutable_figures(0)->add_sources();
  source->set_source("sources/nis");
  source->set_verb(v1::ATTRIBUTION_VERB_SAID);
  claim.set_etag("e1");
  return claim;
}

// `figure` commands against a server holding LabelledClaim().
class CliFigureTest : public CliAppTest {
 protected:
  CliFigureTest() {
    ON_CALL(*stub_, GetClaim(_, _, _))
        .WillByDefault(
            DoAll(SetArgPointee<2>(LabelledClaim()), Return(grpc::Status::OK)));
  }

  // Runs `figure ARGS...`; returns the ReviseFigure request it sent.
  v1::ReviseFigureRequest RunFigure(std::vector<std::string> args) {
    v1::ReviseFigureRequest sent;
    EXPECT_CALL(*stub_, ReviseFigure(_, _, _))
        .WillOnce(DoAll(SaveArg<1>(&sent), Return(grpc::Status::OK)));
    args.insert(args.begin(), "figure");
    EXPECT_EQ(Run(args), 0) << err_.str();
    return sent;
  }
};

TEST_F(CliFigureTest, FigureRevisionKeepsLabelAndUnitButNotSources) {
  EXPECT_CALL(*stub_, GetClaim(_, _, _)).Times(1);
  const v1::ReviseFigureRequest sent =
      RunFigure({"nk-troops", "troops", "--between", "11000", "12000"});
  EXPECT_EQ(sent.figure().label(), "North Korean soldiers sent to Russia");
  EXPECT_EQ(sent.figure().unit(), "soldiers");
  EXPECT_EQ(sent.figure().sources_size(), 0);
  // Conditional on the read the carried values came from.
  EXPECT_EQ(sent.etag(), "e1");
}

TEST_F(CliFigureTest, FigureFlagsOverrideWhatIsCarriedOver) {
  v1::ReviseFigureRequest sent =
      RunFigure({"nk-troops", "troops", "--over", "11000", "--label", "",
                 "--etag", "mine"});
  EXPECT_EQ(sent.figure().label(), "");
  EXPECT_EQ(sent.figure().unit(), "soldiers");
  EXPECT_EQ(sent.etag(), "mine");

  // Both given: nothing to carry over, so no read.
  EXPECT_CALL(*stub_, GetClaim(_, _, _)).Times(0);
  sent = RunFigure({"nk-troops", "troops", "--over", "11000", "--unit", "",
                    "--label", "troops"});
  EXPECT_EQ(sent.figure().unit(), "");
  EXPECT_EQ(sent.figure().label(), "troops");
  EXPECT_EQ(sent.etag(), "");
}

TEST_F(CliFigureTest, NewFigureHasNothingToCarryOver) {
  const v1::ReviseFigureRequest sent =
      RunFigure({"nk-troops", "casualties", "--about", "100"});
  EXPECT_EQ(sent.figure().label(), "");
  EXPECT_EQ(sent.figure().unit(), "");
  EXPECT_EQ(sent.etag(), "");
}

TEST_F(CliAppTest, FigureOnAMissingClaimFailsOnTheRead) {
  EXPECT_CALL(*stub_, GetClaim(_, _, _))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::NOT_FOUND, "claims/nope not found")));
  EXPECT_CALL(*stub_, ReviseFigure(_, _, _)).Times(0);
  EXPECT_EQ(Run({"figure", "nope", "troops", "--over", "1"}), 3);
  EXPECT_EQ(err_.str(), "error: NOT_FOUND: claims/nope not found\n");
}

TEST_F(CliAppTest, FigureHelpSaysWhatIsCarriedOver) {
  ASSERT_EQ(Run({"figure", "--help"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("[--unit U]"));
  EXPECT_THAT(out_.str(), HasSubstr("keeps the figure's current label and "
                                    "unit unless --label or --unit is given"));
  EXPECT_THAT(out_.str(), HasSubstr("Sources are not carried over"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("(required)")));
}

// `claim update` against a server holding LabelledClaim() with parts.
class CliClaimUpdateTest : public CliAppTest {
 protected:
  CliClaimUpdateTest() {
    v1::Claim claim = LabelledClaim();
    claim.mutable_parts()->set_subject("North Korea");
    claim.mutable_parts()->set_object("Russia");
    ON_CALL(*stub_, GetClaim(_, _, _))
        .WillByDefault(
            DoAll(SetArgPointee<2>(claim), Return(grpc::Status::OK)));
  }

  // Runs `claim update ARGS...`; returns the UpdateClaim request it sent.
  v1::UpdateClaimRequest RunUpdate(std::vector<std::string> args) {
    v1::UpdateClaimRequest sent;
    EXPECT_CALL(*stub_, UpdateClaim(_, _, _))
        .WillOnce(DoAll(SaveArg<1>(&sent), SetArgPointee<2>(LabelledClaim()),
                        Return(grpc::Status::OK)));
    args.insert(args.begin(), {"claim", "update"});
    EXPECT_EQ(Run(args), 0) << err_.str();
    return sent;
  }
};

TEST_F(CliClaimUpdateTest, SendsOnlyTheFieldsGivenConditionalOnTheRead) {
  EXPECT_CALL(*stub_, GetClaim(_, _, _)).Times(1);
  const v1::UpdateClaimRequest sent =
      RunUpdate({"nk-troops", "--topic", "north-korea", "--topic", "ukraine",
                 "--language", "ko", "--note", "retagged"});
  EXPECT_EQ(sent.claim().name(), "claims/nk-troops");
  EXPECT_THAT(sent.update_mask().paths(),
              ::testing::ElementsAre("topics", "language"));
  EXPECT_THAT(sent.claim().topics(),
              ::testing::ElementsAre("north-korea", "ukraine"));
  EXPECT_EQ(sent.claim().language(), "ko");
  EXPECT_EQ(sent.claim().text(), "");
  EXPECT_FALSE(sent.claim().has_parts());
  EXPECT_EQ(sent.context().note(), "retagged");
  EXPECT_FALSE(sent.request_id().empty());
  // A change made after the read fails with ABORTED, not overwritten.
  EXPECT_EQ(sent.etag(), "e1");
  EXPECT_THAT(out_.str(), HasSubstr("name:           claims/nk-troops\n"));
}

TEST_F(CliClaimUpdateTest, AGivenEtagNeedsNoRead) {
  EXPECT_CALL(*stub_, GetClaim(_, _, _)).Times(0);
  const v1::UpdateClaimRequest sent = RunUpdate(
      {"nk-troops", "--text", "North Korea sent troops.", "--etag", "mine"});
  EXPECT_THAT(sent.update_mask().paths(), ::testing::ElementsAre("text"));
  EXPECT_EQ(sent.claim().text(), "North Korea sent troops.");
  EXPECT_EQ(sent.etag(), "mine");
}

TEST_F(CliClaimUpdateTest, APartGivenKeepsTheOtherParts) {
  // Parts are replaced whole, so the others come from a read even with
  // --etag.
  EXPECT_CALL(*stub_, GetClaim(_, _, _)).Times(1);
  const v1::UpdateClaimRequest sent = RunUpdate(
      {"nk-troops", "--place", "Kursk", "--object", "", "--etag", "mine"});
  EXPECT_THAT(sent.update_mask().paths(), ::testing::ElementsAre("parts"));
  EXPECT_EQ(sent.claim().parts().subject(), "North Korea");
  EXPECT_EQ(sent.claim().parts().object(), "");
  EXPECT_EQ(sent.claim().parts().place(), "Kursk");
  EXPECT_EQ(sent.etag(), "mine");
}

TEST_F(CliClaimUpdateTest, NoTopicsClearsThem) {
  const v1::UpdateClaimRequest sent = RunUpdate({"nk-troops", "--no-topics"});
  EXPECT_THAT(sent.update_mask().paths(), ::testing::ElementsAre("topics"));
  EXPECT_THAT(sent.claim().topics(), IsEmpty());
}

TEST_F(CliClaimUpdateTest, NothingToUpdateOrConflictingTopicsIsAUsageError) {
  EXPECT_CALL(*stub_, UpdateClaim(_, _, _)).Times(0);
  EXPECT_EQ(Run({"claim", "update", "nk-troops", "--note", "why"}), 2);
  EXPECT_THAT(err_.str(), StartsWith("error: nothing to update: give --text"));
  EXPECT_EQ(
      Run({"claim", "update", "nk-troops", "--topic", "a", "--no-topics"}), 2);
  EXPECT_THAT(err_.str(),
              StartsWith("error: --no-topics: conflicts with --topic"));
}

TEST_F(CliClaimUpdateTest, AChangeSinceTheReadExitsFive) {
  EXPECT_CALL(*stub_, UpdateClaim(_, _, _))
      .WillOnce(Return(grpc::Status(
          grpc::StatusCode::ABORTED,
          "etag: claims/nk-troops has changed since it was read")));
  EXPECT_EQ(Run({"claim", "update", "nk-troops", "--language", "en"}), 5);
  EXPECT_THAT(err_.str(), StartsWith("error: ABORTED: etag:"));
  EXPECT_THAT(out_.str(), IsEmpty());
}

TEST_F(CliAppTest, ClaimUpdateHelpNamesTheFieldsAndThatTopicsAreReplaced) {
  ASSERT_EQ(Run({"claim", "update", "--help"}), 0);
  for (const char* flag : {"--text", "--topic", "--no-topics", "--language",
                           "--subject", "--place", "--etag", "--note"}) {
    EXPECT_THAT(out_.str(), HasSubstr(flag));
  }
  EXPECT_THAT(out_.str(),
              HasSubstr("The topics given replace all of the claim's topics"));
  ASSERT_EQ(Run({"claim", "--help"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("claimtrail claim update CLAIM"));
}

// `source update` against a server holding NIS at etag "s1".
class CliSourceUpdateTest : public CliAppTest {
 protected:
  CliSourceUpdateTest() {
    v1::Source nis;
    nis.set_name("sources/nis");
    nis.set_display_name("South Korea's National Intelligence Service");
    nis.set_kind(v1::SOURCE_KIND_AGENCY);
    nis.add_aliases("NIS");
    nis.set_etag("s1");
    ON_CALL(*stub_, GetSource(_, _, _))
        .WillByDefault(DoAll(SetArgPointee<2>(nis), Return(grpc::Status::OK)));
  }

  // Runs `source update ARGS...`; returns the UpdateSource request it sent.
  v1::UpdateSourceRequest RunUpdate(std::vector<std::string> args) {
    v1::UpdateSourceRequest sent;
    v1::Source updated;
    updated.set_name("sources/nis");
    updated.set_display_name("NIS");
    updated.set_etag("s2");
    EXPECT_CALL(*stub_, UpdateSource(_, _, _))
        .WillOnce(DoAll(SaveArg<1>(&sent), SetArgPointee<2>(updated),
                        Return(grpc::Status::OK)));
    args.insert(args.begin(), {"source", "update"});
    EXPECT_EQ(Run(args), 0) << err_.str();
    return sent;
  }
};

TEST_F(CliSourceUpdateTest, SendsOnlyTheFieldsGivenConditionalOnTheRead) {
  EXPECT_CALL(*stub_, GetSource(_, _, _)).Times(1);
  const v1::UpdateSourceRequest sent =
      RunUpdate({"nis", "--name", "NIS", "--alias", "spy agency", "--alias",
                 "Korea's NIS", "--reliability", "a", "--country", "KR",
                 "--request-id", "req-9"});
  EXPECT_EQ(sent.source().name(), "sources/nis");
  EXPECT_THAT(sent.update_mask().paths(),
              ::testing::ElementsAre("display_name", "aliases", "reliability",
                                     "country"));
  EXPECT_EQ(sent.source().display_name(), "NIS");
  EXPECT_THAT(sent.source().aliases(),
              ::testing::ElementsAre("spy agency", "Korea's NIS"));
  EXPECT_EQ(sent.source().reliability(), v1::RELIABILITY_GRADE_A);
  EXPECT_EQ(sent.source().country(), "KR");
  EXPECT_EQ(sent.source().kind(), v1::SOURCE_KIND_UNSPECIFIED);
  EXPECT_EQ(sent.request_id(), "req-9");
  // A change made after the read fails with ABORTED, not overwritten.
  EXPECT_EQ(sent.etag(), "s1");
  EXPECT_THAT(out_.str(), StartsWith("NIS\n\nname:           sources/nis\n"));
}

TEST_F(CliSourceUpdateTest, AGivenEtagNeedsNoRead) {
  EXPECT_CALL(*stub_, GetSource(_, _, _)).Times(0);
  const v1::UpdateSourceRequest sent =
      RunUpdate({"nis", "--kind", "government", "--etag", "mine"});
  EXPECT_THAT(sent.update_mask().paths(), ::testing::ElementsAre("kind"));
  EXPECT_EQ(sent.source().kind(), v1::SOURCE_KIND_GOVERNMENT);
  EXPECT_EQ(sent.etag(), "mine");
}

TEST_F(CliSourceUpdateTest, EmptyValuesAndNoAliasesClear) {
  const v1::UpdateSourceRequest sent =
      RunUpdate({"nis", "--no-aliases", "--affiliation", "", "--reliability",
                 "", "--url", ""});
  EXPECT_THAT(
      sent.update_mask().paths(),
      ::testing::ElementsAre("aliases", "affiliation", "reliability", "url"));
  EXPECT_THAT(sent.source().aliases(), IsEmpty());
  EXPECT_EQ(sent.source().affiliation(), "");
  EXPECT_EQ(sent.source().reliability(), v1::RELIABILITY_GRADE_UNSPECIFIED);
  EXPECT_EQ(sent.source().url(), "");
}

TEST_F(CliSourceUpdateTest, AffiliationTakesAnIdOrName) {
  const v1::UpdateSourceRequest sent =
      RunUpdate({"nis", "--affiliation", "south-korea"});
  EXPECT_EQ(sent.source().affiliation(), "sources/south-korea");
}

TEST_F(CliSourceUpdateTest, NothingToUpdateOrConflictingAliasesIsAUsageError) {
  EXPECT_CALL(*stub_, UpdateSource(_, _, _)).Times(0);
  EXPECT_EQ(Run({"source", "update", "nis"}), 2);
  EXPECT_THAT(err_.str(), StartsWith("error: nothing to update: give --name"));
  EXPECT_EQ(Run({"source", "update", "nis", "--alias", "a", "--no-aliases"}),
            2);
  EXPECT_THAT(err_.str(),
              StartsWith("error: --no-aliases: conflicts with --alias"));
  EXPECT_EQ(Run({"source", "update", "nis", "--reliability", "Z"}), 2);
  EXPECT_THAT(err_.str(), StartsWith("error: --reliability: expects a grade"));
}

TEST_F(CliSourceUpdateTest, AChangeSinceTheReadExitsFive) {
  EXPECT_CALL(*stub_, UpdateSource(_, _, _))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::ABORTED,
                       "etag: sources/nis has changed since it was read")));
  EXPECT_EQ(Run({"source", "update", "nis", "--country", "KR"}), 5);
  EXPECT_THAT(err_.str(), StartsWith("error: ABORTED: etag:"));
}

TEST_F(CliAppTest, SourceUpdateHelpSaysSourcesHaveNoHistory) {
  ASSERT_EQ(Run({"source", "update", "--help"}), 0);
  for (const char* flag :
       {"--name", "--alias", "--no-aliases", "--kind", "--reliability",
        "--country", "--affiliation", "--url", "--description", "--etag"}) {
    EXPECT_THAT(out_.str(), HasSubstr(flag));
  }
  EXPECT_THAT(out_.str(), HasSubstr("Sources have no history"));
  EXPECT_THAT(out_.str(), HasSubstr("as-of ones too"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("--note")));
}

TEST_F(CliAppTest, UsageErrorsExitTwoNameTheFlagAndSendNothing) {
  EXPECT_CALL(*stub_, ReviseFigure(_, _, _)).Times(0);
  EXPECT_EQ(Run({"figure", "nk-troops", "troops", "--over", "5", "--under", "9",
                 "--unit", "u"}),
            2);
  EXPECT_THAT(err_.str(), StartsWith("error: --under: conflicts with --over"));
  EXPECT_THAT(err_.str(), HasSubstr("claimtrail figure --help"));

  EXPECT_EQ(Run({"show", "nk-troops", "--colour", "red"}), 2);
  EXPECT_THAT(err_.str(), StartsWith("error: --colour: unknown flag"));

  EXPECT_EQ(Run({"stance", "nk-troops", "russia"}), 2);
  EXPECT_THAT(err_.str(),
              StartsWith("error: stance: expects CLAIM PARTY POSITION"));

  EXPECT_EQ(Run({"frobnicate"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("unknown command 'frobnicate'"));
}

TEST_F(CliAppTest, CredibilityOutsideOneToSixIsAUsageError) {
  EXPECT_CALL(*stub_, AddAttribution(_, _, _)).Times(0);
  EXPECT_EQ(Run({"attribute", "nk-troops", "--hop", "nis:briefed:cred=0"}), 2);
  EXPECT_THAT(err_.str(),
              StartsWith("error: --hop: cred= expects a number 1-6, got '0'"));
  EXPECT_EQ(Run({"attribute", "nk-troops", "--hop", "nis:briefed:cred=7"}), 2);
  EXPECT_THAT(err_.str(), StartsWith("error: --hop: cred= expects"));
}

TEST_F(CliAppTest, StancePositionsAreSpelledAlikeInEveryHelpAndError) {
  const std::string canonical =
      "confirmed, denied, declined-to-comment, no-response, disputed, "
      "not-confirmed, not-addressed";
  ASSERT_EQ(Run({"stance", "--help"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("POSITION  " + canonical + "."));
  ASSERT_EQ(Run({"claim", "add", "--help"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("POSITION  " + canonical + "."));
  EXPECT_EQ(Run({"stance", "nk-troops", "russia", "maybe"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("one of: " + canonical + "\n"));

  // The short spelling is still accepted.
  v1::RecordStanceRequest sent;
  EXPECT_CALL(*stub_, RecordStance(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&sent),
                      SetArgPointee<2>(RunningExampleClaim()),
                      Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"stance", "nk-troops", "russia", "declined"}), 0)
      << err_.str();
  EXPECT_EQ(sent.stance().position(), v1::STANCE_POSITION_DECLINED_TO_COMMENT);
}

TEST_F(CliAppTest, CreateIdsMayBeGivenAsNames) {
  v1::CreateClaimRequest claim_sent;
  EXPECT_CALL(*stub_, CreateClaim(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&claim_sent),
                      SetArgPointee<2>(RunningExampleClaim()),
                      Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"claim", "add", "Text.", "--id", "claims/x"}), 0)
      << err_.str();
  EXPECT_EQ(claim_sent.claim_id(), "x");

  v1::CreateSourceRequest source_sent;
  EXPECT_CALL(*stub_, CreateSource(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&source_sent), Return(grpc::Status::OK)));
  ASSERT_EQ(
      Run({"source", "add", "NIS", "--id", "sources/nis", "--kind", "agency"}),
      0)
      << err_.str();
  EXPECT_EQ(source_sent.source_id(), "nis");

  EXPECT_EQ(Run({"claim", "add", "Text.", "--id", "claims/"}), 2);
  EXPECT_THAT(err_.str(), StartsWith("error: --id: empty id"));
}

TEST_F(CliAppTest, ArgumentsMustBeUtf8AndTheErrorNamesThem) {
  EXPECT_CALL(*stub_, CreateClaim(_, _, _)).Times(0);
  EXPECT_EQ(Run({"claim", "add", "bad \xff"}), 2);
  EXPECT_THAT(err_.str(),
              StartsWith("error: TEXT: not valid UTF-8 (at byte 4)\n"));
  EXPECT_EQ(
      Run({"claim", "add", "Fine.", "--topic", "ok", "--topic", "caf\xc3"}), 2);
  EXPECT_THAT(err_.str(), StartsWith("error: --topic: not valid UTF-8"));
  EXPECT_CALL(*stub_, RecordStance(_, _, _)).Times(0);
  EXPECT_EQ(Run({"stance", "nk-troops", "russia\xc0\xaf", "confirmed"}), 2);
  EXPECT_THAT(err_.str(), StartsWith("error: PARTY: not valid UTF-8"));
  EXPECT_CALL(*stub_, SearchClaims(_, _, _)).Times(0);
  EXPECT_EQ(Run({"search", "troops", "\xff"}), 2);
  EXPECT_THAT(err_.str(), StartsWith("error: QUERY: not valid UTF-8"));
}

// A claim whose text tries to drive the reader's terminal.
v1::Claim HostileClaim() {
  v1::Claim claim = RunningExampleClaim();
  claim.set_text(
      "Ring\x07 \x1b]0;pwned\x07 red \x1b[31mtext\xc2\x9b"
      "0m\nline 2");
  return claim;
}

TEST_F(CliAppTest, ShowEscapesControlCharactersButJsonStaysExact) {
  EXPECT_CALL(*stub_, GetClaim(_, _, _))
      .WillRepeatedly(
          DoAll(SetArgPointee<2>(HostileClaim()), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"show", "nk-troops"}), 0) << err_.str();
  EXPECT_THAT(out_.str(),
              StartsWith("Ring\\x07 \\x1b]0;pwned\\x07 red \\x1b[31mtext"
                         "\\u009b0m\nline 2\n"));
  EXPECT_EQ(out_.str().find('\x1b'), std::string::npos);
  EXPECT_EQ(out_.str().find('\x07'), std::string::npos);

  ASSERT_EQ(Run({"--json", "show", "nk-troops"}), 0) << err_.str();
  EXPECT_THAT(out_.str(),
              HasSubstr("\"text\": \"Ring\\u0007 \\u001b]0;pwned\\u0007 red "
                        "\\u001b[31mtext\\u009b0m\\nline 2\""));
}

TEST_F(CliAppTest, MainHelpSaysHowControlCharactersAreShown) {
  ASSERT_EQ(Run({"--help"}), 0);
  EXPECT_THAT(out_.str(),
              HasSubstr("control characters in stored text as escapes "
                        "(\\x1b, \\u009b; newlines as \\n"));
}

TEST_F(CliAppTest, ListAndSearchMarkAMergedDuplicate) {
  v1::Claim duplicate = RunningExampleClaim();
  duplicate.set_name("claims/nk-troops-2");
  duplicate.set_text("North Korean troops are in Russia.");
  duplicate.set_state(v1::CLAIM_STATE_DENIED);
  duplicate.set_merged_into("claims/nk-troops");
  v1::ListClaimsResponse page;
  *page.add_claims() = RunningExampleClaim();
  *page.add_claims() = duplicate;
  EXPECT_CALL(*stub_, ListClaims(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(page), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"list"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("claims/nk-troops  [unconfirmed]  North"));
  EXPECT_THAT(out_.str(),
              HasSubstr("claims/nk-troops-2  [denied, merged into "
                        "claims/nk-troops]  North Korean troops are in "
                        "Russia.\n"));

  v1::SearchClaimsResponse results;
  v1::SearchResult& result = *results.add_results();
  result.set_score(0.5);
  *result.mutable_claim() = duplicate;
  EXPECT_CALL(*stub_, SearchClaims(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(results), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"search", "troops"}), 0) << err_.str();
  EXPECT_EQ(out_.str(),
            "0.50  claims/nk-troops-2  [denied, merged into claims/nk-troops]  "
            "North Korean troops are in Russia.\n");
}

TEST_F(CliAppTest, ListHelpSaysClaimsComeInIdOrder) {
  ASSERT_EQ(Run({"list", "--help"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("Lists claims in claim-id order"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("claims in creation order")));
}

TEST_F(CliAppTest, ListKeepsOneClaimPerLine) {
  v1::ListClaimsResponse page;
  *page.add_claims() = HostileClaim();
  *page.add_claims() = RunningExampleClaim();
  EXPECT_CALL(*stub_, ListClaims(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(page), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"list"}), 0) << err_.str();
  EXPECT_EQ(out_.str(),
            "claims/nk-troops  [unconfirmed]  Ring\\x07 \\x1b]0;pwned\\x07 red "
            "\\x1b[31mtext\\u009b0m\\nline 2\n"
            "claims/nk-troops  [unconfirmed]  North Korea has sent troops to "
            "Russia to support its war against Ukraine.\n");
}

TEST_F(CliAppTest, ServerErrorsPrintCodeAndMessageWithMatchingExitCode) {
  EXPECT_CALL(*stub_, CreateClaim(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                    "claim.text: must not be empty")));
  EXPECT_EQ(Run({"claim", "add", ""}), 4);
  EXPECT_EQ(err_.str(),
            "error: INVALID_ARGUMENT: claim.text: must not be empty\n");
  EXPECT_THAT(out_.str(), IsEmpty());

  EXPECT_CALL(*stub_, GetClaim(_, _, _))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::NOT_FOUND, "claims/nope not found")));
  EXPECT_EQ(Run({"show", "nope"}), 3);
  EXPECT_EQ(err_.str(), "error: NOT_FOUND: claims/nope not found\n");

  EXPECT_CALL(*stub_, RetractClaim(_, _, _))
      .WillOnce(
          Return(grpc::Status(grpc::StatusCode::ABORTED, "etag is stale")));
  EXPECT_EQ(Run({"retract", "nk-troops", "--reason", "x", "--etag", "old"}), 5);
  EXPECT_EQ(err_.str(), "error: ABORTED: etag is stale\n");
}

TEST_F(CliAppTest, AmbiguousWriteFailureTellsHowToRetrySafely) {
  EXPECT_CALL(*stub_, AddAppearance(_, _, _))
      .WillRepeatedly(
          Return(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")));
  EXPECT_EQ(Run({"appearance", "nk-troops", "https://x.example/a",
                 "--request-id", "abc-123"}),
            1);
  EXPECT_THAT(err_.str(), StartsWith("error: UNAVAILABLE: down\n"));
  EXPECT_THAT(err_.str(), HasSubstr("--request-id abc-123"));
}

TEST_F(CliAppTest, ServerComesFromFlagThenEnvThenDefault) {
  EXPECT_CALL(*stub_, GetServerInfo(_, _, _))
      .WillRepeatedly(Return(grpc::Status::OK));
  ASSERT_EQ(Run({"info"}), 0);
  EXPECT_EQ(options_.server_address, "127.0.0.1:50051");
  env_vars_["CLAIMTRAIL_SERVER"] = "10.0.0.1:7000";
  ASSERT_EQ(Run({"info"}), 0);
  EXPECT_EQ(options_.server_address, "10.0.0.1:7000");
  ASSERT_EQ(Run({"--server", "127.0.0.1:9", "info", "--timeout", "3s"}), 0);
  EXPECT_EQ(options_.server_address, "127.0.0.1:9");
  EXPECT_EQ(options_.default_deadline, absl::Seconds(3));
  env_vars_["CLAIMTRAIL_TOKEN"] = "t0k";
  ASSERT_EQ(Run({"info"}), 0);
  EXPECT_EQ(options_.token, "t0k");
}

TEST_F(CliAppTest, HelpShowsUsageFlagsAndAnExample) {
  EXPECT_EQ(Run({"stance", "--help"}), 0);
  EXPECT_THAT(out_.str(),
              StartsWith("usage: claimtrail stance CLAIM PARTY POSITION"));
  EXPECT_THAT(out_.str(), HasSubstr("--etag ETAG"));
  EXPECT_THAT(out_.str(), HasSubstr("not-confirmed"));
  EXPECT_THAT(out_.str(), HasSubstr("example:\n  claimtrail stance"));

  EXPECT_EQ(Run({"help", "source", "add"}), 0);
  EXPECT_THAT(out_.str(), StartsWith("usage: claimtrail source add NAME"));

  EXPECT_EQ(Run({"--help"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("  watch "));

  EXPECT_EQ(Run({}), 2);
  EXPECT_THAT(err_.str(), StartsWith("usage: claimtrail"));
}

TEST_F(CliAppTest, WatchCountStopsAfterNEvents) {
  auto* reader = new grpc::testing::MockClientReader<v1::WatchClaimsResponse>();
  int reads = 0;
  EXPECT_CALL(*reader, Read(_))
      .WillRepeatedly(Invoke([&](v1::WatchClaimsResponse* r) {
        r->mutable_event()->set_sequence(++reads);
        r->mutable_event()->set_name("claims/nk-troops/events/1");
        r->mutable_event()->set_kind(v1::EVENT_KIND_CLAIM_CREATED);
        return true;
      }));
  EXPECT_CALL(*reader, Finish())
      .WillOnce(Return(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled")));
  v1::WatchClaimsRequest sent;
  EXPECT_CALL(*stub_, WatchClaimsRaw(_, _))
      .WillOnce(DoAll(SaveArg<1>(&sent), Return(reader)));
  ASSERT_EQ(
      Run({"watch", "--after", "41", "--count", "2", "--party", "russia"}), 0)
      << err_.str();
  EXPECT_EQ(sent.after_sequence(), 41u);
  EXPECT_EQ(sent.party(), "sources/russia");
  EXPECT_EQ(reads, 2);
  EXPECT_THAT(out_.str(),
              StartsWith("#1 claims/nk-troops/events/1 claim created"));
}

// ---- Credentials and API tokens.

TEST_F(CliAppTest, LocalServerUsesTheDataDirsAdminTokenUnlessOneIsGiven) {
  EXPECT_CALL(*stub_, GetServerInfo(_, _, _))
      .WillRepeatedly(Return(grpc::Status::OK));
  // No token anywhere: none sent (the server will say UNAUTHENTICATED).
  ASSERT_EQ(Run({"info"}), 0);
  EXPECT_EQ(options_.token, "");

  files_["./data/admin.token"] = "ct_default\n";
  ASSERT_EQ(Run({"info"}), 0);
  EXPECT_EQ(options_.token, "ct_default");

  env_vars_["CLAIMTRAIL_DATA_DIR"] = "/srv/claimtrail";
  files_["/srv/claimtrail/admin.token"] = "ct_env\n";
  ASSERT_EQ(Run({"info"}), 0);
  EXPECT_EQ(options_.token, "ct_env");

  files_["/x/admin.token"] = "ct_flag";
  ASSERT_EQ(Run({"info", "--data_dir", "/x"}), 0);
  EXPECT_EQ(options_.token, "ct_flag");

  // A token given wins over the file.
  env_vars_["CLAIMTRAIL_TOKEN"] = "ct_from_env";
  ASSERT_EQ(Run({"info"}), 0);
  EXPECT_EQ(options_.token, "ct_from_env");
  ASSERT_EQ(Run({"info", "--token", "ct_from_flag"}), 0);
  EXPECT_EQ(options_.token, "ct_from_flag");
}

TEST_F(CliAppTest, AdminTokenFileIsNotSentToAnotherMachineByDefault) {
  EXPECT_CALL(*stub_, GetServerInfo(_, _, _))
      .WillRepeatedly(Return(grpc::Status::OK));
  files_["./data/admin.token"] = "ct_local";
  for (const char* local : {"127.0.0.1:50051", "localhost:7", "[::1]:9",
                            "unix:/tmp/claimtrail.sock"}) {
    ASSERT_EQ(Run({"info", "--server", local}), 0) << local;
    EXPECT_EQ(options_.token, "ct_local") << local;
  }
  for (const char* remote : {"10.0.0.1:50051", "claims.example.org:443",
                             "127.0.0.1.example.org:1"}) {
    ASSERT_EQ(Run({"info", "--server", remote}), 0) << remote;
    EXPECT_EQ(options_.token, "") << remote;
  }
  // Asked for explicitly, it is used.
  ASSERT_EQ(Run({"info", "--server", "10.0.0.1:1", "--data_dir", "./data"}), 0);
  EXPECT_EQ(options_.token, "ct_local");
}

TEST_F(CliAppTest, ExplicitDataDirWithoutATokenFileIsAUsageError) {
  EXPECT_EQ(Run({"info", "--data_dir", "/nowhere"}), 2);
  EXPECT_THAT(err_.str(), StartsWith("error: --data_dir: cannot read "
                                     "/nowhere/admin.token"));
}

TEST_F(CliAppTest, TlsComesFromFlagsThenEnv) {
  EXPECT_CALL(*stub_, GetServerInfo(_, _, _))
      .WillRepeatedly(Return(grpc::Status::OK));
  ASSERT_EQ(Run({"info"}), 0);
  EXPECT_FALSE(options_.tls.enabled);
  EXPECT_EQ(options_.tls.ca_file, "");

  env_vars_["CLAIMTRAIL_TLS_CA"] = "/env/ca.pem";
  env_vars_["CLAIMTRAIL_TLS_CERT"] = "/env/client.pem";
  env_vars_["CLAIMTRAIL_TLS_KEY"] = "/env/client.key";
  ASSERT_EQ(Run({"info"}), 0);
  EXPECT_EQ(options_.tls.ca_file, "/env/ca.pem");
  EXPECT_EQ(options_.tls.cert_file, "/env/client.pem");
  EXPECT_EQ(options_.tls.key_file, "/env/client.key");

  ASSERT_EQ(Run({"--tls_ca", "/f/ca.pem", "info", "--tls_cert", "/f/c.pem",
                 "--tls_key", "/f/c.key", "--tls_server_name", "localhost",
                 "--tls"}),
            0);
  EXPECT_TRUE(options_.tls.enabled);
  EXPECT_EQ(options_.tls.ca_file, "/f/ca.pem");
  EXPECT_EQ(options_.tls.cert_file, "/f/c.pem");
  EXPECT_EQ(options_.tls.key_file, "/f/c.key");
  EXPECT_EQ(options_.tls.server_name_override, "localhost");

  env_vars_.clear();
  EXPECT_EQ(Run({"info", "--tls_cert", "/f/c.pem"}), 2);
  EXPECT_THAT(err_.str(), StartsWith("error: --tls_key: required"));
}

TEST_F(CliAppTest, AuthErrorsExitSixAndUnauthenticatedSaysWhereTokensComeFrom) {
  EXPECT_CALL(*stub_, GetServerInfo(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                                    "GetServerInfo: no credentials")))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                                    "users/bob may not call GetServerInfo")));
  EXPECT_EQ(Run({"info"}), 6);
  EXPECT_THAT(err_.str(),
              StartsWith("error: UNAUTHENTICATED: GetServerInfo: no "
                         "credentials\n"));
  EXPECT_THAT(err_.str(), HasSubstr("--token"));
  EXPECT_THAT(err_.str(), HasSubstr("admin.token"));
  EXPECT_EQ(Run({"info"}), 6);
  EXPECT_EQ(err_.str(),
            "error: PERMISSION_DENIED: users/bob may not call GetServerInfo\n");
}

TEST_F(CliAppTest, ARefusedTokenGetsNoHintToPassOne) {
  EXPECT_CALL(*stub_, GetServerInfo(_, _, _))
      .WillRepeatedly(Return(
          grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                       "API token tokens/0123456789abcdef has been revoked")));
  EXPECT_EQ(Run({"info", "--token", "ct_0123456789abcdef_x"}), 6);
  EXPECT_EQ(err_.str(),
            "error: UNAUTHENTICATED: API token tokens/0123456789abcdef has "
            "been revoked\n");
  env_vars_["CLAIMTRAIL_TOKEN"] = "ct_0123456789abcdef_x";
  EXPECT_EQ(Run({"info"}), 6);
  EXPECT_THAT(err_.str(), Not(HasSubstr("pass --token")));
  env_vars_.clear();
  files_["./data/admin.token"] = "ct_0123456789abcdef_x\n";
  EXPECT_EQ(Run({"info"}), 6);
  EXPECT_THAT(err_.str(), Not(HasSubstr("pass --token")));
}

TEST_F(CliAppTest, TokenCreateSendsPrincipalRolesAndShowsTheSecretOnce) {
  v1::CreateTokenRequest sent;
  v1::CreateTokenResponse response;
  response.mutable_token()->set_name("tokens/0123456789abcdef");
  response.mutable_token()->set_principal("users/alice");
  response.mutable_token()->add_roles(v1::ROLE_EDITOR);
  response.set_bearer_token("ct_0123456789abcdef_" + std::string(64, 'a'));
  EXPECT_CALL(*admin_stub_, CreateToken(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&sent), SetArgPointee<2>(response),
                      Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"token", "create", "users/alice", "--role", "editor",
                 "--role", "reader", "--description", "desk laptop",
                 "--expires", "2099-01-01"}),
            0)
      << err_.str();
  EXPECT_EQ(sent.token().principal(), "users/alice");
  EXPECT_THAT(sent.token().roles(),
              ::testing::ElementsAre(v1::ROLE_EDITOR, v1::ROLE_READER));
  EXPECT_EQ(sent.token().description(), "desk laptop");
  EXPECT_EQ(sent.token().expire_time().seconds(), 4070908800);
  EXPECT_THAT(out_.str(), HasSubstr("tokens/0123456789abcdef"));
  EXPECT_THAT(out_.str(), HasSubstr("shown only this once"));
  EXPECT_THAT(out_.str(), HasSubstr(response.bearer_token()));

  EXPECT_EQ(Run({"token", "create", "users/alice"}), 2);
  EXPECT_THAT(err_.str(), StartsWith("error: --role: at least one"));
  EXPECT_EQ(Run({"token", "create", "users/alice", "--role", "root"}), 2);
  EXPECT_THAT(err_.str(), StartsWith("error: --role: unknown value 'root'"));
}

TEST_F(CliAppTest, TokenCreateIsNeverRetried) {
  EXPECT_CALL(*admin_stub_, CreateToken(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")));
  EXPECT_EQ(Run({"token", "create", "users/alice", "--role", "reader"}), 1);
}

TEST_F(CliAppTest, TokenRevokeAcceptsNameIdOrTheBearerTokenItself) {
  std::vector<std::string> names;
  EXPECT_CALL(*admin_stub_, RevokeToken(_, _, _))
      .WillRepeatedly(Invoke([&](grpc::ClientContext*,
                                 const v1::RevokeTokenRequest& r,
                                 v1::Token* token) {
        names.push_back(r.name());
        token->set_name(r.name());
        token->mutable_revoke_time()->set_seconds(1742515200);
        token->set_revoke_reason(r.reason());
        return grpc::Status::OK;
      }));
  ASSERT_EQ(Run({"token", "revoke", "tokens/0123456789abcdef", "--reason",
                 "laptop lost"}),
            0)
      << err_.str();
  ASSERT_EQ(Run({"token", "revoke", "0123456789abcdef"}), 0);
  ASSERT_EQ(Run({"token", "revoke",
                 "ct_0123456789abcdef_" + std::string(64, 'b')}),
            0);
  EXPECT_THAT(names, ::testing::Each("tokens/0123456789abcdef"));
  EXPECT_EQ(names.size(), 3u);
  EXPECT_THAT(out_.str(), HasSubstr("revoked 2025-03-21T00:00:00Z"));
}

TEST_F(CliAppTest, TokenListFollowsPagesAndAllIncludesRevoked) {
  std::vector<v1::ListTokensRequest> requests;
  EXPECT_CALL(*admin_stub_, ListTokens(_, _, _))
      .WillRepeatedly(Invoke([&](grpc::ClientContext*,
                                 const v1::ListTokensRequest& r,
                                 v1::ListTokensResponse* response) {
        requests.push_back(r);
        v1::Token* token = response->add_tokens();
        token->set_name(r.page_token().empty() ? "tokens/aaaaaaaaaaaaaaaa"
                                               : "tokens/bbbbbbbbbbbbbbbb");
        token->set_principal("users/alice");
        token->add_roles(v1::ROLE_READER);
        if (r.page_token().empty()) response->set_next_page_token("p2");
        return grpc::Status::OK;
      }));
  ASSERT_EQ(Run({"token", "list", "--all"}), 0) << err_.str();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_TRUE(requests[0].include_revoked());
  EXPECT_EQ(requests[1].page_token(), "p2");
  EXPECT_THAT(out_.str(), HasSubstr("tokens/aaaaaaaaaaaaaaaa  users/alice  "
                                    "[reader]  active"));
  EXPECT_THAT(out_.str(), HasSubstr("tokens/bbbbbbbbbbbbbbbb"));
}

}  // namespace
}  // namespace cli
}  // namespace claimtrail
