// Audit figures on a dataset whose right answers were worked out by hand
// (see audit_dataset.h for the claims and times).
#include "server/core/report/audit.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/server/core/report/audit_dataset.h"

namespace claimtrail {
namespace report {
namespace {

using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using testing_data::AuditDataset;
using testing_data::Ts;

v1::AuditReport Build(const std::string& as_of = "",
                      const v1::ClaimSelection& selection = {}) {
  v1::AuditReportRequest req;
  *req.mutable_selection() = selection;
  if (!as_of.empty()) *req.mutable_as_of() = Ts(as_of);
  absl::StatusOr<v1::AuditReport> report = BuildAuditReport(AuditDataset(), req);
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : v1::AuditReport();
}

// A copy, so that it may outlive the report.
v1::ClaimAudit Claim(const v1::AuditReport& report, const std::string& name) {
  for (const v1::ClaimAudit& claim : report.claims()) {
    if (claim.claim() == name) return claim;
  }
  ADD_FAILURE() << name << " not in report";
  return v1::ClaimAudit();
}

// Acceptance: as of the article's day, one origin (NIS) relayed by one
// outlet, unconfirmed by both parties.
TEST(AuditTest, RunningExampleOnTheDayOfTheArticle) {
  const v1::AuditReport report = Build("2025-03-21T23:59:59Z");
  const v1::ClaimAudit nk = Claim(report, "claims/nk-troops");
  EXPECT_EQ(nk.state(), v1::CLAIM_STATE_UNCONFIRMED);
  EXPECT_EQ(nk.state_summary(), "unconfirmed by North Korea and Russia");
  EXPECT_EQ(nk.independent_origins(), 1);
  ASSERT_EQ(nk.origins_size(), 1);
  EXPECT_EQ(nk.origins(0).origin(), "sources/south-korea");
  EXPECT_THAT(nk.origins(0).primaries(), ElementsAre("sources/nis"));
  EXPECT_EQ(nk.origins(0).label(),
            "National Intelligence Service, for South Korea");
  EXPECT_THAT(nk.origins(0).relay_display_names(),
              ElementsAre("straitstimes.com"));
  EXPECT_EQ(nk.relay_count(), 1);
  EXPECT_EQ(nk.echo_count(), 0);
  EXPECT_EQ(nk.max_chain_depth(), 2);
  EXPECT_TRUE(nk.single_source());
  EXPECT_FALSE(nk.anonymous_only());
  EXPECT_FALSE(nk.has_first_confirmation());
  EXPECT_FALSE(nk.has_first_denial());
  ASSERT_EQ(nk.stances_size(), 2);
  EXPECT_EQ(nk.stances(0).party_display_name(), "North Korea");
  EXPECT_EQ(nk.stances(0).position(), v1::STANCE_POSITION_NOT_CONFIRMED);
  EXPECT_EQ(nk.stances(1).party_display_name(), "Russia");
  EXPECT_EQ(nk.stances(1).position(), v1::STANCE_POSITION_NOT_CONFIRMED);
  ASSERT_EQ(nk.figures_size(), 1);
  EXPECT_EQ(nk.figures(0).revision_count(), 1);
  EXPECT_EQ(nk.figures(0).history(0).value(), "over 10,000 soldiers");
  EXPECT_THAT(nk.credibility_grades(), ElementsAre(2));
  EXPECT_EQ(report.as_of().seconds(), Ts("2025-03-21T23:59:59Z").seconds());
}

// Acceptance: after both confirmations, confirmed, with the time to
// confirmation: Russia's stance recorded 36 days 3 hours after the claim,
// asserted 37 days 8 hours after NIS first asserted it.
TEST(AuditTest, RunningExampleAfterBothConfirmations) {
  const v1::AuditReport report = Build("2025-05-01T00:00:00Z");
  const v1::ClaimAudit nk = Claim(report, "claims/nk-troops");
  EXPECT_EQ(nk.state(), v1::CLAIM_STATE_CONFIRMED);
  EXPECT_EQ(nk.state_summary(), "confirmed by North Korea and Russia");
  ASSERT_TRUE(nk.has_first_confirmation());
  EXPECT_EQ(nk.first_confirmation().party_display_name(), "Russia");
  EXPECT_EQ(nk.first_confirmation().record_time().seconds(),
            Ts("2025-04-26T12:00:00Z").seconds());
  EXPECT_EQ(nk.first_confirmation().since_created().seconds(),
            36 * 86400 + 3 * 3600);
  EXPECT_EQ(nk.first_confirmation().asserted_time().seconds(),
            Ts("2025-04-26T08:00:00Z").seconds());
  EXPECT_EQ(nk.first_confirmation().since_first_asserted().seconds(),
            37 * 86400 + 8 * 3600);
  EXPECT_FALSE(nk.has_first_denial());
  // The revised figure repeats the claim's chain: listed, marked as a
  // repeat, and counted once (one origin, no echo).
  ASSERT_EQ(nk.chains_size(), 2);
  EXPECT_EQ(nk.chains(0).same_sources_as(), "");
  EXPECT_EQ(nk.chains(1).same_sources_as(), nk.chains(0).chain_id());
  EXPECT_THAT(nk.chains(1).description(),
              EndsWith(absl::StrCat("(same sources as ",
                                    nk.chains(0).chain_id(), ")")));
  EXPECT_EQ(nk.independent_origins(), 1);
  EXPECT_EQ(nk.echo_count(), 0);
  EXPECT_EQ(nk.origins(0).chain_count(), 1);
  ASSERT_EQ(nk.figures_size(), 1);
  EXPECT_EQ(nk.figures(0).revision_count(), 2);
  EXPECT_EQ(nk.figures(0).history(1).value(), "about 12,000 soldiers");
  EXPECT_EQ(nk.figures(0).history(1).sources(),
            "National Intelligence Service (said) -> straitstimes.com "
            "(reported)");
  ASSERT_EQ(nk.state_history_size(), 3);
  EXPECT_EQ(nk.state_history(0).state(), v1::CLAIM_STATE_UNCONFIRMED);
  EXPECT_EQ(nk.state_history(1).state(), v1::CLAIM_STATE_PARTIALLY_CONFIRMED);
  EXPECT_EQ(nk.state_history(2).state(), v1::CLAIM_STATE_CONFIRMED);
  EXPECT_EQ(nk.stance_history_size(), 4);
}

TEST(AuditTest, EchoesOfOneOriginCountOnce) {
  const v1::ClaimAudit a = Claim(Build(), "claims/claim-a");
  EXPECT_EQ(a.chains_size(), 3);
  EXPECT_EQ(a.independent_origins(), 1);
  EXPECT_EQ(a.echo_count(), 2);
  EXPECT_EQ(a.relay_count(), 3);
  EXPECT_THAT(a.origins(0).relay_display_names(),
              ElementsAre("Yonhap", "Reuters", "straitstimes.com"));
  EXPECT_EQ(a.origins(0).chain_count(), 3);
  EXPECT_EQ(a.max_chain_depth(), 3);
  EXPECT_TRUE(a.single_source());
  EXPECT_EQ(a.state(), v1::CLAIM_STATE_UNVERIFIED);
}

TEST(AuditTest, IndependentPrimariesAndAffiliatedOnesMerge) {
  const v1::ClaimAudit b = Claim(Build(), "claims/claim-b");
  EXPECT_EQ(b.chains_size(), 3);
  // KCNA acts on behalf of North Korea: one origin with North Korea.
  EXPECT_EQ(b.independent_origins(), 2);
  ASSERT_EQ(b.origins_size(), 2);
  EXPECT_EQ(b.origins(0).label(), "Ukraine's GUR, for Ukraine");
  EXPECT_EQ(b.origins(1).origin(), "sources/north-korea");
  EXPECT_EQ(b.origins(1).label(), "KCNA + North Korea");
  EXPECT_EQ(b.origins(1).chain_count(), 2);
  EXPECT_EQ(b.echo_count(), 1);
  EXPECT_FALSE(b.single_source());
  EXPECT_EQ(b.state(), v1::CLAIM_STATE_DISPUTED);
  EXPECT_EQ(b.first_confirmation().party_display_name(), "Ukraine");
  EXPECT_EQ(b.first_confirmation().since_created().seconds(), 86400);
  EXPECT_FALSE(b.first_confirmation().has_asserted_time());
  EXPECT_FALSE(b.first_confirmation().has_since_first_asserted());
  EXPECT_EQ(b.first_denial().party_display_name(), "Russia");
  EXPECT_EQ(b.first_denial().since_created().seconds(), 2 * 86400);
  EXPECT_THAT(b.credibility_grades(), ElementsAre(3));
}

TEST(AuditTest, AnonymousOnlyWithReasons) {
  const v1::ClaimAudit anon = Claim(Build(), "claims/claim-anon");
  EXPECT_TRUE(anon.anonymous_only());
  EXPECT_EQ(anon.independent_origins(), 2);
  ASSERT_EQ(anon.anonymous_hops_size(), 2);
  EXPECT_EQ(anon.anonymous_hops(0).chain_id(), "a1");
  EXPECT_EQ(anon.anonymous_hops(0).position(), 1);
  EXPECT_EQ(anon.anonymous_hops(0).display_name(), "US officials");
  EXPECT_EQ(anon.anonymous_hops(0).reason(),
            "not authorized to speak publicly");
  // Anonymous by the source's kind, not by the hop's flag.
  EXPECT_EQ(anon.anonymous_hops(1).source(), "sources/anonymous-source");
  EXPECT_TRUE(anon.origins(0).anonymous());
  EXPECT_TRUE(anon.chains(1).hops(0).anonymous());
}

TEST(AuditTest, SummaryAndSourceTableNow) {
  const v1::AuditReport report = Build();
  const v1::AuditSummary& summary = report.summary();
  EXPECT_EQ(summary.total_claims(), 6);
  EXPECT_EQ(summary.single_source().count(), 3);
  EXPECT_DOUBLE_EQ(summary.single_source().share(), 0.5);
  EXPECT_EQ(summary.anonymous_only().count(), 1);
  EXPECT_EQ(summary.unconfirmed().count(), 3);
  EXPECT_EQ(summary.disputed().count(), 1);
  EXPECT_EQ(summary.retracted().count(), 1);
  EXPECT_EQ(summary.unsourced().count(), 1);
  EXPECT_EQ(report.as_of().seconds(), Ts("2025-06-01T00:00:00Z").seconds());

  ASSERT_GE(report.sources_size(), 4);
  EXPECT_EQ(report.sources(0).source(), "sources/reuters");
  EXPECT_EQ(report.sources(0).claims_attributed(), 3);
  EXPECT_EQ(report.sources(0).claims_as_primary(), 0);
  EXPECT_EQ(report.sources(0).disputed(), 1);
  EXPECT_EQ(report.sources(1).source(), "sources/straitstimes");
  EXPECT_EQ(report.sources(1).claims_as_primary(), 1);
  EXPECT_EQ(report.sources(1).later_confirmed(), 1);
  EXPECT_EQ(report.sources(2).source(), "sources/yonhap");
  EXPECT_EQ(report.sources(3).source(), "sources/nis");
  EXPECT_EQ(report.sources(3).claims_attributed(), 2);
  EXPECT_EQ(report.sources(3).claims_as_primary(), 2);
  EXPECT_EQ(report.sources(3).later_confirmed(), 1);
  EXPECT_EQ(report.sources(3).later_denied(), 0);
  EXPECT_EQ(report.sources(3).reliability(), v1::RELIABILITY_GRADE_B);
}

TEST(AuditTest, SummaryOnTheFirstDay) {
  const v1::AuditReport report = Build("2025-03-21T23:59:59Z");
  // claim-late does not exist yet; nothing is confirmed, disputed or
  // retracted yet.
  EXPECT_EQ(report.summary().total_claims(), 5);
  EXPECT_EQ(report.summary().unconfirmed().count(), 5);
  EXPECT_EQ(report.summary().disputed().count(), 0);
  EXPECT_EQ(report.summary().retracted().count(), 0);
}

TEST(AuditTest, SelectionFilters) {
  v1::ClaimSelection selection;
  selection.set_source("sources/nis");
  EXPECT_EQ(Build("", selection).claims_size(), 2);

  selection.Clear();
  selection.set_topic("ukraine");
  const v1::AuditReport by_topic = Build("", selection);
  ASSERT_EQ(by_topic.claims_size(), 1);
  EXPECT_EQ(by_topic.claims(0).claim(), "claims/claim-b");

  selection.Clear();
  selection.set_appearance_url(
      "https://www.straitstimes.com/asia/nk-weapons-test-russia-ties");
  EXPECT_EQ(Build("", selection).claims_size(), 1);

  selection.Clear();
  *selection.mutable_recorded_after() = Ts("2025-03-21T10:00:00Z");
  *selection.mutable_recorded_before() = Ts("2025-03-21T12:00:00Z");
  const v1::AuditReport in_range = Build("", selection);
  ASSERT_EQ(in_range.claims_size(), 2);
  EXPECT_EQ(in_range.claims(0).claim(), "claims/claim-a");
  EXPECT_EQ(in_range.claims(1).claim(), "claims/claim-anon");
}

TEST(AuditTest, NamedClaimsMustExistAsOf) {
  v1::AuditReportRequest req;
  req.mutable_selection()->add_claims("claims/claim-late");
  *req.mutable_as_of() = Ts("2025-04-01T00:00:00Z");
  absl::StatusOr<v1::AuditReport> report = BuildAuditReport(AuditDataset(), req);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kNotFound);

