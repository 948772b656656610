#include "client/cli/text.h"

#include <cstdint>

#include "absl/strings/str_format.h"

namespace claimtrail {
namespace cli {
namespace {

// One decoded character: its code point and length in bytes; length 0 when
// the bytes at the start of `text` are not a valid UTF-8 sequence.
struct Utf8Char {
  uint32_t code_point = 0;
  size_t length = 0;
};

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

Utf8Char DecodeUtf8(absl::string_view text) {
  const auto byte = [&text](size_t i) {
    return static_cast<unsigned char>(text[i]);
  };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return {lead, 1};
  size_t length = 0;
  uint32_t code_point = 0;
  // The second byte's range excludes overlong forms (E0, F0), surrogates
  // (ED) and code points above U+10FFFF (F4) (RFC 3629, section 4).
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
    if (lead == 0xE0) second_min = 0xA0;
    if (lead == 0xED) second_max = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
    if (lead == 0xF0) second_min = 0x90;
    if (lead == 0xF4) second_max = 0x8F;
  } else {
    return {};
  }
  if (text.size() < length || byte(1) < second_min || byte(1) > second_max) {
    return {};
  }
  for (size_t i = 1; i < length; ++i) {
    if (!IsContinuation(byte(i))) return {};
    code_point = (code_point << 6) | (byte(i) & 0x3F);
  }
  return {code_point, length};
}

}  // namespace

size_t Utf8ValidPrefix(absl::string_view text) {
  size_t offset = 0;
  while (offset < text.size()) {
    const size_t length = DecodeUtf8(text.substr(offset)).length;
    if (length == 0) break;
    offset += length;
  }
  return offset;
}

std::string EscapeControls(absl::string_view text, bool one_line) {
  std::string out;
  out.reserve(text.size());
  size_t offset = 0;
  while (offset < text.size()) {
    const Utf8Char c = DecodeUtf8(text.substr(offset));
    if (c.length == 0) {
      absl::StrAppendFormat(&out, "\\x%02x",
                            static_cast<unsigned char>(text[offset]));
      ++offset;
      continue;
    }
    const uint32_t cp = c.code_point;
    if (cp == '\n') {
      out.append(one_line ? "\\n" : "\n");
    } else if ((cp < 0x20 && cp != '\t') || cp == 0x7F) {
      absl::StrAppendFormat(&out, "\\x%02x", cp);
    } else if (cp >= 0x80 && cp <= 0x9F) {
      absl::StrAppendFormat(&out, "\\u%04x", cp);
    } else {
      out.append(text.data() + offset, c.length);
    }
    offset += c.length;
  }
  return out;
}

}  // namespace cli
}  // namespace claimtrail
