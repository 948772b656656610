// TokenManager over the real LevelDB token store in $TEST_TMPDIR.
#include "server/core/auth/token_manager.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/auth/token_secret.h"
#include "server/storage/leveldb_storage.h"

namespace claimtrail {
namespace core {
namespace auth {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string TestDir() {
  const ::testing::TestInfo* info =
      ::testing::UnitTest::GetInstance()->current_test_info();
  const char* base = std::getenv("TEST_TMPDIR");
  return absl::StrCat(base != nullptr ? base : "/tmp", "/", info->name(), "-",
                      getpid());
}

// Every byte of every regular file in `dir`.
std::string AllFileBytes(const std::string& dir) {
  std::string bytes;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return bytes;
  while (dirent* entry = readdir(d)) {
    const std::string path = absl::StrCat(dir, "/", entry->d_name);
    struct stat st;
    if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    bytes += text.str();
  }
  closedir(d);
  return bytes;
}

v1::CreateTokenRequest Request(absl::string_view principal,
                               std::vector<v1::Role> roles) {
  v1::CreateTokenRequest request;
  request.mutable_token()->set_principal(std::string(principal));
  for (v1::Role role : roles) request.mutable_token()->add_roles(role);
  return request;
}

class TokenManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TestDir();
    Open();
  }

  void Open() {
    manager_.reset();
    database_ = storage::LevelDbDatabase();
    storage::LevelDbOptions options;
    options.path = dir_;
    absl::StatusOr<storage::LevelDbDatabase> database =
        storage::OpenLevelDbDatabase(options);
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = *std::move(database);
    manager_ = std::make_unique<TokenManager>(database_.tokens,
                                              [this] { return now_; });
  }

  IssuedToken Create(absl::string_view principal,
                     std::vector<v1::Role> roles) {
    absl::StatusOr<IssuedToken> issued =
        manager_->CreateToken(admin_, Request(principal, roles));
    EXPECT_TRUE(issued.ok()) << issued.status();
    return issued.ok() ? *issued : IssuedToken();
  }

  absl::StatusOr<v1::Token> Revoke(const std::string& name) {
    v1::RevokeTokenRequest request;
    request.set_name(name);
    request.set_reason("laptop lost");
    return manager_->RevokeToken(admin_, request);
  }

  std::string dir_;
  absl::Time now_ = absl::FromUnixSeconds(1742515200);
  const Principal admin_{"users/admin"};
  storage::LevelDbDatabase database_;
  std::unique_ptr<TokenManager> manager_;
};

TEST_F(TokenManagerTest, IssuedTokenAuthenticatesAsItsPrincipalAndRoles) {
  const IssuedToken issued =
      Create("users/alice", {v1::ROLE_READER, v1::ROLE_EDITOR, v1::ROLE_READER});
  EXPECT_THAT(issued.token.name(), StartsWith("tokens/"));
  EXPECT_EQ(issued.token.creator(), "users/admin");
  // Sorted, without repeats.
  EXPECT_THAT(issued.token.roles(),
              ElementsAre(v1::ROLE_READER, v1::ROLE_EDITOR));
  EXPECT_THAT(issued.bearer_token,
              StartsWith(absl::StrCat("ct_", issued.token.name().substr(7),
                                      "_")));

  absl::StatusOr<Caller> caller = manager_->Authenticate(issued.bearer_token);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->principal.name, "users/alice");
  EXPECT_THAT(caller->roles, ElementsAre(v1::ROLE_READER, v1::ROLE_EDITOR));
  EXPECT_EQ(caller->token_name, issued.token.name());
}

TEST_F(TokenManagerTest, WrongSecretUnknownIdAndGarbageAreOneAnswer) {
  const IssuedToken issued = Create("users/alice", {v1::ROLE_READER});
  std::string wrong_secret = issued.bearer_token;
  wrong_secret.back() = wrong_secret.back() == '0' ? '1' : '0';
  const std::string unknown_id =
      FormatBearerToken("ffffffffffffffff", std::string(64, '0'));
  absl::Status first;
  for (const std::string& bad :
       {wrong_secret, unknown_id, std::string("garbage"), std::string()}) {
    absl::StatusOr<Caller> caller = manager_->Authenticate(bad);
    ASSERT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated)
        << bad;
    if (first.ok()) first = caller.status();
    EXPECT_EQ(caller.status().message(), first.message()) << bad;
  }
}

TEST_F(TokenManagerTest, RevocationTakesEffectBeforeRevokeReturns) {
  const IssuedToken issued = Create("users/alice", {v1::ROLE_EDITOR});
  ASSERT_TRUE(manager_->Authenticate(issued.bearer_token).ok());  // Cached.
  absl::StatusOr<v1::Token> revoked = Revoke(issued.token.name());
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_TRUE(revoked->has_revoke_time());
  EXPECT_EQ(revoked->revoker(), "users/admin");
  EXPECT_EQ(revoked->revoke_reason(), "laptop lost");

  absl::StatusOr<Caller> caller = manager_->Authenticate(issued.bearer_token);
  EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(caller.status().message()), HasSubstr("revoked"));

  // Again: unchanged, still revoked.
  absl::StatusOr<v1::Token> again = Revoke(issued.token.name());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->revoke_time().seconds(), revoked->revoke_time().seconds());

  // And after a restart (records are durable, the cache is gone).
  Open();
  caller = manager_->Authenticate(issued.bearer_token);
  EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(TokenManagerTest, TokensSurviveARestart) {
  const IssuedToken issued = Create("services/cms", {v1::ROLE_EDITOR});
  Open();
  absl::StatusOr<Caller> caller = manager_->Authenticate(issued.bearer_token);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->principal.name, "services/cms");
}

