// Small builders of claims, events and sources for storage tests.
#ifndef CLAIMTRAIL_TESTS_SERVER_STORAGE_TEST_RECORDS_H_
#define CLAIMTRAIL_TESTS_SERVER_STORAGE_TEST_RECORDS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "proto/claimtrail/v1/resources.pb.h"
#include "server/storage/storage.h"

namespace claimtrail {
namespace storage {
namespace testing {

// A fresh, empty directory path under $TEST_TMPDIR named after the running
// test plus `suffix`. The directory itself is not created.
std::string TestDbPath(absl::string_view suffix = "");

// "claims/{id}" with `text` and state UNVERIFIED.
v1::Claim MakeClaim(absl::string_view id, absl::string_view text);

// "claims/{claim_id}/events/{revision}" with `sequence`.
v1::Event MakeEvent(absl::string_view claim_id, int64_t revision,
                    uint64_t sequence);

// "sources/{id}".
v1::Source MakeSource(absl::string_view id, absl::string_view display_name);

// A commit creating claim `id` with its first event at `sequence`.
WriteSet CreateClaimWrite(absl::string_view id, absl::string_view text,
                          uint64_t sequence);

// Equality of protos by serialization, printing both on failure.
MATCHER_P(EqualsProto, expected, "") {
  return arg.SerializeAsString() == expected.SerializeAsString();
}

}  // namespace testing
}  // namespace storage
}  // namespace claimtrail

#endif  // CLAIMTRAIL_TESTS_SERVER_STORAGE_TEST_RECORDS_H_
