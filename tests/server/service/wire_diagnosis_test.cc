// Tests of wire_diagnosis: the field paths and offsets it names, and that it
// agrees with the protobuf parser it explains (a randomized comparison over
// mutated messages, so a difference in what either accepts is found).
#include "server/service/wire_diagnosis.h"

#include <cstdint>
#include <memory>
#include <random>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "proto/claimtrail/v1/service.pb.h"
#include "tests/server/service/wire_test.pb.h"
#include "tests/server/service/wire_test_proto2.pb.h"

namespace claimtrail {
namespace service {
namespace {

using ::google::protobuf::Message;
using ::google::protobuf::TextFormat;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

// ---- Building wire bytes by hand.

std::string Varint(uint64_t value) {
  std::string out;
  while (value >= 0x80) {
    out.push_back(static_cast<char>(0x80 | (value & 0x7F)));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
  return out;
}

std::string Tag(int number, int wire_type) {
  return Varint((static_cast<uint64_t>(number) << 3) | wire_type);
}

// A length-delimited field.
std::string Field(int number, const std::string& payload) {
  return Tag(number, 2) + Varint(payload.size()) + payload;
}

std::string VarintField(int number, uint64_t value) {
  return Tag(number, 0) + Varint(value);
}

template <typename T>
T FromText(const std::string& text) {
  T message;
  EXPECT_TRUE(TextFormat::ParseFromString(text, &message)) << text;
  return message;
}

// The status as one comparable string.
std::string Diagnose(const std::string& bytes, const Message& prototype) {
  absl::Status status = FindWireFormatError(bytes, *prototype.GetDescriptor());
  if (status.ok()) return "OK";
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  return std::string(status.message());
}

// `bytes` must be refused by the parser too (the diagnosis only runs then).
std::string Refused(const std::string& bytes, const Message& prototype) {
  std::unique_ptr<Message> parsed(prototype.New());
  google::protobuf::LogSilencer quiet;
  EXPECT_FALSE(parsed->ParseFromString(bytes)) << "the parser accepts it";
  return Diagnose(bytes, prototype);
}

const test::Rich kRich;

// ---- Valid bytes.

TEST(WireDiagnosisTest, ValidBytesParseToTheSameMessage) {
  const test::Rich rich = FromText<test::Rich>(R"pb(
    name: "Näme ✓"
    i32: -5
    i64: -7
    u32: 9
    s32: -11
    s64: -13
    f32: 15
    f64: 17
    sf32: -19
    d: 2.5
    f: 1.5
    b: true
    color: COLOR_RED
    raw: "\xff\x00"
    leaf { text: "t" data: "\xfe" tags: "a" tags: "b" }
    leaves { text: "x" }
    leaves { tags: "y" }
    packed_i32: [ 1, -2, 300 ]
    packed_f32: [ 4, 5 ]
    packed_f64: [ 6 ]
    colors: [ COLOR_RED, COLOR_UNSPECIFIED ]
    packed_s64: [ -9 ]
    packed_d: [ 0.5 ]
    labels { key: "k" value: "v" }
    by_number {
      key: -3
      value { text: "n" }
    }
    by_sint { key: -4 value: "s" }
    by_bool {
      key: true
      value {}
    }
    by_fixed { key: 8 value: "f" }
    choice_leaf { text: "c" }
    child {
      name: "kid"
      child { name: "grandkid" }
    }
    children { i32: 1 }
    children { name: "second" }
    maybe: ""
    far_field: "far"
  )pb");
  const std::string bytes = rich.SerializeAsString();
  EXPECT_EQ(Diagnose(bytes, kRich), "OK");
  test::Rich parsed;
  ASSERT_TRUE(ParseMessageBytes(bytes, &parsed).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, rich));
}

TEST(WireDiagnosisTest, EmptyBytesAreTheEmptyMessage) {
  test::Rich parsed;
  parsed.set_name("old");
  EXPECT_TRUE(ParseMessageBytes("", &parsed).ok());
  EXPECT_EQ(parsed.ByteSizeLong(), 0u);
}

TEST(WireDiagnosisTest, UnknownFieldsAreAcceptedAndKept) {
  // Field 99 is unknown: a length-delimited value that is not UTF-8, a
  // group with a varint inside, a fixed64. Field 1 (`name`, a string) sent
  // as a varint is unknown too, as protobuf reads it.
  const std::string bytes =
      Field(99, "\xff\xfe") + Tag(98, 3) + VarintField(1, 7) + Tag(98, 4) +
      Tag(97, 1) + std::string(8, '\x01') + VarintField(1, 42) + Field(1, "ok");
  EXPECT_EQ(Diagnose(bytes, kRich), "OK");
  test::Rich parsed;
  ASSERT_TRUE(ParseMessageBytes(bytes, &parsed).ok());
  EXPECT_EQ(parsed.name(), "ok");
  EXPECT_EQ(parsed.SerializeAsString(),
            Field(1, "ok") + Field(99, "\xff\xfe") + Tag(98, 3) +
                VarintField(1, 7) + Tag(98, 4) + Tag(97, 1) +
                std::string(8, '\x01') + VarintField(1, 42));
}

TEST(WireDiagnosisTest, BytesFieldsAndProto2StringsNeedNoUtf8) {
  EXPECT_EQ(Diagnose(Field(14, "\xff"), kRich), "OK");
  EXPECT_EQ(Diagnose(Field(15, Field(2, "\xc0\xaf")), kRich), "OK");
  test::Legacy legacy;
  EXPECT_TRUE(
      ParseMessageBytes(Field(1, "\xff\xfe") + VarintField(2, 1), &legacy)
          .ok());
  EXPECT_EQ(legacy.text(), "\xff\xfe");
}

// ---- Invalid UTF-8, named by field path.

TEST(WireDiagnosisTest, InvalidUtf8AtTheTopLevel) {
  EXPECT_EQ(Refused(Field(1,
                          "a\xff"
                          "b"),
                    kRich),
            "name: not valid UTF-8 (at byte 1 of 3: 0xff)");
  EXPECT_EQ(Refused(Field(2000, "\xc0\xaf"), kRich),
            "far_field: not valid UTF-8 (at byte 0 of 2: 0xc0)");
  EXPECT_EQ(Refused(Field(32, "\xed\xa0\x80"), kRich),
            "maybe: not valid UTF-8 (at byte 0 of 3: 0xed)");
}

TEST(WireDiagnosisTest, OverlongSurrogateAndOutOfRangeSequencesAreRefused) {
  for (const char* bad :
       {"\xc0\x80", "\xe0\x80\xaf", "\xed\xbf\xbf", "\xf4\x90\x80\x80",
        "\xf8\x88\x80\x80\x80", "\x80", "\xe2\x82"}) {
    EXPECT_THAT(Refused(Field(1, bad), kRich),
                StartsWith("name: not valid UTF-8"))
        << absl::CHexEscape(bad);
  }
}

TEST(WireDiagnosisTest, NestedAndRepeatedFieldsAreNamedByPath) {
  EXPECT_EQ(Refused(Field(15, Field(1, "\xff")), kRich),
            "leaf.text: not valid UTF-8 (at byte 0 of 1: 0xff)");
  EXPECT_THAT(Refused(Field(16, "") + Field(16, "") +
                          Field(16, Field(3, "ok") + Field(3, "\xff")),
                      kRich),
              StartsWith("leaves[2].tags[1]: not valid UTF-8"));
  EXPECT_THAT(
      Refused(Field(31, "") + Field(31, Field(30, Field(16, Field(1, "\x80")))),
              kRich),
      StartsWith("children[1].child.leaves[0].text: not valid UTF-8"));
  EXPECT_THAT(Refused(Field(28, "\xff"), kRich),
              StartsWith("choice_text: not valid UTF-8"));
  EXPECT_THAT(Refused(Field(29, Field(1, "\xff")), kRich),
              StartsWith("choice_leaf.text: not valid UTF-8"));
}

TEST(WireDiagnosisTest, ClaimTrailRequestsAreNamedAsTheirValidationDoes) {
  v1::CreateClaimRequest create = FromText<v1::CreateClaimRequest>(
      R"pb(claim {
             text: "t"
             attributions {
               hops { source: "sources/a" }
               hops { source: "MARK" }
             }
           }
           request_id: "r")pb");
  std::string bytes = create.SerializeAsString();
  bytes.replace(bytes.find("MARK"), 4, "\xff\xfe\xfd\xfc");
  EXPECT_EQ(Refused(bytes, v1::CreateClaimRequest()),
            "claim.attributions[0].hops[1].source: not valid UTF-8 (at byte 0 "
            "of 4: 0xff)");

