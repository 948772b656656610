// `claimtrail claim add`: records a claim with everything known about it —
// figures, the attribution chain, parties' stances, where it appeared — in
// one CreateClaim, so it is one atomic write and one event.
#include "absl/strings/str_cat.h"
#include "client/cli/command.h"
#include "client/cli/parse.h"
#include "client/cli/write_flags.h"

namespace claimtrail {
namespace cli {
namespace {

absl::StatusOr<v1::CreateClaimRequest> BuildCreateClaim(const ParsedArgs& args,
                                                        CommandEnv& env) {
  v1::CreateClaimRequest request;
  v1::Claim& claim = *request.mutable_claim();
  claim.set_text(args.positional()[0]);
  if (auto id = args.Get("id")) {
    absl::StatusOr<std::string> claim_id = NewResourceId("--id", "claims", *id);
    if (!claim_id.ok()) return claim_id.status();
    request.set_claim_id(*claim_id);
  }
  for (const std::string& topic : args.GetAll("topic")) claim.add_topics(topic);
  if (auto language = args.Get("language")) claim.set_language(*language);
  absl::Status status = FillParts(args, *claim.mutable_parts());
  if (!status.ok()) return status;

  for (const std::string& spec : args.GetAll("figure")) {
    absl::StatusOr<v1::Figure> figure = ParseFigureSpec("--figure", spec);
    if (!figure.ok()) return figure.status();
    *claim.add_figures() = *figure;
  }

  v1::Appearance appearance;
  absl::StatusOr<bool> has_appearance = FillAppearance(args, appearance);
  if (!has_appearance.ok()) return has_appearance.status();
  if (*has_appearance) *claim.add_appearances() = appearance;

  const std::vector<std::string> hop_specs = args.GetAll("source");
  if (!hop_specs.empty()) {
    v1::Attribution& attribution = *claim.add_attributions();
    for (const std::string& spec : hop_specs) {
      absl::StatusOr<v1::AttributionHop> hop = ParseHop("--source", spec);
      if (!hop.ok()) return hop.status();
      *attribution.add_hops() = *hop;
    }
    // The article is where the last hop (the relaying outlet) was seen.
    if (*has_appearance) {
      *attribution.mutable_hops(attribution.hops_size() - 1)
           ->mutable_appearance() = appearance;
    }
  }

  for (const std::string& spec : args.GetAll("stance")) {
    absl::StatusOr<v1::Stance> stance = ParseStanceSpec("--stance", spec);
    if (!stance.ok()) return stance.status();
    *claim.add_stances() = *stance;
  }

  status = FillChangeContext(args, *request.mutable_context());
  if (!status.ok()) return status;
  request.set_request_id(RequestIdFor(args, env));
  return request;
}

absl::Status RunClaimAdd(const ParsedArgs& args, CommandEnv& env) {
  absl::StatusOr<v1::CreateClaimRequest> request = BuildCreateClaim(args, env);
  if (!request.ok()) return request.status();
  return PrintClaimResult(env.client().CreateClaim(*request), env);
}

}  // namespace

std::vector<Command> ClaimAddCommands() {
  const std::string verbs =
      EnumChoices(*google::protobuf::GetEnumDescriptor<v1::AttributionVerb>());
  const std::string positions =
      EnumChoices(*google::protobuf::GetEnumDescriptor<v1::StancePosition>());
  Command add;
  add.name = "claim add";
  add.summary =
      "Record a claim with figures, sourcing and stances in one write.";
  add.synopsis =
      "TEXT [--id ID] [--figure SPEC]... [--source HOP]... "
      "[--stance PARTY=POSITION]... [--url U ...] [flags]";
  add.description =
      "Records a new claim together with its figures, attribution chain, "
      "parties' stances and the appearance it was read in, as one atomic "
      "write (one CLAIM_CREATED event).";
  add.arguments = {
      "TEXT  Canonical text of the proposition (1-4096 bytes).",
      "SPEC  Figure: ID:QUALIFIER:N[..M][:UNIT[:LABEL]]; QUALIFIER is "
      "amount, about, over, at-least, up-to, under or between (N..M); UNIT "
      "is optional, e.g. ratio:about:2.5 or troops:over:10000::LABEL.",
      "HOP   SOURCE:VERB[:anon=REASON][:cred=N], primary source first; VERB: " +
          verbs + ".",
      "POSITION  " + positions + "."};
  add.flags = Concat(
      {{"id", "ID",
        "Claim id, ID or claims/ID: [a-z0-9-]. Default: server-assigned."},
       {"topic", "TOPIC", "Topic/tag, lower case.", true},
       {"language", "TAG", "BCP-47 language of TEXT, e.g. en."}},
      PartsFlags());
  add.flags =
      Concat(std::move(add.flags),
             {{"figure", "SPEC", "A figure in the claim (see SPEC).", true},
              {"source", "HOP",
               "One hop of the attribution chain, in order (see HOP).", true},
              {"stance", "PARTY=POSITION", "A party's position (see POSITION).",
               true}});
  add.flags =
      Concat(Concat(std::move(add.flags),
                    AppearanceFlags("the article the claim was read in")),
             CreateContextFlags());
  add.min_positional = add.max_positional = 1;
  add.examples = {
      "claimtrail claim add \"North Korea has sent troops to Russia to support "
      "its war against Ukraine.\" --id nk-troops --topic north-korea "
      "--figure troops:over:10000:soldiers --source nis:said "
      "--source straitstimes:reported --url https://www.straitstimes.com/... "
      "--outlet straitstimes.com --published 2025-03-21 --quote \"...\" "
      "--stance north-korea=not-confirmed --stance russia=not-confirmed"};
  add.run = RunClaimAdd;
  return {add};
}

}  // namespace cli
}  // namespace claimtrail
