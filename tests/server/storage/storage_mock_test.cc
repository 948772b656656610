#include "server/storage/storage_mock.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace claimtrail {
namespace storage {
namespace {

using ::testing::_;
using ::testing::Return;

TEST(MockStorageTest, ScriptsFailures) {
  MockStorage storage;
  EXPECT_CALL(storage, Commit(_))
      .WillOnce(Return(absl::UnavailableError("disk")));
  EXPECT_CALL(storage, LastSequence()).WillRepeatedly(Return(7));
  EXPECT_CALL(storage, ReadClaim(absl::string_view("x")))
      .WillOnce(Return(absl::NotFoundError("x")));

  Storage& as_interface = storage;
  EXPECT_EQ(as_interface.Commit(WriteSet()).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(as_interface.LastSequence(), 7u);
  EXPECT_EQ(as_interface.ReadClaim("x").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace storage
}  // namespace claimtrail
