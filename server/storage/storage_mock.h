// GoogleMock double of Storage, for core tests that need to script storage
// failures (e.g. Commit returning UNAVAILABLE) without a database.
#ifndef CLAIMTRAIL_SERVER_STORAGE_STORAGE_MOCK_H_
#define CLAIMTRAIL_SERVER_STORAGE_STORAGE_MOCK_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "server/storage/storage.h"

namespace claimtrail {
namespace storage {

// Every method is a plain MOCK_METHOD; unscripted calls return
// default-constructed values (an UNKNOWN status for StatusOr).
class MockStorage : public Storage {
 public:
  MOCK_METHOD(absl::Status, Commit, (const WriteSet& writes), (override));
  MOCK_METHOD(uint64_t, LastSequence, (), (const, override));
  MOCK_METHOD(uint64_t, CompleteChangesFrom, (), (const, override));
  MOCK_METHOD(absl::StatusOr<v1::Claim>, ReadClaim,
              (absl::string_view claim_id), (override));
  MOCK_METHOD(absl::StatusOr<v1::Source>, ReadSource,
              (absl::string_view source_id), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Event>>, ReadEvents,
              (absl::string_view claim_id, int64_t from_revision, int limit),
              (override));
  MOCK_METHOD(absl::StatusOr<std::vector<EventRef>>, ReadLog,
              (uint64_t after_sequence, int limit), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<std::string>>, ScanClaims,
              (std::optional<ClaimIndex> index, absl::string_view value,
               absl::string_view after_claim_id, int limit),
              (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Source>>, ScanSources,
              (absl::string_view after_source_id, int limit), (override));
  MOCK_METHOD(absl::StatusOr<RequestRecord>, ReadRequest,
              (absl::string_view request_id), (override));
  MOCK_METHOD(StorageStats, Stats, (), (override));
};

}  // namespace storage
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_STORAGE_STORAGE_MOCK_H_
