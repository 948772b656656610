#include "server/service/wire_diagnosis.h"

#include <climits>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/wire_format_lite.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace service {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::FileDescriptor;
using WireFormatLite = ::google::protobuf::internal::WireFormatLite;

// The parser's limits (protobuf 3.21, parse_context.h): message nesting
// (io::CodedInputStream's default recursion limit, which gRPC's parse
// uses), and the longest tag, varint and length prefix it reads.
constexpr int kMaxNesting = 100;
constexpr int kMaxTagBytes = 5;
constexpr int kMaxVarintBytes = 10;
constexpr int kMaxLengthBytes = 5;
// Longer map keys are cut short in paths.
constexpr size_t kMaxKeyShown = 40;

// A fault in the wire structure of the message being walked (not of a
// message nested in it): where, and what.
struct Fault {
  size_t offset;
  std::string what;
};

std::string Named(const std::string& path) {
  return path.empty() ? "request" : path;
}

std::string JoinPath(const std::string& path, absl::string_view name) {
  return path.empty() ? std::string(name) : absl::StrCat(path, ".", name);
}

std::string FieldLabel(int number, const FieldDescriptor* field) {
  if (field == nullptr) return absl::StrCat("field ", number);
  return absl::StrCat("field ", number, " (", field->name(), ")");
}

// Why `text` is not valid UTF-8 by protobuf's own check, or nullopt.
std::optional<std::string> Utf8Fault(absl::string_view text) {
  const size_t valid = static_cast<size_t>(
      ::google::protobuf::internal::UTF8SpnStructurallyValid(
          ::google::protobuf::StringPiece(text.data(), text.size())));
  if (valid >= text.size()) return std::nullopt;
  return absl::StrFormat("at byte %d of %d: 0x%02x", valid, text.size(),
                         static_cast<uint8_t>(text[valid]));
}

// proto3 `string` fields must hold UTF-8 (proto2 ones are not checked).
bool MustBeUtf8(const FieldDescriptor& field) {
  return field.type() == FieldDescriptor::TYPE_STRING &&
         field.file()->syntax() == FileDescriptor::SYNTAX_PROTO3;
}

int ExpectedWireType(const FieldDescriptor& field) {
  return WireFormatLite::WireTypeForFieldType(
      static_cast<WireFormatLite::FieldType>(field.type()));
}

absl::Status Malformed(const std::string& path, const Descriptor& type,
                       const Fault& fault) {
  return absl::InvalidArgumentError(
      absl::StrCat(Named(path), ": not a valid ", type.full_name(),
                   " (truncated or malformed protobuf bytes at offset ",
                   fault.offset, ": ", fault.what, ")"));
}

// A map key as shown in a path: ["text"], [42], [true].
std::string ShowKey(const FieldDescriptor& key, uint64_t number,
                    absl::string_view text) {
  switch (key.type()) {
    case FieldDescriptor::TYPE_STRING: {
      const bool cut = text.size() > kMaxKeyShown;
      return absl::StrCat("[\"", absl::CHexEscape(text.substr(0, kMaxKeyShown)),
                          cut ? "...\"]" : "\"]");
    }
    case FieldDescriptor::TYPE_BOOL:
      return number != 0 ? "[true]" : "[false]";
    case FieldDescriptor::TYPE_INT32:
    case FieldDescriptor::TYPE_SFIXED32:
      return absl::StrCat("[", static_cast<int32_t>(number), "]");
    case FieldDescriptor::TYPE_INT64:
    case FieldDescriptor::TYPE_SFIXED64:
      return absl::StrCat("[", static_cast<int64_t>(number), "]");
    case FieldDescriptor::TYPE_UINT32:
    case FieldDescriptor::TYPE_FIXED32:
      return absl::StrCat("[", static_cast<uint32_t>(number), "]");
    case FieldDescriptor::TYPE_SINT32:
      return absl::StrCat(
          "[", WireFormatLite::ZigZagDecode32(static_cast<uint32_t>(number)),
          "]");
    case FieldDescriptor::TYPE_SINT64:
      return absl::StrCat("[", WireFormatLite::ZigZagDecode64(number), "]");
    default:
      return absl::StrCat("[", number, "]");
  }
}