TEST_F(TokenManagerTest, ExpiredTokenIsRefused) {
  v1::CreateTokenRequest request = Request("users/temp", {v1::ROLE_READER});
  request.mutable_token()->mutable_expire_time()->set_seconds(
      absl::ToUnixSeconds(now_ + absl::Hours(1)));
  absl::StatusOr<IssuedToken> issued = manager_->CreateToken(admin_, request);
  ASSERT_TRUE(issued.ok()) << issued.status();
  EXPECT_TRUE(manager_->Authenticate(issued->bearer_token).ok());
  now_ += absl::Hours(1);
  absl::StatusOr<Caller> caller = manager_->Authenticate(issued->bearer_token);
  EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(caller.status().message()), HasSubstr("expired"));
}

TEST_F(TokenManagerTest, StorageHoldsSaltedHashesNeverTheSecret) {
  const IssuedToken alice = Create("users/alice", {v1::ROLE_EDITOR});
  const IssuedToken bob = Create("users/bob", {v1::ROLE_EDITOR});
  const std::optional<BearerParts> parts = ParseBearerToken(alice.bearer_token);
  ASSERT_TRUE(parts.has_value());
  absl::StatusOr<storage::TokenRecord> record =
      database_.tokens->ReadToken(parts->token_id);
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->hash_version(), kHashVersion);
  EXPECT_EQ(record->salt().size(), static_cast<size_t>(kSaltBytes));
  EXPECT_EQ(record->secret_hash(),
            SaltedSecretHash(record->salt(), parts->secret));
  EXPECT_THAT(record->DebugString(), ::testing::Not(HasSubstr(parts->secret)));
  // Each token has its own salt.
  const std::optional<BearerParts> bob_parts =
      ParseBearerToken(bob.bearer_token);
  absl::StatusOr<storage::TokenRecord> bob_record =
      database_.tokens->ReadToken(bob_parts->token_id);
  ASSERT_TRUE(bob_record.ok());
  EXPECT_NE(bob_record->salt(), record->salt());

  // Nothing on disk holds a secret, in any encoding we might have used.
  manager_.reset();
  database_ = storage::LevelDbDatabase();  // Closes LevelDB: logs flushed.
  const std::string disk = AllFileBytes(dir_);
  ASSERT_THAT(disk, HasSubstr("users/alice"));  // The records are there...
  for (const IssuedToken* issued : {&alice, &bob}) {
    const std::string secret = ParseBearerToken(issued->bearer_token)->secret;
    EXPECT_THAT(disk, ::testing::Not(HasSubstr(secret)));  // ...secrets not.
    EXPECT_THAT(disk, ::testing::Not(HasSubstr(secret.substr(0, 16))));
  }
}

TEST_F(TokenManagerTest, CreateValidatesFieldsNamingThem) {
  struct Case {
    v1::CreateTokenRequest request;
    std::string field;
  };
  std::vector<Case> cases;
  cases.push_back({v1::CreateTokenRequest(), "token: required"});
  cases.push_back({Request("", {v1::ROLE_READER}), "token.principal: required"});
  cases.push_back({Request("alice", {v1::ROLE_READER}), "token.principal: "});
  cases.push_back({Request("users/", {v1::ROLE_READER}), "token.principal: "});
  cases.push_back({Request("users/Alice", {v1::ROLE_READER}),
                   "token.principal: "});
  cases.push_back({Request("users/-x", {v1::ROLE_READER}),
                   "token.principal: "});
  cases.push_back({Request("groups/x", {v1::ROLE_READER}),
                   "token.principal: "});
  cases.push_back({Request("users/alice", {}), "token.roles: "});
  cases.push_back({Request("users/alice", {v1::ROLE_UNSPECIFIED}),
                   "token.roles[0]: "});
  v1::CreateTokenRequest unknown_role = Request("users/alice", {});
  unknown_role.mutable_token()->add_roles(static_cast<v1::Role>(99));
  cases.push_back({unknown_role, "token.roles[0]: "});
  v1::CreateTokenRequest long_description =
      Request("users/alice", {v1::ROLE_READER});
  long_description.mutable_token()->set_description(std::string(257, 'x'));
  cases.push_back({long_description, "token.description: "});
  v1::CreateTokenRequest past = Request("users/alice", {v1::ROLE_READER});
  past.mutable_token()->mutable_expire_time()->set_seconds(
      absl::ToUnixSeconds(now_) - 1);
  cases.push_back({past, "token.expire_time: "});
  for (const Case& c : cases) {
    absl::StatusOr<IssuedToken> issued =
        manager_->CreateToken(admin_, c.request);
    EXPECT_EQ(issued.status().code(), absl::StatusCode::kInvalidArgument)
        << c.field;
    EXPECT_THAT(std::string(issued.status().message()), StartsWith(c.field));
  }
  // Output-only fields of the request are ignored.
  v1::CreateTokenRequest forged = Request("users/alice", {v1::ROLE_READER});
  forged.mutable_token()->set_name("tokens/0000000000000000");
  forged.mutable_token()->set_creator("users/mallory");
  forged.mutable_token()->mutable_revoke_time()->set_seconds(1);
  absl::StatusOr<IssuedToken> issued = manager_->CreateToken(admin_, forged);
  ASSERT_TRUE(issued.ok()) << issued.status();
  EXPECT_NE(issued->token.name(), "tokens/0000000000000000");
  EXPECT_EQ(issued->token.creator(), "users/admin");
  EXPECT_FALSE(issued->token.has_revoke_time());
  EXPECT_TRUE(manager_->Authenticate(issued->bearer_token).ok());
}

