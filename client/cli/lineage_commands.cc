// Commands about a claim's lineage and life cycle: link, merge, retract,
// redact.
#include "client/cli/command.h"
#include "client/cli/human.h"
#include "client/cli/parse.h"
#include "client/cli/write_flags.h"

namespace claimtrail {
namespace cli {
namespace {

absl::Status RunLink(const ParsedArgs& args, CommandEnv& env) {
  v1::LinkClaimsRequest request;
  request.set_claim(ClaimName(args.positional()[0]));
  absl::StatusOr<v1::RelationType> type = ParseEnum<v1::RelationType>(
      "TYPE", args.positional()[1], {v1::RELATION_TYPE_INVERSE});
  if (!type.ok()) return type.status();
  v1::Relation& relation = *request.mutable_relation();
  relation.set_type(*type);
  relation.set_target(ClaimName(args.positional()[2]));
  absl::Status status = FillChangeContext(args, *request.mutable_context());
  if (!status.ok()) return status;
  // --note explains the link itself as well as the event.
  relation.set_note(request.context().note());
  FillWriteFields(args, env, request);
  return PrintClaimResult(env.client().LinkClaims(request), env);
}

absl::Status RunMerge(const ParsedArgs& args, CommandEnv& env) {
  if (!args.Has("into")) return UsageError("--into: required");
  v1::MergeClaimsRequest request;
  request.set_claim(ClaimName(args.positional()[0]));
  request.set_into(ClaimName(args.GetOr("into", "")));
  absl::Status status = FillChangeContext(args, *request.mutable_context());
  if (!status.ok()) return status;
  FillWriteFields(args, env, request);
  return PrintClaimResult(env.client().MergeClaims(request), env);
}

absl::Status RunRetract(const ParsedArgs& args, CommandEnv& env) {
  v1::RetractClaimRequest request;
  request.set_claim(ClaimName(args.positional()[0]));
  // An absent --reason goes to the server, whose message names the field.
  request.set_reason(args.GetOr("reason", ""));
  absl::Status status = FillChangeContext(args, *request.mutable_context());
  if (!status.ok()) return status;
  FillWriteFields(args, env, request);
  return PrintClaimResult(env.client().RetractClaim(request), env);
}

absl::Status RunRedact(const ParsedArgs& args, CommandEnv& env) {
  absl::StatusOr<std::string> name = EventName("EVENT", args.positional()[0]);
  if (!name.ok()) return name.status();
  v1::RedactEventRequest request;
  request.set_name(*name);
  request.set_reason(args.GetOr("reason", ""));
  request.set_request_id(RequestIdFor(args, env));
  absl::StatusOr<v1::Event> event = env.client().RedactEvent(request);
  if (!event.ok()) return event.status();
  env.Print(*event, RenderEventBlock(*event, env.namer()));
  return absl::OkStatus();
}

}  // namespace

std::vector<Command> LineageCommands() {
  const std::string claim_arg = "CLAIM  Claim id or name, e.g. nk-troops.";
  Command link;
  link.name = "link";
  link.summary = "Link two claims (same-as, supersedes, contradicts, ...).";
  link.synopsis = "CLAIM TYPE OTHER [--note N] [flags]";
  link.description =
      "Links the claim to another claim; OTHER gets the inverse link.";
  link.arguments = {
      claim_arg,
      "TYPE  " +
          EnumChoices(*google::protobuf::GetEnumDescriptor<v1::RelationType>(),
                      {v1::RELATION_TYPE_INVERSE}) +
          ".",
      "OTHER  The other claim."};
  link.flags = ChangeFlags();
  link.min_positional = link.max_positional = 3;
  link.examples = {
      "claimtrail link nk-troops-12000 supersedes nk-troops --note \"newer NIS "
      "estimate\""};
  link.run = RunLink;

  Command merge;
  merge.name = "merge";
  merge.summary = "Merge a duplicate claim into another.";
  merge.synopsis = "CLAIM --into OTHER [flags]";
  merge.description =
      "Merges a duplicate CLAIM into OTHER. Both keep their histories; CLAIM "
      "becomes read-only and OTHER gains its appearances and attributions.";
  merge.arguments = {claim_arg};
  merge.flags =
      Concat({{"into", "OTHER", "The claim to merge into (required)."}},
             ChangeFlags());
  merge.min_positional = merge.max_positional = 1;
  merge.examples = {"claimtrail merge nk-troops-dup --into nk-troops"};
  merge.run = RunMerge;

  Command retract;
  retract.name = "retract";
  retract.summary = "Retract a claim.";
  retract.synopsis = "CLAIM --reason R [flags]";
  retract.description =
      "Retracts the claim (state: retracted). Its history stays.";
  retract.arguments = {claim_arg};
  retract.flags =
      Concat({{"reason", "TEXT", "Why the claim is retracted (required)."}},
             ChangeFlags());
  retract.min_positional = retract.max_positional = 1;
  retract.examples = {
      "claimtrail retract nk-troops --reason \"logged from a misquoted "
      "article\""};
  retract.run = RunRetract;

  Command redact;
  redact.name = "redact";
  redact.summary = "Remove one event's payload, keeping the record.";
  redact.synopsis = "EVENT --reason R [--request-id ID]";
  redact.description =
      "Removes one event's payload, keeping the record that it existed; the "
      "claim's state is re-derived without it.";
  redact.arguments = {
      "EVENT  claims/CLAIM/events/REVISION or CLAIM/events/REVISION (see "
      "'history')."};
  redact.flags =
      Concat({{"reason", "TEXT", "Why (required)."}}, RequestIdFlags());
  redact.min_positional = redact.max_positional = 1;
  redact.examples = {
      "claimtrail redact nk-troops/events/3 --reason \"personal data of a "
      "source\""};
  redact.run = RunRedact;
  return {link, merge, retract, redact};
}

}  // namespace cli
}  // namespace claimtrail
