#!/bin/bash
# Regenerates the seed corpora in tests/fuzz/corpus/ from the text-format
# requests below (protoc --encode). Run from anywhere; needs /usr/bin/protoc.
# The seeds are checked in; rerun after a proto change and commit the result.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=tests/fuzz/corpus
rm -rf "$OUT"
mkdir -p "$OUT/validation_fuzzer" "$OUT/page_token_fuzzer" "$OUT/fold_fuzzer" "$OUT/wire_diagnosis_fuzzer"

encode() {  # encode TYPE PROTO_FILE < text  -> binary on stdout
  /usr/bin/protoc -I. -I/usr/include --encode="$1" "$2"
}

# validation_fuzzer: selector byte (index in kValidators) + request.
n=0
seed_request() {  # seed_request INDEX TYPE TEXT
  local file
  file="$OUT/validation_fuzzer/$(printf '%02d' "$1")-$2-$n"
  n=$((n + 1))
  { printf "\\x$(printf '%02x' "$1")"; echo "$3" | encode "claimtrail.v1.$2" proto/claimtrail/v1/service.proto; } >"$file"
}
seed_request 0 CreateSourceRequest 'source { display_name: "National Intelligence Service" kind: SOURCE_KIND_AGENCY aliases: "NIS" country: "KR" } source_id: "nis" request_id: "r1"'
seed_request 0 CreateSourceRequest 'source { display_name: "KCNA" kind: SOURCE_KIND_STATE_MEDIA affiliation: "sources/north-korea" reliability: RELIABILITY_GRADE_E } request_id: "r2"'
seed_request 1 UpdateSourceRequest 'source { name: "sources/nis" aliases: "spy agency" } update_mask { paths: "aliases" } etag: "abc" request_id: "r3"'
seed_request 2 GetSourceRequest 'name: "sources/nis"'
seed_request 3 ListSourcesRequest 'page_size: 10 query: "spy" kind: SOURCE_KIND_AGENCY page_token: "AQ"'
seed_request 4 CreateClaimRequest 'claim_id: "nk-troops" request_id: "r4" claim { text: "North Korea has sent troops to Russia." parts { subject: "North Korea" predicate: "sent troops to" object: "Russia" period { start_time { seconds: 1727740800 } } } topics: "north-korea" language: "en" figures { figure_id: "troops" label: "soldiers" lower_bound: 10000 unit: "soldiers" qualifier: FIGURE_QUALIFIER_OVER sources { source: "sources/nis" verb: ATTRIBUTION_VERB_ESTIMATED credibility: 2 } } attributions { hops { source: "sources/nis" verb: ATTRIBUTION_VERB_CONFIRMED anonymous: true anonymity_reason: "policy" } hops { source: "sources/straitstimes" verb: ATTRIBUTION_VERB_REPORTED appearance { url: "https://example.org/a" } } } stances { party: "sources/russia" position: STANCE_POSITION_NOT_CONFIRMED } appearances { url: "https://www.straitstimes.com/x" outlet: "straitstimes.com" publish_time { seconds: 1742515200 } quote: "over 10,000" } } context { note: "from the article" asserted_time { seconds: 1742515200 } valid_time { start_time { seconds: 1727740800 } end_time { seconds: 1742515200 } } }'
seed_request 5 GetClaimRequest 'name: "claims/nk-troops" as_of { seconds: 1742515200 } valid_at { seconds: 1727740800 }'
seed_request 6 ListClaimsRequest 'page_size: 50 state: CLAIM_STATE_UNCONFIRMED topic: "north-korea" source: "sources/nis" party: "sources/russia"'
seed_request 7 UpdateClaimRequest 'claim { name: "claims/nk-troops" text: "New text" topics: "war" language: "en-GB" } update_mask { paths: "text" paths: "topics" paths: "language" } request_id: "r5"'
seed_request 8 AddAttributionRequest 'claim: "claims/nk-troops" attribution { hops { source: "sources/nis" verb: ATTRIBUTION_VERB_SAID credibility: 3 } figure_id: "troops" } request_id: "r6"'
seed_request 9 ReviseFigureRequest 'claim: "claims/nk-troops" figure { figure_id: "troops" lower_bound: 10000 upper_bound: 12000 unit: "soldiers" qualifier: FIGURE_QUALIFIER_BETWEEN } request_id: "r7"'
seed_request 10 RecordStanceRequest 'claim: "claims/nk-troops" stance { party: "sources/russia" position: STANCE_POSITION_DENIED statement: "No." evidence { url: "https://example.org/b" } } request_id: "r8"'
seed_request 11 RecordVerdictRequest 'claim: "claims/nk-troops" verdict { rating: VERDICT_RATING_MOSTLY_TRUE rating_text: "Mostly true" explanation: "x" review_url: "https://factcheck.example/1" } request_id: "r9"'
seed_request 12 AddAppearanceRequest 'claim: "claims/nk-troops" appearance { url: "http://example.org/c" outlet: "example" title: "t" } request_id: "r10"'
seed_request 13 LinkClaimsRequest 'claim: "claims/a" relation { type: RELATION_TYPE_SUPPORTS target: "claims/b" note: "n" } request_id: "r11"'
seed_request 14 MergeClaimsRequest 'claim: "claims/a" into: "claims/b" request_id: "r12"'
seed_request 15 RetractClaimRequest 'claim: "claims/a" reason: "withdrawn" request_id: "r13"'
seed_request 16 RedactEventRequest 'name: "claims/a/events/2" reason: "wrong" request_id: "r14"'
seed_request 17 ListClaimEventsRequest 'parent: "claims/a" page_size: 100 kinds: EVENT_KIND_STANCE_RECORDED recorded_after { seconds: 1 } recorded_before { seconds: 2 }'
seed_request 18 DiffClaimRequest 'name: "claims/a" from_time { seconds: 1 } to_time { seconds: 2 }'
seed_request 19 SearchClaimsRequest 'query: "north korea troops" state: CLAIM_STATE_DISPUTED created_after { seconds: 1 } created_before { seconds: 2 } page_size: 5'
seed_request 20 WatchClaimsRequest 'claim: "claims/a" kinds: EVENT_KIND_MERGED after_sequence: 5'
printf '\x15claims/abc/events/12' >"$OUT/validation_fuzzer/21-name-event"
printf '\x15sources/nis' >"$OUT/validation_fuzzer/21-name-source"