// Walks serialized bytes as the parser reads them. Positions are offsets
// from the start of the request; no read goes past the `end` it is given
// (the end of the message being read).
class Walker {
 public:
  explicit Walker(absl::string_view bytes) : bytes_(bytes) {}

  // Walks the fields of a `type` at `path`, `depth` messages below the top,
  // from *pos. A group (`group_number` != 0) ends at its end-group tag, and
  // *pos is left after it; anything else ends at `end`.
  absl::Status Message(size_t* pos, size_t end, const Descriptor& type,
                       const std::string& path, int depth, int group_number);

 private:
  // Reads a varint of at most `max_bytes` bytes. On failure, the fault
  // (`what` names the varint) is returned and *pos is unspecified.
  std::optional<Fault> Varint(size_t* pos, size_t end, int max_bytes,
                              absl::string_view what, uint64_t* value) const;
  // Reads a length prefix and checks that that many bytes follow; *pos is
  // left at the data.
  std::optional<Fault> Length(size_t* pos, size_t end, absl::string_view what,
                              size_t* size) const;
  std::optional<Fault> Fixed(size_t* pos, size_t end, size_t size,
                             absl::string_view what) const;
  // Skips a value the parser keeps unread (an unknown field, or a known one
  // sent with another wire type), checking only its wire structure.
  std::optional<Fault> SkipUnread(size_t* pos, size_t end, size_t tag_at,
                                  int wire_type, int number, int depth) const;
  // Skips an unread group's fields, and its end-group tag.
  std::optional<Fault> SkipGroup(size_t* pos, size_t end, int number,
                                 int depth) const;
  // A packed repeated scalar: its elements must fill its length exactly.
  std::optional<Fault> Packed(size_t* pos, size_t end,
                              const FieldDescriptor& field) const;
  // A known field's value in its own wire type.
  absl::Status Value(size_t* pos, size_t end, const Descriptor& type,
                     const FieldDescriptor& field, const std::string& path,
                     int depth, int index);
  // The path of entry `index` of a map at `map_path` whose bytes are
  // [begin, end): the key read from them ("labels[\"k\"]"), or the index
  // if they are malformed (walking the entry then reports the fault).
  // INVALID_ARGUMENT: the key is not valid UTF-8.
  absl::StatusOr<std::string> MapEntryPath(size_t begin, size_t end,
                                           const FieldDescriptor& map,
                                           const std::string& map_path,
                                           int index, int depth) const;

  const absl::string_view bytes_;
};

std::optional<Fault> Walker::Varint(size_t* pos, size_t end, int max_bytes,
                                    absl::string_view what,
                                    uint64_t* value) const {
  const size_t start = *pos;
  *value = 0;
  for (int i = 0; i < max_bytes; ++i) {
    if (*pos >= end) {
      return Fault{start, absl::StrCat("the bytes end inside ", what)};
    }
    const uint8_t byte = static_cast<uint8_t>(bytes_[(*pos)++]);
    *value |= uint64_t{byte & 0x7Fu} << (7 * i);
    if (byte < 0x80) return std::nullopt;
  }
  return Fault{start,
               absl::StrCat(what, " is longer than ", max_bytes, " bytes")};
}

std::optional<Fault> Walker::Length(size_t* pos, size_t end,
                                    absl::string_view what,
                                    size_t* size) const {
  const size_t start = *pos;
  uint64_t length = 0;
  if (std::optional<Fault> fault =
          Varint(pos, end, kMaxLengthBytes,
                 absl::StrCat("the length of ", what), &length)) {
    return fault;
  }
  if (length > end - *pos) {
    return Fault{start,
                 absl::StrCat(what, " is ", length, " bytes long but only ",
                              end - *pos, " bytes remain")};
  }
  *size = static_cast<size_t>(length);
  return std::nullopt;
}

