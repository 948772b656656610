// Where a LevelDB write-ahead log really ends, when the file is longer than
// its records (wal_env.h writes logs into preallocated, zero-filled files).
//
// LevelDB's log format (LevelDB's doc/log_format.md; nothing here changes
// it): 32 KiB blocks of physical records, each
//
//   crc: u32 little-endian    masked CRC-32C of `type` and `data`
//   length: u16 little-endian
//   type: u8                  1 FULL, 2 FIRST, 3 MIDDLE, 4 LAST
//   data: length bytes
//
// A record never starts in a block's last 6 bytes; those are zero padding.
//
// In an appended log a crash leaves at worst a short final record, which
// LevelDB's reader takes for the end of the file. In a preallocated log the
// same crash leaves that torn record followed by zeros, which the reader
// (with paranoid_checks, as the server runs it) would report as corruption.
// LogicalLogEnd finds the end an appended log would have had.
//
// The price: damage (bit rot) that leaves no intact FULL or FIRST record
// findable after it (walking on from the damaged record's claimed length
// and from every later block) cannot be told from a torn write, and the
// records from it on are cut off where an appended log would have been
// reported. That is damage in the last logical record, or in the last block
// when it also hits a length field. Telling them apart would need the last
// synced offset recorded somewhere, i.e. a second sync per write.
#ifndef CLAIMTRAIL_SERVER_STORAGE_LOG_TAIL_H_
#define CLAIMTRAIL_SERVER_STORAGE_LOG_TAIL_H_

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace claimtrail {
namespace storage {

// The largest span a torn tail may cover: one write (the server commits a
// group of requests as one LevelDB record; groups are a few MiB at most).
// Non-zero bytes further than this past the damage are reported, not cut.
inline constexpr size_t kMaxTornTailBytes = 64 << 20;

// The offset at which the log `contents` ends for its reader:
// - contents.size() when every physical record up to the end is intact, or
//   when what follows the first damaged record is not a torn tail (so that
//   LevelDB's own checks see the damage and report it);
// - otherwise the start of the first record that is not intact, when
//   everything from there on is a torn tail: no intact record that begins
//   a logical record (FULL or FIRST) is found after it (continuations of
//   the torn record may be: write-back can reach the disk out of order),
//   the non-zero bytes end within kMaxTornTailBytes of it, and the file
//   ends in a zero byte (the preallocated space that was never written).
// Pure function; thread-safe.
size_t LogicalLogEnd(absl::string_view contents);

// CRC-32C (Castagnoli) of `data`, continuing from `crc` (0 to start). Uses
// the CPU's crc32 instruction where there is one.
uint32_t Crc32c(absl::string_view data, uint32_t crc = 0);
// The same, table-driven: what Crc32c uses on other CPUs. For tests.
uint32_t Crc32cPortable(absl::string_view data, uint32_t crc = 0);

}  // namespace storage
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_STORAGE_LOG_TAIL_H_