TEST_F(TokenManagerTest, GetAndRevokeNeedWellFormedNamesOfExistingTokens) {
  v1::GetTokenRequest get;
  get.set_name("tokens/xyz");
  EXPECT_EQ(manager_->GetToken(get).status().code(),
            absl::StatusCode::kInvalidArgument);
  get.set_name("tokens/0123456789abcdef");
  EXPECT_EQ(manager_->GetToken(get).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Revoke("tokens/0123456789abcdef").status().code(),
            absl::StatusCode::kNotFound);
  const IssuedToken issued = Create("users/alice", {v1::ROLE_READER});
  get.set_name(issued.token.name());
  absl::StatusOr<v1::Token> token = manager_->GetToken(get);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->principal(), "users/alice");
}

TEST_F(TokenManagerTest, ListsPagesInIdOrderAndHidesRevokedUnlessAsked) {
  std::vector<std::string> revoked_names;
  for (int i = 0; i < 7; ++i) {
    const IssuedToken issued =
        Create(absl::StrCat("users/u", i), {v1::ROLE_READER});
    if (i % 3 == 0) {
      ASSERT_TRUE(Revoke(issued.token.name()).ok());
      revoked_names.push_back(issued.token.name());
    }
  }
  for (bool include_revoked : {false, true}) {
    v1::ListTokensRequest request;
    request.set_page_size(2);
    request.set_include_revoked(include_revoked);
    std::vector<std::string> names;
    int pages = 0;
    do {
      absl::StatusOr<v1::ListTokensResponse> page =
          manager_->ListTokens(request);
      ASSERT_TRUE(page.ok()) << page.status();
      EXPECT_LE(page->tokens_size(), 2);
      for (const v1::Token& token : page->tokens()) {
        names.push_back(token.name());
        EXPECT_TRUE(include_revoked || !token.has_revoke_time());
      }
      request.set_page_token(page->next_page_token());
      ++pages;
    } while (!request.page_token().empty() && pages < 10);
    EXPECT_EQ(names.size(), include_revoked ? 7u : 4u);
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  }

  v1::ListTokensRequest bad;
  bad.set_page_size(1001);
  EXPECT_THAT(std::string(manager_->ListTokens(bad).status().message()),
              StartsWith("page_size: "));
  bad.set_page_size(1);
  absl::StatusOr<v1::ListTokensResponse> first = manager_->ListTokens(bad);
  ASSERT_TRUE(first.ok());
  bad.set_page_token(first->next_page_token());
  bad.set_include_revoked(true);  // Not the listing the token came from.
  EXPECT_THAT(std::string(manager_->ListTokens(bad).status().message()),
              StartsWith("page_token: "));
  bad.set_page_token("not-a-token");
  EXPECT_THAT(std::string(manager_->ListTokens(bad).status().message()),
              StartsWith("page_token: "));
}

TEST_F(TokenManagerTest, BootstrapAdminCountsOnlyUsableAdminTokens) {
  absl::StatusOr<bool> has_admin = manager_->HasActiveAdminToken();
  ASSERT_TRUE(has_admin.ok());
  EXPECT_FALSE(*has_admin);
  Create("users/alice", {v1::ROLE_EDITOR});
  EXPECT_FALSE(*manager_->HasActiveAdminToken());

  absl::StatusOr<IssuedToken> admin =
      manager_->IssueBootstrapAdminToken("first start");
  ASSERT_TRUE(admin.ok()) << admin.status();
  EXPECT_EQ(admin->token.principal(), kBootstrapAdminPrincipal);
  EXPECT_EQ(admin->token.creator(), kServerCreator);
  EXPECT_THAT(admin->token.roles(), ElementsAre(v1::ROLE_ADMIN));
  EXPECT_TRUE(*manager_->HasActiveAdminToken());

  ASSERT_TRUE(Revoke(admin->token.name()).ok());
  EXPECT_FALSE(*manager_->HasActiveAdminToken());
}

}  // namespace
}  // namespace auth
}  // namespace core
}  // namespace claimtrail