# page_token_fuzzer: mode 0 (raw token text), modes 1/2 (2 bytes + PageToken).
printf '\x00AQ' >"$OUT/page_token_fuzzer/0-short"
printf '\x00AQoKTGlzdENsYWltcxE0EgAAAAAAAA' >"$OUT/page_token_fuzzer/0-garbage"
for mode in 1 2; do
  { printf "\\x0$mode\\x05\\x07"; echo 'method: "ListClaims" filter_fingerprint: 4660 after_id: "nk-troops"' | encode claimtrail.core.PageToken server/core/internal.proto; } >"$OUT/page_token_fuzzer/$mode-list"
  { printf "\\x0$mode\\x11\\x30"; echo 'method: "SearchClaims" after_id: "b" after_matched: 3' | encode claimtrail.core.PageToken server/core/internal.proto; } >"$OUT/page_token_fuzzer/$mode-search"
  { printf "\\x0$mode\\x00\\x00"; echo 'method: "ListClaimEvents" after_revision: 17' | encode claimtrail.core.PageToken server/core/internal.proto; } >"$OUT/page_token_fuzzer/$mode-events"
done

# fold_fuzzer: event histories (ListClaimEventsResponse as a container).
fold_seed() {  # fold_seed NAME TEXT
  echo "$2" | encode claimtrail.v1.ListClaimEventsResponse proto/claimtrail/v1/service.proto >"$OUT/fold_fuzzer/$1"
}
CREATED='events { name: "claims/a/events/1" revision: 1 sequence: 1 kind: EVENT_KIND_CLAIM_CREATED author: "users/x" recorded_time { seconds: 100 } claim_created { claim { text: "t" topics: "x" figures { figure_id: "f" amount: 1 qualifier: FIGURE_QUALIFIER_EXACT } attributions { hops { source: "sources/s" verb: ATTRIBUTION_VERB_SAID } } stances { party: "sources/p" position: STANCE_POSITION_CONFIRMED } appearances { url: "https://e.org" } } } }'
fold_seed created "$CREATED"
fold_seed full "$CREATED
events { name: \"claims/a/events/2\" revision: 2 sequence: 2 kind: EVENT_KIND_STANCE_RECORDED recorded_time { seconds: 101 } stance_recorded { party: \"sources/q\" position: STANCE_POSITION_DENIED } }
events { name: \"claims/a/events/3\" revision: 3 sequence: 3 kind: EVENT_KIND_FIGURE_REVISED recorded_time { seconds: 102 } figure_revised { figure_id: \"f\" amount: 2 qualifier: FIGURE_QUALIFIER_ABOUT } }
events { name: \"claims/a/events/4\" revision: 4 sequence: 4 kind: EVENT_KIND_VERDICT_RECORDED recorded_time { seconds: 103 } verdict_recorded { rating: VERDICT_RATING_FALSE } }
events { name: \"claims/a/events/5\" revision: 5 sequence: 5 kind: EVENT_KIND_RELATION_ADDED recorded_time { seconds: 104 } relation_added { relation { type: RELATION_TYPE_SUPPORTS target: \"claims/b\" } } }
events { name: \"claims/a/events/6\" revision: 6 sequence: 6 kind: EVENT_KIND_CLAIM_UPDATED recorded_time { seconds: 105 } claim_updated { claim { text: \"u\" } update_mask_paths: \"text\" } }
events { name: \"claims/a/events/7\" revision: 7 sequence: 7 kind: EVENT_KIND_ATTRIBUTION_ADDED recorded_time { seconds: 106 } attribution_added { hops { source: \"sources/s\" verb: ATTRIBUTION_VERB_LEAKED } } }
events { name: \"claims/a/events/8\" revision: 8 sequence: 8 kind: EVENT_KIND_APPEARANCE_ADDED recorded_time { seconds: 107 } appearance_added { url: \"https://e.org/2\" } }
events { name: \"claims/a/events/9\" revision: 9 sequence: 9 kind: EVENT_KIND_STANCE_RECORDED redacted: true recorded_time { seconds: 108 } }
events { name: \"claims/a/events/10\" revision: 10 sequence: 10 kind: EVENT_KIND_REDACTED recorded_time { seconds: 109 } redacted_event { target_event: \"claims/a/events/9\" reason: \"r\" } }
events { name: \"claims/a/events/11\" revision: 11 sequence: 11 kind: EVENT_KIND_MERGED recorded_time { seconds: 110 } merged { merged_claim: \"claims/a\" into_claim: \"claims/b\" } }
events { name: \"claims/a/events/12\" revision: 12 sequence: 12 kind: EVENT_KIND_RETRACTED recorded_time { seconds: 111 } retracted { reason: \"gone\" } }"
fold_seed wrong-revision "$CREATED
events { name: \"claims/a/events/3\" revision: 3 kind: EVENT_KIND_RETRACTED retracted { reason: \"x\" } }"
fold_seed kind-mismatch "$CREATED
events { name: \"claims/a/events/2\" revision: 2 kind: EVENT_KIND_RETRACTED stance_recorded { party: \"sources/q\" } }"
echo "seeds: $(find "$OUT" -type f | wc -l) files in $OUT"

# wire_diagnosis_fuzzer: the same selector + request layout as
# validation_fuzzer, so its seeds, plus bytes the parser refuses.
cp "$OUT"/validation_fuzzer/* "$OUT/wire_diagnosis_fuzzer/"
W="$OUT/wire_diagnosis_fuzzer"
# CreateClaimRequest: claim { text: <invalid UTF-8> }.
printf '\x04\x0a\x06\x12\x04\xff\xfe\xfd\xfc' >"$W/bad-utf8-text"
# CreateClaimRequest: attributions[0].hops[0].source with a UTF-16 surrogate.
printf '\x04\x0a\x0b\x3a\x09\x12\x07\x0a\x05\xed\xa0\x80ab' >"$W/bad-utf8-nested"
# CreateClaimRequest: claim says 32 bytes, 5 follow.
printf '\x04\x0a\x20\x12\x05short' >"$W/truncated"
# GetClaimRequest: a varint that never ends.
printf '\x05\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff' >"$W/long-varint"
