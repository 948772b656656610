#include "client/cli/args.h"

#include <algorithm>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace claimtrail {
namespace cli {
namespace {

constexpr absl::string_view kUsagePayloadUrl = "claimtrail.cli/usage";

const FlagSpec* FindFlag(const std::vector<FlagSpec>& flags,
                         absl::string_view name) {
  for (const FlagSpec& flag : flags) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

// "--name=value" -> ("name", "value", true); "--name" -> ("name", "", false).
// "-h" is the conventional short form of --help.
struct FlagToken {
  std::string name;
  std::string inline_value;
  bool has_inline_value = false;
};
std::optional<FlagToken> AsFlagToken(absl::string_view token) {
  if (token == "-h") return FlagToken{"help", "", false};
  if (!absl::StartsWith(token, "--") || token.size() == 2) return std::nullopt;
  token.remove_prefix(2);
  FlagToken out;
  const size_t eq = token.find('=');
  if (eq == absl::string_view::npos) {
    out.name = std::string(token);
  } else {
    out.name = std::string(token.substr(0, eq));
    out.inline_value = std::string(token.substr(eq + 1));
    out.has_inline_value = true;
  }
  return out;
}

}  // namespace

absl::Status UsageError(absl::string_view message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kUsagePayloadUrl, absl::Cord("1"));
  return status;
}

bool IsUsageError(const absl::Status& status) {
  return status.GetPayload(kUsagePayloadUrl).has_value();
}

bool ParsedArgs::Has(absl::string_view flag) const {
  return values_.find(flag) != values_.end();
}

std::optional<std::string> ParsedArgs::Get(absl::string_view flag) const {
  auto it = values_.find(flag);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::string ParsedArgs::GetOr(absl::string_view flag,
                              absl::string_view fallback) const {
  std::optional<std::string> value = Get(flag);
  return value ? *value : std::string(fallback);
}

std::vector<std::string> ParsedArgs::GetAll(absl::string_view flag) const {
  auto it = values_.find(flag);
  return it == values_.end() ? std::vector<std::string>() : it->second;
}

bool ParsedArgs::GetBool(absl::string_view flag) const {
  std::optional<std::string> value = Get(flag);
  return value.has_value() && *value != "false";
}

void ParsedArgs::Add(const std::string& flag, std::string value) {
  values_[flag].push_back(std::move(value));
}

absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<FlagSpec>& flags,
                                     const std::vector<std::string>& args) {
  ParsedArgs parsed;
  std::map<std::string, int> seen;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& token = args[i];
    if (token == "--") {
      for (++i; i < args.size(); ++i) parsed.AddPositional(args[i]);
      break;
    }
    std::optional<FlagToken> flag_token = AsFlagToken(token);
    if (!flag_token) {
      parsed.AddPositional(token);
      continue;
    }
    const std::string dashed = absl::StrCat("--", flag_token->name);
    const FlagSpec* spec = FindFlag(flags, flag_token->name);
    if (spec == nullptr) {
      return UsageError(absl::StrCat(dashed, ": unknown flag"));
    }
    if (++seen[spec->name] > 1 && !spec->repeatable) {
      return UsageError(absl::StrCat(dashed, ": given more than once"));
    }
    if (spec->value_name.empty()) {
      std::string value = "true";
      if (flag_token->has_inline_value) {
        value = flag_token->inline_value;
        if (value != "true" && value != "false") {
          return UsageError(absl::StrCat(
              dashed, ": expects true or false, got '", value, "'"));
        }
      }
      parsed.Add(spec->name, value);
      continue;
    }
    int needed = spec->arity;
    if (flag_token->has_inline_value) {
      parsed.Add(spec->name, flag_token->inline_value);
      --needed;
    }
    for (; needed > 0; --needed) {
      // The next token is the value even if it starts with "-": negative
      // numbers and dashes in text are legitimate values.
      if (++i >= args.size()) {
        return UsageError(
            absl::StrCat(dashed, ": missing value ", spec->value_name));
      }
      parsed.Add(spec->name, args[i]);
    }
  }
  return parsed;
}

CommandSplit SplitCommand(const std::vector<FlagSpec>& global_flags,
                          const std::vector<std::string>& groups,
                          const std::vector<std::string>& args) {
  CommandSplit split;
  bool flags_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& token = args[i];
    const bool want_word = split.command_words.empty() ||
                           (split.command_words.size() == 1 &&
                            std::find(groups.begin(), groups.end(),
                                      split.command_words[0]) != groups.end());
    if (!flags_ended) {
      if (token == "--") {
        flags_ended = true;
        split.rest.push_back(token);
        continue;
      }
      std::optional<FlagToken> flag_token = AsFlagToken(token);
      if (flag_token) {
        split.rest.push_back(token);
        const FlagSpec* spec = FindFlag(global_flags, flag_token->name);
        if (spec != nullptr && !spec->value_name.empty() &&
            !flag_token->has_inline_value) {
          // Keep a global flag's value with it, so "--server host show"
          // does not read "host" as the command.
          for (int n = 0; n < spec->arity && i + 1 < args.size(); ++n) {
            split.rest.push_back(args[++i]);
          }
        }
        continue;
      }
    }
    if (want_word) {
      split.command_words.push_back(token);
    } else {
      split.rest.push_back(token);
    }
  }
  return split;
}

}  // namespace cli
}  // namespace claimtrail
