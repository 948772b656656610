#include "tests/server/storage/test_records.h"

#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace claimtrail {
namespace storage {
namespace testing {

std::string TestDbPath(absl::string_view suffix) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const ::testing::TestInfo* info =
      ::testing::UnitTest::GetInstance()->current_test_info();
  return absl::StrCat(tmp ? tmp : "/tmp", "/", info->test_suite_name(), ".",
                      info->name(), suffix);
}

v1::Claim MakeClaim(absl::string_view id, absl::string_view text) {
  v1::Claim claim;
  claim.set_name(absl::StrCat("claims/", id));
  claim.set_text(std::string(text));
  claim.set_state(v1::CLAIM_STATE_UNVERIFIED);
  claim.set_revision(1);
  return claim;
}

v1::Event MakeEvent(absl::string_view claim_id, int64_t revision,
                    uint64_t sequence) {
  v1::Event event;
  event.set_name(absl::StrCat("claims/", claim_id, "/events/", revision));
  event.set_revision(revision);
  event.set_sequence(sequence);
  event.set_kind(revision == 1 ? v1::EVENT_KIND_CLAIM_CREATED
                               : v1::EVENT_KIND_CLAIM_UPDATED);
  event.set_author("users/test");
  event.set_note(absl::StrCat("event ", sequence));
  return event;
}

v1::Source MakeSource(absl::string_view id, absl::string_view display_name) {
  v1::Source source;
  source.set_name(absl::StrCat("sources/", id));
  source.set_display_name(std::string(display_name));
  source.set_kind(v1::SOURCE_KIND_AGENCY);
  return source;
}

WriteSet CreateClaimWrite(absl::string_view id, absl::string_view text,
                          uint64_t sequence) {
  WriteSet writes;
  ClaimWrite claim;
  claim.after = MakeClaim(id, text);
  writes.claims.push_back(claim);
  writes.events.push_back(MakeEvent(id, 1, sequence));
  return writes;
}

}  // namespace testing
}  // namespace storage
}  // namespace claimtrail