  v1::RecordStanceRequest stance =
      FromText<v1::RecordStanceRequest>(R"pb(claim: "claims/c"
                                             stance { party: "MARK" }
                                             request_id: "r")pb");
  bytes = stance.SerializeAsString();
  bytes.replace(bytes.find("MARK"), 4, "\xe2\x82\x28\x29");
  EXPECT_THAT(Refused(bytes, v1::RecordStanceRequest()),
              StartsWith("stance.party: not valid UTF-8"));

  stance.mutable_stance()->set_party("sources/p");
  stance.set_request_id("MARK");
  bytes = stance.SerializeAsString();
  bytes.replace(bytes.find("MARK"), 4, "\x80\x80\x80\x80");
  EXPECT_THAT(Refused(bytes, v1::RecordStanceRequest()),
              StartsWith("request_id: not valid UTF-8"));
}

TEST(WireDiagnosisTest, MapValuesAreNamedByKey) {
  const auto entry = [](const std::string& key, const std::string& value) {
    return key + value;
  };
  EXPECT_EQ(Refused(Field(23, entry(Field(1, "k"), Field(2, "\xff"))), kRich),
            "labels[\"k\"]: not valid UTF-8 (at byte 0 of 1: 0xff)");
  // The value before the key, and a second key: the last key counts.
  EXPECT_THAT(
      Refused(Field(23, Field(2, "\xff") + Field(1, "a") + Field(1, "b\"c")),
              kRich),
      StartsWith("labels[\"b\\\"c\"]: not valid UTF-8"));
  EXPECT_THAT(Refused(Field(24, VarintField(1, static_cast<uint64_t>(-3)) +
                                    Field(2, Field(3, "\xff"))),
                      kRich),
              StartsWith("by_number[-3].tags[0]: not valid UTF-8"));
  EXPECT_THAT(Refused(Field(25, VarintField(1, 7) + Field(2, "\xff")), kRich),
              StartsWith("by_sint[-4]: not valid UTF-8"));
  EXPECT_THAT(
      Refused(Field(26, VarintField(1, 1) + Field(2, Field(1, "\xff"))), kRich),
      StartsWith("by_bool[true].text: not valid UTF-8"));
  EXPECT_THAT(Refused(Field(27, Tag(1, 5) + std::string("\x05\x01\x00\x00", 4) +
                                    Field(2, "\xff")),
                      kRich),
              StartsWith("by_fixed[261]: not valid UTF-8"));
  // A missing key is the default key.
  EXPECT_THAT(Refused(Field(23, Field(2, "\xff")), kRich),
              StartsWith("labels[\"\"]: not valid UTF-8"));
  // Long keys are cut short.
  EXPECT_THAT(
      Refused(Field(23, Field(1, std::string(100, 'k')) + Field(2, "\xff")),
              kRich),
      StartsWith("labels[\"" + std::string(40, 'k') + "...\"]: "));
}

TEST(WireDiagnosisTest, MapKeysThatAreNotUtf8AreNamedByEntry) {
  EXPECT_EQ(Refused(Field(23, Field(1, "a") + Field(2, "b")) +
                        Field(23, Field(1, "\xff\xfe")),
                    kRich),
            "labels: map key of entry 1 not valid UTF-8 (at byte 0 of 2: "
            "0xff)");
}

TEST(WireDiagnosisTest, WellKnownTypesWithMapsOfMessages) {
  google::protobuf::Struct value;
  (*value.mutable_fields())["outer"]
      .mutable_struct_value()
      ->mutable_fields()
      ->
      operator[]("inner")
      .set_string_value("MARK");
  std::string bytes = value.SerializeAsString();
  bytes.replace(bytes.find("MARK"), 4, "\xff\xff\xff\xff");
  EXPECT_THAT(Refused(bytes, google::protobuf::Struct()),
              StartsWith("fields[\"outer\"].struct_value.fields[\"inner\"]"
                         ".string_value: not valid UTF-8"));
}

// ---- Bytes that are not a message.

TEST(WireDiagnosisTest, TruncatedBytesNameTheMessageAndOffset) {
  EXPECT_EQ(Refused(std::string("\x7a\x0a\x0a\x02", 4), kRich),
            "request: not a valid claimtrail.test.Rich (truncated or malformed "
            "protobuf bytes at offset 1: field 15 (leaf) is 10 bytes long but "
            "only 2 bytes remain)");
  // The same fault inside the second element of `leaves`: the offset still
  // counts from the start of the request.
  EXPECT_EQ(
      Refused(Field(16, "") + Field(16, std::string("\x0a\x05xy", 4)), kRich),
      "leaves[1]: not a valid claimtrail.test.Leaf (truncated or "
      "malformed protobuf bytes at offset 7: field 1 (text) is 5 bytes "
      "long but only 2 bytes remain)");
  EXPECT_EQ(Refused(Tag(2, 0) + "\x80", kRich),
            "request: not a valid claimtrail.test.Rich (truncated or malformed "
            "protobuf bytes at offset 1: the bytes end inside varint field 2 "
            "(i32))");
  EXPECT_EQ(Refused(Tag(8, 1) + "1234", kRich),
            "request: not a valid claimtrail.test.Rich (truncated or malformed "
            "protobuf bytes at offset 1: field 8 (f64) needs 8 bytes but only "
            "4 remain)");
  EXPECT_THAT(Refused("\x82", kRich),
              StartsWith("request: not a valid claimtrail.test.Rich (truncated "
                         "or malformed protobuf bytes at offset 0: the bytes "
                         "end inside a field tag)"));
}

TEST(WireDiagnosisTest, GarbageBytesAreNotAMessage) {
  EXPECT_EQ(Refused("\xff\xff\xff\xff\xff\xff", v1::CreateClaimRequest()),
            "request: not a valid claimtrail.v1.CreateClaimRequest (truncated "
            "or malformed protobuf bytes at offset 0: a field tag is longer "
            "than 5 bytes)");
  EXPECT_THAT(Refused(Tag(2, 0) + std::string(10, '\xff') + "\x01", kRich),
              MatchesRegex(".*offset 1: varint field 2 \\(i32\\) is longer "
                           "than 10 bytes\\)"));
  EXPECT_THAT(Refused(std::string("\x00", 1), kRich),
              MatchesRegex(".*offset 0: field number 0\\)"));
  EXPECT_THAT(Refused(Tag(5, 7), kRich),
              MatchesRegex(".*offset 0: field 5 has wire type 7, which does "
                           "not exist\\)"));
  EXPECT_THAT(Refused(Tag(5, 4), kRich),
              MatchesRegex(".*offset 0: end-group tag of field 5, which no "
                           "group opened\\)"));
  EXPECT_THAT(Refused(Tag(99, 3) + VarintField(1, 1), kRich),
              MatchesRegex(".*offset 4: the group of field 99 has no "
                           "end-group tag\\)"));
  EXPECT_THAT(Refused(Tag(99, 3) + Tag(98, 4), kRich),
              MatchesRegex(".*offset 2: end-group tag of field 98 inside the "
                           "group of field 99\\)"));
  // A nested message may not end with an end-group tag either.
  EXPECT_THAT(Refused(Field(15, Tag(1, 4)), kRich),
              StartsWith("leaf: not a valid claimtrail.test.Leaf"));
}

TEST(WireDiagnosisTest, PackedFieldsMustBeWhole) {
  EXPECT_EQ(Refused(Field(18, "123456"), kRich),
            "request: not a valid claimtrail.test.Rich (truncated or malformed "
            "protobuf bytes at offset 2: packed field 18 (packed_f32) is 6 "
            "bytes long, not a multiple of 4)");
  EXPECT_THAT(Refused(Field(19, "1234"), kRich),
              MatchesRegex(".*packed field 19 \\(packed_f64\\) is 4 bytes "
                           "long, not a multiple of 8\\)"));
  EXPECT_THAT(Refused(Field(17, "\x01\x80"), kRich),
              MatchesRegex(".*offset 4: the bytes end inside an element of "
                           "packed field 17 \\(packed_i32\\)\\)"));
  // Packed and unpacked both parse.
  EXPECT_EQ(Diagnose(Field(17, "\x01\x02") + VarintField(17, 3), kRich), "OK");
}

TEST(WireDiagnosisTest, GroupsAreMessagesToo) {
  test::Legacy legacy = FromText<test::Legacy>(
      R"pb(id: 1
           Part {
             note: "n"
             nested { id: 2 text: "\xff" }
           }
           Item { value: 1 }
           Item { value: 2 })pb");
  std::string bytes = legacy.SerializeAsString();
  EXPECT_EQ(Diagnose(bytes, test::Legacy()), "OK");
  // Cut before the end-group tag of the last `item`.
  bytes.resize(bytes.size() - 1);
  EXPECT_THAT(Refused(bytes, test::Legacy()),
              StartsWith("item[1]: not a valid claimtrail.test.Legacy.Item "
                         "(truncated or malformed protobuf bytes at offset "));
}

TEST(WireDiagnosisTest, NestingDeeperThanTheParserAllowsIsNamed) {
  std::string ok = Field(1, "deep");
  for (int i = 0; i < 100; ++i) ok = Field(30, ok);
  EXPECT_EQ(Diagnose(ok, kRich), "OK");
  test::Rich parsed;
  EXPECT_TRUE(parsed.ParseFromString(ok));

  const std::string too_deep = Field(30, ok);
  std::string path = "child";
  for (int i = 1; i < 101; ++i) path += ".child";
  EXPECT_EQ(Refused(too_deep, kRich),
            path + ": nested more than 100 messages deep");
}

TEST(WireDiagnosisTest, MissingRequiredFieldsAreNamed) {
  test::Legacy legacy;
  const absl::Status status = ParseMessageBytes(
      Tag(3, 3) + Field(5, "") + Tag(3, 4) + VarintField(2, 1), &legacy);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "part.nested.id: required");
  EXPECT_EQ(legacy.ByteSizeLong(), 0u) << "left empty on failure";
}

// ---- Agreement with the parser over random mutations.

// Paths as ClaimTrail writes them, or "request".
constexpr char kPathPattern[] =
    "^(request|[a-z_0-9]+(\\[[^]]*\\])?(\\.[a-z_0-9]+(\\[[^]]*\\])?)*): .+";

void ExpectAgreement(const std::string& bytes, const Message& prototype) {
  std::unique_ptr<Message> parsed(prototype.New());
  const bool accepted = parsed->ParsePartialFromString(bytes);
  const absl::Status found =
      FindWireFormatError(bytes, *prototype.GetDescriptor());
  ASSERT_EQ(found.ok(), accepted)
      << "bytes " << absl::CHexEscape(bytes) << ": " << found;
  if (!found.ok()) {
    EXPECT_EQ(found.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(found.message()), MatchesRegex(kPathPattern));
  }
  std::unique_ptr<Message> out(prototype.New());
  const absl::Status explained = ParseMessageBytes(bytes, out.get());
  ASSERT_EQ(explained.ok(), parsed->ParseFromString(bytes));
  if (!explained.ok()) {
    EXPECT_THAT(std::string(explained.message()), MatchesRegex(kPathPattern));
  }
}

std::string Mutate(std::string bytes, std::mt19937* random) {
  auto pick = [random](size_t n) {
    return std::uniform_int_distribution<size_t>(0, n - 1)(*random);
  };
  static const char kNasty[] = {'\x80', '\xc0', '\xed', '\xf4', '\xf5',
                                '\xff', '\x00', '\x0a', '\x0b', '\x0c'};
  const int edits = 1 + pick(3);
  for (int e = 0; e < edits; ++e) {
    const size_t at = bytes.empty() ? 0 : pick(bytes.size() + 1);
    switch (pick(5)) {
      case 0:  // Overwrite a byte.
        if (at < bytes.size()) bytes[at] = static_cast<char>(pick(256));
        break;
      case 1:  // Insert a byte likely to matter.
        bytes.insert(at, 1, kNasty[pick(sizeof(kNasty))]);
        break;
      case 2:  // Delete a byte.
        if (at < bytes.size()) bytes.erase(at, 1);
        break;
      case 3:  // Truncate.
        bytes.resize(at);
        break;
      default:  // Overwrite with a byte likely to matter.
        if (at < bytes.size()) bytes[at] = kNasty[pick(sizeof(kNasty))];
    }
  }
  return bytes;
}

TEST(WireDiagnosisTest, AgreesWithTheParserOnMutatedMessages) {
  google::protobuf::LogSilencer quiet;
  const test::Rich rich = FromText<test::Rich>(R"pb(
    name: "n"
    i32: -1
    s64: -2
    f32: 3
    f64: 4
    d: 5
    color: COLOR_RED
    raw: "r"
    leaf { text: "t" tags: "a" data: "d" }
    leaves { text: "x" }
    packed_i32: [ 1, 300 ]
    packed_f32: [ 1 ]
    packed_f64: [ 2 ]
    colors: [ COLOR_RED ]
    packed_s64: [ -9 ]
    packed_d: [ 0.5 ]
    labels { key: "k" value: "v" }
    by_number {
      key: 3
      value { text: "n" }
    }
    by_sint { key: -4 value: "s" }
    by_bool {
      key: true
      value { text: "b" }
    }
    by_fixed { key: 8 value: "f" }
    choice_text: "c"
    child {
      name: "kid"
      leaves { tags: "z" }
    }
    children { name: "c2" }
    far_field: "far"
  )pb");
  const test::Legacy legacy = FromText<test::Legacy>(
      R"pb(id: 1
           text: "t"
           Part {
             note: "n"
             nested { id: 2 }
           }
           Item { value: 1 }
           Item { value: 2 }
           kind: KIND_B
           kinds: [ KIND_A, KIND_B ]
           next { id: 3 })pb");
  const v1::CreateClaimRequest create = FromText<v1::CreateClaimRequest>(
      R"pb(claim {
             text: "t"
             topics: "a"
             figures { figure_id: "f" amount: 1 unit: "u" }
             attributions { hops { source: "sources/a" } }
           }
           request_id: "r")pb");
  std::mt19937 random(20250101);
  const Message* prototypes[] = {&rich, &legacy, &create};
  for (const Message* prototype : prototypes) {
    const std::string bytes = prototype->SerializeAsString();
    ExpectAgreement(bytes, *prototype);
    for (int i = 0; i < 4000 && !HasFatalFailure(); ++i) {
      ExpectAgreement(Mutate(bytes, &random), *prototype);
    }
  }
}

}  // namespace
}  // namespace service
}  // namespace claimtrail