std::optional<Fault> Walker::Fixed(size_t* pos, size_t end, size_t size,
                                   absl::string_view what) const {
  if (size > end - *pos) {
    return Fault{*pos, absl::StrCat(what, " needs ", size, " bytes but only ",
                                    end - *pos, " remain")};
  }
  *pos += size;
  return std::nullopt;
}

std::optional<Fault> Walker::SkipUnread(size_t* pos, size_t end, size_t tag_at,
                                        int wire_type, int number,
                                        int depth) const {
  const std::string what = FieldLabel(number, nullptr);
  switch (wire_type) {
    case WireFormatLite::WIRETYPE_VARINT: {
      uint64_t ignored;
      return Varint(pos, end, kMaxVarintBytes, absl::StrCat("varint ", what),
                    &ignored);
    }
    case WireFormatLite::WIRETYPE_FIXED64:
      return Fixed(pos, end, 8, what);
    case WireFormatLite::WIRETYPE_FIXED32:
      return Fixed(pos, end, 4, what);
    case WireFormatLite::WIRETYPE_LENGTH_DELIMITED: {
      size_t size = 0;
      if (std::optional<Fault> fault = Length(pos, end, what, &size)) {
        return fault;
      }
      *pos += size;
      return std::nullopt;
    }
    case WireFormatLite::WIRETYPE_START_GROUP:
      return SkipGroup(pos, end, number, depth + 1);
    default:
      return Fault{tag_at, absl::StrCat(what, " has wire type ", wire_type,
                                        ", which does not exist")};
  }
}

std::optional<Fault> Walker::SkipGroup(size_t* pos, size_t end, int number,
                                       int depth) const {
  if (depth > kMaxNesting) {
    return Fault{
        *pos, absl::StrCat("groups nested more than ", kMaxNesting, " deep")};
  }
  while (*pos < end) {
    const size_t tag_at = *pos;
    uint64_t tag = 0;
    if (std::optional<Fault> fault =
            Varint(pos, end, kMaxTagBytes, "a field tag", &tag)) {
      return fault;
    }
    const int inner = static_cast<uint32_t>(tag) >> 3;
    const int wire_type = tag & 7;
    if (wire_type == WireFormatLite::WIRETYPE_END_GROUP) {
      if (inner == number) return std::nullopt;
      return Fault{tag_at, absl::StrCat("end-group tag of field ", inner,
                                        " inside the group of field ", number)};
    }
    if (inner == 0) return Fault{tag_at, "field number 0"};
    if (std::optional<Fault> fault =
            SkipUnread(pos, end, tag_at, wire_type, inner, depth)) {
      return fault;
    }
  }
  return Fault{end, absl::StrCat("the group of field ", number,
                                 " has no end-group tag")};
}

std::optional<Fault> Walker::Packed(size_t* pos, size_t end,
                                    const FieldDescriptor& field) const {
  const std::string what =
      absl::StrCat("packed ", FieldLabel(field.number(), &field));
  const size_t length_at = *pos;
  size_t size = 0;
  if (std::optional<Fault> fault = Length(pos, end, what, &size)) return fault;
  const size_t data_end = *pos + size;
  switch (ExpectedWireType(field)) {
    case WireFormatLite::WIRETYPE_FIXED32:
    case WireFormatLite::WIRETYPE_FIXED64: {
      const size_t element =
          ExpectedWireType(field) == WireFormatLite::WIRETYPE_FIXED32 ? 4 : 8;
      if (size % element != 0) {
        return Fault{length_at,
                     absl::StrCat(what, " is ", size,
                                  " bytes long, not a multiple of ", element)};
      }
      break;
    }
    default:  // Varints.
      while (*pos < data_end) {
        uint64_t ignored;
        if (std::optional<Fault> fault =
                Varint(pos, data_end, kMaxVarintBytes,
                       absl::StrCat("an element of ", what), &ignored)) {
          return fault;
        }
      }
  }
  *pos = data_end;
  return std::nullopt;
}

