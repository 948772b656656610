// Commands that add to an existing claim's picture, one event each:
// attribute, figure, stance, verdict, appearance.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/command.h"
#include "client/cli/human.h"
#include "client/cli/parse.h"
#include "client/cli/write_flags.h"

namespace claimtrail {
namespace cli {
namespace {

absl::Status RunAttribute(const ParsedArgs& args, CommandEnv& env) {
  v1::AddAttributionRequest request;
  request.set_claim(ClaimName(args.positional()[0]));
  v1::Attribution& attribution = *request.mutable_attribution();
  const std::vector<std::string> specs = args.GetAll("hop");
  if (specs.empty()) return UsageError("--hop: at least one hop is required");
  for (const std::string& spec : specs) {
    absl::StatusOr<v1::AttributionHop> hop = ParseHop("--hop", spec);
    if (!hop.ok()) return hop.status();
    *attribution.add_hops() = *hop;
  }
  if (auto figure = args.Get("figure")) attribution.set_figure_id(*figure);
  v1::Appearance appearance;
  absl::StatusOr<bool> has_appearance = FillAppearance(args, appearance);
  if (!has_appearance.ok()) return has_appearance.status();
  if (*has_appearance) {
    // Where the chain was seen: the last hop is the one that published it.
    *attribution.mutable_hops(attribution.hops_size() - 1)
         ->mutable_appearance() = appearance;
  }
  absl::Status status = FillChangeContext(args, *request.mutable_context());
  if (!status.ok()) return status;
  FillWriteFields(args, env, request);
  return PrintClaimResult(env.client().AddAttribution(request), env);
}

// A revision names what is counted again only when it changes: the label
// and unit the figure has now are kept unless --label / --unit is given
// (sources are not: each revision has its own). Reads the claim for them
// and, unless --etag was given, makes the write conditional on that read,
// so a label changed in between is not overwritten with a stale one.
absl::Status CarryOverFigureText(const ParsedArgs& args, CommandEnv& env,
                                 v1::ReviseFigureRequest& request) {
  if (args.Has("label") && args.Has("unit")) return absl::OkStatus();
  v1::GetClaimRequest get;
  get.set_name(request.claim());
  absl::StatusOr<v1::Claim> claim = env.client().GetClaim(get);
  if (!claim.ok()) return claim.status();
  v1::Figure& figure = *request.mutable_figure();
  for (const v1::Figure& current : claim->figures()) {
    if (current.figure_id() != figure.figure_id()) continue;
    if (!args.Has("label")) figure.set_label(current.label());
    if (!args.Has("unit")) figure.set_unit(current.unit());
    if (!args.Has("etag")) request.set_etag(claim->etag());
    break;
  }
  return absl::OkStatus();
}

absl::Status RunFigure(const ParsedArgs& args, CommandEnv& env) {
  std::string qualifier;
  std::vector<double> numbers;
  for (const std::string& flag : FigureQualifierFlags()) {
    if (!args.Has(flag)) continue;
    if (!qualifier.empty()) {
      return UsageError(absl::StrCat("--", flag, ": conflicts with --",
                                     qualifier,
                                     " (give exactly one quantity flag)"));
    }
    qualifier = flag;
    for (const std::string& text : args.GetAll(flag)) {
      absl::StatusOr<double> number =
          ParseNumber(absl::StrCat("--", flag), text);
      if (!number.ok()) return number.status();
      numbers.push_back(*number);
    }
  }
  if (qualifier.empty()) {
    return UsageError(
        absl::StrCat("one quantity flag is required: --",
                     absl::StrJoin(FigureQualifierFlags(), ", --")));
  }
  absl::StatusOr<v1::Figure> figure =
      BuildFigure(args.positional()[1], qualifier, numbers,
                  args.GetOr("unit", ""), args.GetOr("label", ""));
  if (!figure.ok()) return figure.status();
  for (const std::string& spec : args.GetAll("source")) {
    absl::StatusOr<v1::AttributionHop> hop = ParseHop("--source", spec);
    if (!hop.ok()) return hop.status();
    *figure->add_sources() = *hop;
  }
  v1::ReviseFigureRequest request;
  request.set_claim(ClaimName(args.positional()[0]));
  absl::Status status = FillChangeContext(args, *request.mutable_context());
  if (!status.ok()) return status;
  // The figure's own period is the change's valid time.
  if (request.context().has_valid_time()) {
    *figure->mutable_valid_time() = request.context().valid_time();
  }
  *request.mutable_figure() = *figure;
  FillWriteFields(args, env, request);
  status = CarryOverFigureText(args, env, request);
  if (!status.ok()) return status;
  return PrintClaimResult(env.client().ReviseFigure(request), env);
}

absl::Status RunStance(const ParsedArgs& args, CommandEnv& env) {
  v1::RecordStanceRequest request;
  request.set_claim(ClaimName(args.positional()[0]));
  v1::Stance& stance = *request.mutable_stance();
  stance.set_party(SourceName(args.positional()[1]));
  absl::StatusOr<v1::StancePosition> position =
      ParseEnum<v1::StancePosition>("POSITION", args.positional()[2]);
  if (!position.ok()) return position.status();
  stance.set_position(*position);
  if (auto statement = args.Get("statement")) stance.set_statement(*statement);
  absl::StatusOr<bool> has_evidence =
      FillAppearance(args, *stance.mutable_evidence());
  if (!has_evidence.ok()) return has_evidence.status();
  if (!*has_evidence) stance.clear_evidence();
  absl::Status status = FillChangeContext(args, *request.mutable_context());
  if (!status.ok()) return status;
  // When the party took the position is the change's asserted time.
  if (request.context().has_asserted_time()) {
    *stance.mutable_asserted_time() = request.context().asserted_time();
  }
  FillWriteFields(args, env, request);
  return PrintClaimResult(env.client().RecordStance(request), env);
}

absl::Status RunVerdict(const ParsedArgs& args, CommandEnv& env) {
  v1::RecordVerdictRequest request;
  request.set_claim(ClaimName(args.positional()[0]));
  v1::Verdict& verdict = *request.mutable_verdict();
  absl::StatusOr<v1::VerdictRating> rating =
      ParseEnum<v1::VerdictRating>("RATING", args.positional()[1]);
  if (!rating.ok()) return rating.status();
  verdict.set_rating(*rating);
  if (auto text = args.Get("text")) verdict.set_rating_text(*text);
  if (auto url = args.Get("url")) verdict.set_review_url(*url);
  if (auto explanation = args.Get("explanation"))
    verdict.set_explanation(*explanation);
  absl::Status status = FillChangeContext(args, *request.mutable_context());
  if (!status.ok()) return status;
  FillWriteFields(args, env, request);
  return PrintClaimResult(env.client().RecordVerdict(request), env);
}

absl::Status RunAppearance(const ParsedArgs& args, CommandEnv& env) {
  v1::AddAppearanceRequest request;
  request.set_claim(ClaimName(args.positional()[0]));
  v1::Appearance& appearance = *request.mutable_appearance();
  absl::StatusOr<bool> filled = FillAppearance(args, appearance);
  if (!filled.ok()) return filled.status();
  appearance.set_url(args.positional()[1]);
  absl::Status status = FillChangeContext(args, *request.mutable_context());
  if (!status.ok()) return status;
  FillWriteFields(args, env, request);
  return PrintClaimResult(env.client().AddAppearance(request), env);
}

}  // namespace

std::vector<Command> ChangeCommands() {
  const std::string verbs =
      EnumChoices(*google::protobuf::GetEnumDescriptor<v1::AttributionVerb>());
  const std::string claim_arg =
      "CLAIM  Claim id or name, e.g. nk-troops or claims/nk-troops.";

  Command attribute;
  attribute.name = "attribute";
  attribute.summary = "Add an attribution chain (who said it, who relayed it).";
  attribute.synopsis =
      "CLAIM --hop SOURCE:VERB[:anon=REASON][:cred=N]... [--figure FIG] "
      "[flags]";
  attribute.description =
      "Adds an attribution chain to the claim (or to one of its figures): "
      "who said it, and who relayed it, primary source first.";
  attribute.arguments = {claim_arg, "VERB  " + verbs + "."};
  attribute.flags = Concat(
      {{"hop", "SOURCE:VERB[:anon=REASON][:cred=N]",
        "One hop, in order; anon marks an unnamed source (REASON required), "
        "cred is the information credibility 1-6.",
        true},
       {"figure", "FIG",
        "The figure id this chain supports (default: the whole claim)."}},
      Concat(AppearanceFlags("where the last hop published it"),
             ChangeFlags()));
  attribute.min_positional = attribute.max_positional = 1;
  attribute.examples = {
      "claimtrail attribute nk-troops --hop nis:briefed --hop yonhap:reported "
      "--url https://en.yna.co.kr/... --published 2025-03-22"};
  attribute.run = RunAttribute;

  Command figure;
  figure.name = "figure";
  figure.summary = "Add or revise a figure (over 10,000 soldiers, ...).";
  figure.synopsis =
      "CLAIM FIGURE_ID (--amount N | --about N | --over N | --at-least N | "
      "--up-to N | --under N | --between N M) [--unit U] [--label TEXT] "
      "[--source HOP]... [flags]";
  figure.description =
      "Adds a figure to the claim, or a new revision of it (same FIGURE_ID). "
      "A revision keeps the figure's current label and unit unless --label "
      "or --unit is given (--label \"\" clears it); to read them it reads "
      "the claim first and, without --etag, writes only if the claim has not "
      "changed since (exit 5: run it again). Sources are not carried over: "
      "each revision has only the --source hops given with it.";
  figure.arguments = {
      claim_arg, "FIGURE_ID  Names the figure across revisions, e.g. troops."};
  figure.flags =
      Concat({{"amount", "N", "Exactly N."},
              {"about", "N", "About N."},
              {"over", "N", "More than N."},
              {"at-least", "N", "N or more."},
              {"up-to", "N", "N or fewer."},
              {"under", "N", "Fewer than N."},
              {"between", "N M", "Between N and M (lower first).", false, 2},
              {"unit", "U",
               "What is counted, e.g. soldiers, USD. Optional; a revision "
               "keeps the current unit."},
              {"label", "TEXT",
               "What the figure counts, in words; a revision keeps the "
               "current label."},
              {"source", "HOP",
               "Where this value comes from: SOURCE:VERB[:anon=REASON]"
               "[:cred=N], one hop, in order. Not carried over from earlier "
               "revisions.",
               true}},
             ChangeFlags());
  figure.min_positional = figure.max_positional = 2;
  figure.examples = {
      "claimtrail figure nk-troops troops --between 11000 12000 --unit "
      "soldiers "
      "--source nis:estimated --note \"NIS revised its estimate\""};
  figure.run = RunFigure;

  Command stance;
  stance.name = "stance";
  stance.summary = "Record a party's position (confirmed, denied, ...).";
  stance.synopsis =
      "CLAIM PARTY POSITION [--statement S] [--url U] [--asserted T] [flags]";
  stance.description =
      "Records a party's position on the claim; it replaces that party's "
      "current stance, and the claim's state is re-derived.";
  // The same list as claim add's help and the parse error: one spelling
  // everywhere (a unique prefix such as "declined" is still accepted).
  stance.arguments = {
      claim_arg, "PARTY  The party's source id, e.g. russia.",
      "POSITION  " +
          EnumChoices(
              *google::protobuf::GetEnumDescriptor<v1::StancePosition>()) +
          "."};
  stance.flags = Concat(
      {{"statement", "TEXT", "The party's words."}},
      Concat(AppearanceFlags("where the position was stated"), ChangeFlags()));
  stance.min_positional = stance.max_positional = 3;
  stance.examples = {
      "claimtrail stance nk-troops russia confirmed --asserted 2025-04-26 "
      "--statement \"...\" --url https://tass.com/..."};
  stance.run = RunStance;

  Command verdict;
  verdict.name = "verdict";
  verdict.summary = "Record a fact-checker's verdict.";
  verdict.synopsis =
      "CLAIM RATING [--text T] [--url U] [--explanation E] [flags]";
  verdict.description =
      "Records a fact-checker's verdict (kept apart from the parties' "
      "stances; the latest verdict counts).";
  verdict.arguments = {
      claim_arg,
      "RATING  " +
          EnumChoices(
              *google::protobuf::GetEnumDescriptor<v1::VerdictRating>()) +
          "."};
  verdict.flags =
      Concat({{"text", "TEXT", "The rating in the reviewer's words."},
              {"url", "URL", "URL of the published review."},
              {"explanation", "TEXT", "Explanation."}},
             ChangeFlags());
  verdict.min_positional = verdict.max_positional = 2;
  verdict.examples = {
      "claimtrail verdict nk-troops true --text \"Accurate\" --url "
      "https://factcheck.example/nk"};
  verdict.run = RunVerdict;

  Command appearance;
  appearance.name = "appearance";
  appearance.summary = "Record another place the claim was seen.";
  appearance.synopsis =
      "CLAIM URL [--outlet O] [--published T] [--quote Q] [flags]";
  appearance.description = "Records another place where the claim was seen.";
  appearance.arguments = {claim_arg, "URL  Address of the appearance."};
  std::vector<FlagSpec> appearance_flags;
  for (const FlagSpec& flag : AppearanceFlags("the appearance")) {
    if (flag.name != "url") appearance_flags.push_back(flag);
  }
  appearance.flags = Concat(appearance_flags, ChangeFlags());
  appearance.min_positional = appearance.max_positional = 2;
  appearance.examples = {
      "claimtrail appearance nk-troops https://www.reuters.com/... --outlet "
      "reuters.com "
      "--published 2025-03-22 --quote \"...\""};
  appearance.run = RunAppearance;
  return {attribute, figure, stance, verdict, appearance};
}

}  // namespace cli
}  // namespace claimtrail
