#include "server/util/status_macros.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"

namespace claimtrail {
namespace {

absl::Status FailIf(bool fail) {
  return fail ? absl::NotFoundError("claims/x") : absl::OkStatus();
}

absl::Status Chain(bool fail, int* reached) {
  RETURN_IF_ERROR(FailIf(fail));
  ++*reached;
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<std::string>> Make(bool fail) {
  if (fail) return absl::InvalidArgumentError("text: must not be empty");
  return std::make_unique<std::string>("made");
}

absl::StatusOr<size_t> UseMade(bool fail) {
  ASSIGN_OR_RETURN(std::unique_ptr<std::string> s, Make(fail));
  return s->size();
}

TEST(StatusMacrosTest, ReturnIfErrorPropagatesTheFirstError) {
  int reached = 0;
  absl::Status status = Chain(true, &reached);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "claims/x");
  EXPECT_EQ(reached, 0);
  EXPECT_TRUE(Chain(false, &reached).ok());
  EXPECT_EQ(reached, 1);
}

TEST(StatusMacrosTest, AssignOrReturnMovesValueOrPropagates) {
  absl::StatusOr<size_t> ok = UseMade(false);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 4u);
  absl::StatusOr<size_t> bad = UseMade(true);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "text: must not be empty");
}

}  // namespace
}  // namespace claimtrail