  req.mutable_selection()->set_claims(0, "claims/nope");
  req.clear_as_of();
  report = BuildAuditReport(AuditDataset(), req);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(report.status().message(), HasSubstr("claims/nope"));
}

TEST(AuditTest, MalformedRequestsNameTheField) {
  v1::AuditReportRequest req;
  req.mutable_selection()->add_claims("claim-a");
  absl::StatusOr<v1::AuditReport> report = BuildAuditReport(AuditDataset(), req);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(report.status().message()),
              ::testing::StartsWith("selection.claims[0]"));

  req.Clear();
  *req.mutable_selection()->mutable_recorded_after() = Ts("2025-04-01T00:00:00Z");
  *req.mutable_selection()->mutable_recorded_before() =
      Ts("2025-03-01T00:00:00Z");
  report = BuildAuditReport(AuditDataset(), req);
  EXPECT_THAT(std::string(report.status().message()),
              ::testing::StartsWith("selection.recorded_before"));

  req.Clear();
  req.mutable_as_of()->set_nanos(-1);
  report = BuildAuditReport(AuditDataset(), req);
  EXPECT_THAT(std::string(report.status().message()), ::testing::StartsWith("as_of"));

  req.Clear();
  req.set_format(static_cast<v1::ReportFormat>(99));
  report = BuildAuditReport(AuditDataset(), req);
  EXPECT_THAT(std::string(report.status().message()), ::testing::StartsWith("format"));
}

TEST(AuditTest, EmptySelectionGivesZeroCounts) {
  v1::ClaimSelection selection;
  selection.set_topic("no-such-topic");
  const v1::AuditReport report = Build("", selection);
  EXPECT_EQ(report.summary().total_claims(), 0);
  EXPECT_EQ(report.summary().single_source().share(), 0.0);
  EXPECT_TRUE(report.sources().empty());
}

}  // namespace
}  // namespace report
}  // namespace claimtrail