absl::Status Walker::Message(size_t* pos, size_t end, const Descriptor& type,
                             const std::string& path, int depth,
                             int group_number) {
  if (depth > kMaxNesting) {
    return absl::InvalidArgumentError(absl::StrCat(
        Named(path), ": nested more than ", kMaxNesting, " messages deep"));
  }
  // Elements seen so far per repeated field, for indices in paths.
  std::map<int, int> elements;
  while (*pos < end) {
    const size_t tag_at = *pos;
    uint64_t tag = 0;
    if (std::optional<Fault> fault =
            Varint(pos, end, kMaxTagBytes, "a field tag", &tag)) {
      return Malformed(path, type, *fault);
    }
    // An over-long tag keeps its low 32 bits, as in the parser.
    const int number = static_cast<uint32_t>(tag) >> 3;
    const int wire_type = tag & 7;
    if (wire_type == WireFormatLite::WIRETYPE_END_GROUP) {
      if (group_number != 0 && number == group_number) return absl::OkStatus();
      return Malformed(
          path, type,
          Fault{tag_at, absl::StrCat("end-group tag of field ", number,
                                     ", which no group opened")});
    }
    if (number == 0)
      return Malformed(path, type, Fault{tag_at, "field number 0"});
    const FieldDescriptor* field = type.FindFieldByNumber(number);
    std::optional<Fault> fault;
    if (field != nullptr && wire_type == ExpectedWireType(*field)) {
      const int index = field->is_repeated() ? elements[number]++ : -1;
      RETURN_IF_ERROR(Value(pos, end, type, *field, path, depth, index));
    } else if (field != nullptr && field->is_packable() &&
               wire_type == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      fault = Packed(pos, end, *field);
    } else {
      fault = SkipUnread(pos, end, tag_at, wire_type, number, depth);
    }
    if (fault.has_value()) return Malformed(path, type, *fault);
  }
  if (group_number != 0) {
    return Malformed(
        path, type,
        Fault{end, absl::StrCat("the group of field ", group_number,
                                " has no end-group tag")});
  }
  return absl::OkStatus();
}

absl::Status Walker::Value(size_t* pos, size_t end, const Descriptor& type,
                           const FieldDescriptor& field,
                           const std::string& path, int depth, int index) {
  // A map entry's value is named by the entry's path ("labels[\"k\"]").
  std::string field_path =
      type.options().map_entry() ? path : JoinPath(path, field.name());
  if (index >= 0 && !field.is_map()) {
    absl::StrAppend(&field_path, "[", index, "]");
  }
  const std::string what = FieldLabel(field.number(), &field);
  std::optional<Fault> fault;
  switch (ExpectedWireType(field)) {
    case WireFormatLite::WIRETYPE_VARINT: {
      uint64_t ignored;
      fault = Varint(pos, end, kMaxVarintBytes, absl::StrCat("varint ", what),
                     &ignored);
      break;
    }
    case WireFormatLite::WIRETYPE_FIXED64:
      fault = Fixed(pos, end, 8, what);
      break;
    case WireFormatLite::WIRETYPE_FIXED32:
      fault = Fixed(pos, end, 4, what);
      break;
    case WireFormatLite::WIRETYPE_START_GROUP:
      return Message(pos, end, *field.message_type(), field_path, depth + 1,
                     field.number());
    default: {  // Length-delimited: a string, bytes or a message.
      size_t size = 0;
      fault = Length(pos, end, what, &size);
      if (fault.has_value()) break;
      const size_t data = *pos;
      *pos += size;
      if (MustBeUtf8(field)) {
        if (std::optional<std::string> bad =
                Utf8Fault(bytes_.substr(data, size))) {
          return absl::InvalidArgumentError(
              absl::StrCat(field_path, ": not valid UTF-8 (", *bad, ")"));
        }
      } else if (field.type() == FieldDescriptor::TYPE_MESSAGE) {
        if (field.is_map()) {
          ASSIGN_OR_RETURN(field_path, MapEntryPath(data, *pos, field,
                                                    field_path, index, depth));
        }
        size_t inner = data;
        return Message(&inner, *pos, *field.message_type(), field_path,
                       depth + 1, /*group_number=*/0);
      }
    }
  }
  if (fault.has_value()) return Malformed(path, type, *fault);
  return absl::OkStatus();
}

