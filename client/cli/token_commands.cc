// `claimtrail token create|list|show|revoke`: API tokens (admin only).
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "client/cli/command.h"
#include "client/cli/parse.h"
#include "client/render.h"

namespace claimtrail {
namespace cli {
namespace {

// "tokens/ID", a bare ID, or a whole bearer token "ct_ID_SECRET" (to revoke
// a leaked token without looking it up) -> "tokens/ID".
std::string TokenName(absl::string_view text) {
  if (absl::StartsWith(text, "tokens/")) return std::string(text);
  absl::string_view id = text;
  if (absl::ConsumePrefix(&id, "ct_")) id = id.substr(0, id.find('_'));
  return absl::StrCat("tokens/", id);
}

std::string RolesText(const v1::Token& token) {
  std::vector<std::string> roles;
  for (int role : token.roles()) {
    roles.push_back(client::EnumLabel(static_cast<v1::Role>(role), "-"));
  }
  return roles.empty() ? "none" : absl::StrJoin(roles, ", ");
}

std::string StatusText(const v1::Token& token) {
  if (token.has_revoke_time()) {
    return absl::StrCat("revoked ", client::FormatTimestamp(token.revoke_time()));
  }
  if (token.has_expire_time()) {
    return absl::StrCat("active, expires ",
                        client::FormatTimestamp(token.expire_time()));
  }
  return "active";
}

std::string RenderToken(const v1::Token& token) {
  std::string out = absl::StrCat(token.name(), "\n");
  absl::StrAppend(&out, "  principal:   ", token.principal(), "\n");
  absl::StrAppend(&out, "  roles:       ", RolesText(token), "\n");
  absl::StrAppend(&out, "  status:      ", StatusText(token), "\n");
  if (!token.description().empty()) {
    absl::StrAppend(&out, "  description: ", token.description(), "\n");
  }
  absl::StrAppend(&out, "  created:     ",
                  client::FormatTimestamp(token.create_time()), " by ",
                  token.creator(), "\n");
  if (token.has_revoke_time()) {
    absl::StrAppend(&out, "  revoked by:  ", token.revoker(),
                    token.revoke_reason().empty()
                        ? ""
                        : absl::StrCat(" (", token.revoke_reason(), ")"),
                    "\n");
  }
  return out;
}

std::string RenderTokenLine(const v1::Token& token) {
  return absl::StrCat(token.name(), "  ", token.principal(), "  [",
                      RolesText(token), "]  ", StatusText(token),
                      token.description().empty()
                          ? ""
                          : absl::StrCat("  ", token.description()));
}

// --expires: a time ("2026-01-01", RFC 3339) or a duration from now
// ("720h", "90m").
absl::StatusOr<google::protobuf::Timestamp> ParseExpiry(
    absl::string_view text) {
  absl::StatusOr<absl::Time> time = ParseTime("--expires", text);
  if (time.ok()) return ToProtoTime(*time);
  absl::StatusOr<absl::Duration> after = ParseTimeout("--expires", text);
  if (after.ok()) return ToProtoTime(absl::Now() + *after);
  return UsageError(absl::StrCat(
      "--expires: '", text,
      "' is neither a time (2026-01-01, RFC 3339) nor a duration (720h)"));
}

absl::Status RunTokenCreate(const ParsedArgs& args, CommandEnv& env) {
  v1::CreateTokenRequest request;
  v1::Token& token = *request.mutable_token();
  token.set_principal(args.positional()[0]);
  const std::vector<std::string> roles = args.GetAll("role");
  if (roles.empty()) {
    return UsageError(
        "--role: at least one required (reader, editor, auditor, admin)");
  }
  for (const std::string& role : roles) {
    absl::StatusOr<v1::Role> parsed = ParseEnum<v1::Role>("--role", role);
    if (!parsed.ok()) return parsed.status();
    token.add_roles(*parsed);
  }
  if (auto description = args.Get("description")) {
    token.set_description(*description);
  }
  if (auto expires = args.Get("expires")) {
    absl::StatusOr<google::protobuf::Timestamp> expiry = ParseExpiry(*expires);
    if (!expiry.ok()) return expiry.status();
    *token.mutable_expire_time() = *expiry;
  }
  absl::StatusOr<v1::CreateTokenResponse> created =
      env.client().CreateToken(request);
  if (!created.ok()) return created.status();
  env.Print(*created,
            absl::StrCat(RenderToken(created->token()),
                         "\nbearer token (shown only this once; store it now, "
                         "like a password):\n",
                         created->bearer_token(), "\n"));
  return absl::OkStatus();
}

absl::Status RunTokenList(const ParsedArgs& args, CommandEnv& env) {
  v1::ListTokensRequest request;
  request.set_include_revoked(args.GetBool("all"));
  v1::ListTokensResponse all;
  // Tokens are few: collect every page.
  while (true) {
    absl::StatusOr<v1::ListTokensResponse> page =
        env.client().ListTokens(request);
    if (!page.ok()) return page.status();
    for (v1::Token& token : *page->mutable_tokens()) {
      *all.add_tokens() = std::move(token);
    }
    if (page->next_page_token().empty()) break;
    request.set_page_token(page->next_page_token());
  }
  std::string human;
  for (const v1::Token& token : all.tokens()) {
    absl::StrAppend(&human, RenderTokenLine(token), "\n");
  }
  if (all.tokens().empty()) human = "no tokens\n";
  env.Print(all, human);
  return absl::OkStatus();
}

absl::Status RunTokenShow(const ParsedArgs& args, CommandEnv& env) {
  v1::GetTokenRequest request;
  request.set_name(TokenName(args.positional()[0]));
  absl::StatusOr<v1::Token> token = env.client().GetToken(request);
  if (!token.ok()) return token.status();
  env.Print(*token, RenderToken(*token));
  return absl::OkStatus();
}

absl::Status RunTokenRevoke(const ParsedArgs& args, CommandEnv& env) {
  v1::RevokeTokenRequest request;
  request.set_name(TokenName(args.positional()[0]));
  request.set_reason(args.GetOr("reason", ""));
  absl::StatusOr<v1::Token> token = env.client().RevokeToken(request);
  if (!token.ok()) return token.status();
  env.Print(*token, RenderToken(*token));
  return absl::OkStatus();
}

}  // namespace

std::vector<Command> TokenCommands() {
  const std::string admin_only =
      " Needs a token with the admin role (on the server's machine, its "
      "DATA_DIR/admin.token is one).";
  Command create;
  create.name = "token create";
  create.summary = "Issue an API token for a principal (admin).";
  create.synopsis = "PRINCIPAL --role ROLE [flags]";
  create.description = absl::StrCat(
      "Issues an API token bound to PRINCIPAL with the given roles and prints "
      "it once: the server keeps only a salted hash, so it cannot be shown "
      "again. Everything done with the token is recorded as PRINCIPAL.",
      admin_only);
  create.arguments = {
      "PRINCIPAL: users/{id} or services/{id}, e.g. users/alice",
  };
  create.flags = {
      {"role", "ROLE",
       "reader (reads, watch), editor (+ writes), auditor (+ reports, "
       "exports), admin (everything).",
       /*repeatable=*/true},
      {"description", "TEXT", "What the token is for (up to 256 bytes)."},
      {"expires", "WHEN",
       "Expiry: a time (2026-01-01, RFC 3339) or a duration (720h)."},
  };
  create.min_positional = 1;
  create.max_positional = 1;
  create.examples = {
      "claimtrail token create users/alice --role editor --description "
      "\"desk laptop\"",
      "claimtrail token create services/dashboard --role reader --expires "
      "720h"};
  create.run = RunTokenCreate;

  Command list;
  list.name = "token list";
  list.summary = "List API tokens (admin).";
  list.description = absl::StrCat(
      "Lists tokens: name, principal, roles and status; never secrets.",
      admin_only);
  list.flags = {{"all", "", "Include revoked tokens."}};
  list.examples = {"claimtrail token list", "claimtrail token list --all"};
  list.run = RunTokenList;

  Command show;
  show.name = "token show";
  show.summary = "Show one API token's record (admin).";
  show.synopsis = "TOKEN";
  show.description = absl::StrCat("Shows a token's record.", admin_only);
  show.arguments = {"TOKEN: tokens/{id}, the id, or the bearer token itself"};
  show.min_positional = 1;
  show.max_positional = 1;
  show.examples = {"claimtrail token show 3f9a0c1d2e4b5a69"};
  show.run = RunTokenShow;

  Command revoke;
  revoke.name = "token revoke";
  revoke.summary = "Revoke an API token at once (admin).";
  revoke.synopsis = "TOKEN [--reason TEXT]";
  revoke.description = absl::StrCat(
      "Revokes a token: every call with it fails UNAUTHENTICATED from the "
      "moment this returns. The record stays (token list --all).",
      admin_only);
  revoke.arguments = {
      "TOKEN: tokens/{id}, the id, or the bearer token itself"};
  revoke.flags = {{"reason", "TEXT", "Why (kept in the record)."}};
  revoke.min_positional = 1;
  revoke.max_positional = 1;
  revoke.examples = {
      "claimtrail token revoke tokens/3f9a0c1d2e4b5a69 --reason \"laptop "
      "lost\""};
  revoke.run = RunTokenRevoke;
  return {create, list, show, revoke};
}

}  // namespace cli
}  // namespace claimtrail
