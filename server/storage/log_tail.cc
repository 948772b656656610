#include "server/storage/log_tail.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace claimtrail {
namespace storage {
namespace {

// LevelDB's db/log_format.h.
constexpr size_t kBlockSize = 32768;
constexpr size_t kHeaderSize = 7;
constexpr uint8_t kFullType = 1;
constexpr uint8_t kFirstType = 2;
constexpr int kMaxRecordType = 4;  // LAST
// LevelDB stores CRCs masked (util/crc32c.h): rotated right 15 bits, plus
// this constant.
constexpr uint32_t kMaskDelta = 0xa282ead8u;

uint32_t Unmask(uint32_t masked) {
  const uint32_t rotated = masked - kMaskDelta;
  return (rotated >> 17) | (rotated << 15);
}

std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t crc = i;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc >> 1) ^ ((crc & 1) ? 0x82f63b78u : 0);  // Reflected poly.
    }
    table[i] = crc;
  }
  return table;
}

uint8_t Byte(absl::string_view contents, size_t at) {
  return static_cast<uint8_t>(contents[at]);
}

// True when an intact physical record (known type, fits its block and the
// file, CRC matches) starts at `pos`; then *end is just past it.
bool IntactRecordAt(absl::string_view contents, size_t pos, size_t* end) {
  const size_t block_left = kBlockSize - pos % kBlockSize;
  if (block_left < kHeaderSize || pos + kHeaderSize > contents.size()) {
    return false;
  }
  const uint32_t type = Byte(contents, pos + 6);
  if (type < 1 || type > kMaxRecordType) return false;
  const size_t length =
      Byte(contents, pos + 4) | (size_t{Byte(contents, pos + 5)} << 8);
  if (kHeaderSize + length > block_left ||
      pos + kHeaderSize + length > contents.size()) {
    return false;
  }
  uint32_t stored = 0;
  for (int i = 3; i >= 0; --i) stored = (stored << 8) | Byte(contents, pos + i);
  // The CRC covers the type byte and the data.
  if (Crc32c(contents.substr(pos + 6, 1 + length)) != Unmask(stored)) {
    return false;
  }
  *end = pos + kHeaderSize + length;
  return true;
}

// The first offset at or after `pos` where LevelDB's reader would look for a
// record: `pos` itself unless it is in a block's zero padding.
size_t SkipPadding(size_t pos) {
  const size_t block_left = kBlockSize - pos % kBlockSize;
  return block_left < kHeaderSize ? pos + block_left : pos;
}

// True when, walking the intact records from `from` as the reader would, one
// starting at or before `limit` begins a logical record (FULL or FIRST).
bool StartsALogicalRecord(absl::string_view contents, size_t from,
                          size_t limit) {
  size_t next = 0;
  for (size_t at = SkipPadding(from);
       at <= limit && IntactRecordAt(contents, at, &next);
       at = SkipPadding(next)) {
    const uint8_t type = Byte(contents, at + 6);
    if (type == kFullType || type == kFirstType) return true;
  }
  return false;
}

}  // namespace

uint32_t Crc32cPortable(absl::string_view data, uint32_t crc) {
  static const std::array<uint32_t, 256> kTable = MakeCrcTable();
  crc = ~crc;
  for (const char c : data) {
    crc = kTable[(crc ^ static_cast<uint8_t>(c)) & 0xff] ^ (crc >> 8);
  }
  return ~crc;
}

#if defined(__x86_64__)
// SSE4.2's crc32 instruction computes exactly CRC-32C: ~20x the table's
// speed, which matters because every start checks the whole live log
// (~10 MB) before LevelDB reads it.
__attribute__((target("sse4.2"))) static uint32_t Crc32cSse42(
    absl::string_view data, uint32_t crc) {
  const char* p = data.data();
  size_t n = data.size();
  uint64_t state = ~crc;
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t word;
    std::memcpy(&word, p, sizeof(word));
    state = _mm_crc32_u64(state, word);
  }
  uint32_t state32 = static_cast<uint32_t>(state);
  for (; n > 0; ++p, --n)
    state32 = _mm_crc32_u8(state32, static_cast<uint8_t>(*p));
  return ~state32;
}
#endif

uint32_t Crc32c(absl::string_view data, uint32_t crc) {
#if defined(__x86_64__)
  static const bool kHasSse42 = __builtin_cpu_supports("sse4.2");
  if (kHasSse42) return Crc32cSse42(data, crc);
#endif
  return Crc32cPortable(data, crc);
}

size_t LogicalLogEnd(absl::string_view contents) {
  // Only a file ending in never-written zeros can end before its size:
  // an appended log needs no walk.
  if (contents.empty() || contents.back() != '\0') return contents.size();
  // Walk the intact records from the start, as the reader does.
  size_t pos = 0;
  size_t next = 0;
  for (pos = SkipPadding(0); pos < contents.size(); pos = SkipPadding(next)) {
    if (!IntactRecordAt(contents, pos, &next)) break;
  }
  if (pos >= contents.size()) return contents.size();

  // `pos` starts the first damaged record.
  const size_t last_nonzero = contents.find_last_not_of('\0');
  if (last_nonzero == absl::string_view::npos || last_nonzero < pos) {
    return pos;  // Nothing but zeros from `pos` on: the usual case.
  }
  if (last_nonzero - pos >= kMaxTornTailBytes) return contents.size();

  // What a torn write can leave after the damage is the rest of the one
  // record it was writing: continuation fragments (MIDDLE, LAST) that
  // reached the disk while an earlier part did not. An intact record that
  // begins a logical record (FULL, FIRST) after the damage was written
  // after it, so the damage is not a torn tail: leave it for LevelDB to
  // report. Look where the reader would resume: after the damaged record if
  // its header is readable, and at every later block.
  if (pos + kHeaderSize <= contents.size()) {
    const size_t claimed_end =
        pos + kHeaderSize +
        (Byte(contents, pos + 4) | (size_t{Byte(contents, pos + 5)} << 8));
    if (StartsALogicalRecord(contents, claimed_end, last_nonzero)) {
      return contents.size();
    }
  }
  for (size_t block = (pos / kBlockSize + 1) * kBlockSize;
       block <= last_nonzero; block += kBlockSize) {
    if (StartsALogicalRecord(contents, block, last_nonzero)) {
      return contents.size();
    }
  }
  return pos;
}

}  // namespace storage
}  // namespace claimtrail