absl::StatusOr<std::string> Walker::MapEntryPath(size_t begin, size_t end,
                                                 const FieldDescriptor& map,
                                                 const std::string& map_path,
                                                 int index, int depth) const {
  const std::string by_index = absl::StrCat(map_path, "[", index, "]");
  const FieldDescriptor& key = *map.message_type()->map_key();
  uint64_t number = 0;
  absl::string_view text;
  size_t pos = begin;
  // The last key in the entry counts, as in the parser.
  while (pos < end) {
    const size_t tag_at = pos;
    uint64_t tag = 0;
    if (Varint(&pos, end, kMaxTagBytes, "a field tag", &tag)) return by_index;
    const int field_number = static_cast<uint32_t>(tag) >> 3;
    const int wire_type = tag & 7;
    if (field_number == 0 || wire_type == WireFormatLite::WIRETYPE_END_GROUP) {
      return by_index;
    }
    std::optional<Fault> fault;
    if (field_number != key.number() || wire_type != ExpectedWireType(key)) {
      fault = SkipUnread(&pos, end, tag_at, wire_type, field_number, depth + 1);
    } else if (wire_type == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      size_t size = 0;
      fault = Length(&pos, end, "key", &size);
      if (!fault.has_value()) text = bytes_.substr(pos, size);
      pos += size;
    } else if (wire_type == WireFormatLite::WIRETYPE_VARINT) {
      fault = Varint(&pos, end, kMaxVarintBytes, "key", &number);
    } else {  // Fixed 32 or 64 bits, little-endian.
      const size_t size = wire_type == WireFormatLite::WIRETYPE_FIXED64 ? 8 : 4;
      const size_t value_at = pos;
      fault = Fixed(&pos, end, size, "key");
      number = 0;
      for (size_t i = 0; !fault.has_value() && i < size; ++i) {
        number |= uint64_t{static_cast<uint8_t>(bytes_[value_at + i])}
                  << (8 * i);
      }
    }
    if (fault.has_value()) return by_index;
  }
  if (MustBeUtf8(key)) {
    if (std::optional<std::string> bad = Utf8Fault(text)) {
      return absl::InvalidArgumentError(
          absl::StrCat(map_path, ": map key of entry ", index,
                       " not valid UTF-8 (", *bad, ")"));
    }
  }
  return absl::StrCat(map_path, ShowKey(key, number, text));
}

}  // namespace

absl::Status FindWireFormatError(absl::string_view bytes,
                                 const google::protobuf::Descriptor& type) {
  size_t pos = 0;
  return Walker(bytes).Message(&pos, bytes.size(), type, /*path=*/"",
                               /*depth=*/0, /*group_number=*/0);
}

absl::Status ExplainParseFailure(absl::string_view bytes,
                                 const google::protobuf::Message& prototype) {
  const Descriptor& type = *prototype.GetDescriptor();
  RETURN_IF_ERROR(FindWireFormatError(bytes, type));
  std::unique_ptr<google::protobuf::Message> partial(prototype.New());
  if (bytes.size() <= INT_MAX &&
      partial->ParsePartialFromArray(bytes.data(),
                                     static_cast<int>(bytes.size()))) {
    std::vector<std::string> missing;
    partial->FindInitializationErrors(&missing);
    if (!missing.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(missing[0], ": required"));
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("request: not a valid ", type.full_name(),
                   " (refused by the protobuf parser)"));
}

absl::Status ParseMessageBytes(absl::string_view bytes,
                               google::protobuf::Message* out) {
  if (bytes.size() <= INT_MAX &&
      out->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::OkStatus();
  }
  out->Clear();
  return ExplainParseFailure(bytes, *out);
}

}  // namespace service
}  // namespace claimtrail
