#include "server/storage/log_tail.h"

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace claimtrail {
namespace storage {
namespace {

constexpr size_t kBlock = 32768;

// One physical record in LevelDB's log format, as its log::Writer emits it.
std::string Record(char type, const std::string& data) {
  std::string crc_input(1, type);
  crc_input += data;
  const uint32_t crc = Crc32c(crc_input);
  const uint32_t masked = ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
  std::string out;
  for (int i = 0; i < 4; ++i)
    out.push_back(static_cast<char>(masked >> (8 * i)));
  out.push_back(static_cast<char>(data.size() & 0xff));
  out.push_back(static_cast<char>(data.size() >> 8));
  out.push_back(type);
  return out + data;
}

constexpr char kFull = 1;
constexpr char kFirst = 2;
constexpr char kMiddle = 3;
constexpr char kLast = 4;

std::string Zeros(size_t n) { return std::string(n, '\0'); }

TEST(Crc32cTest, MatchesPublishedValues) {
  EXPECT_EQ(Crc32c("123456789"), 0xe3069283u);
  EXPECT_EQ(Crc32c(Zeros(32)), 0x8a9136aau);  // RFC 3720 B.4
  EXPECT_EQ(Crc32c(std::string(32, '\xff')), 0x62a8ab43u);
  EXPECT_EQ(Crc32c("6789", Crc32c("12345")), Crc32c("123456789"));
}

TEST(Crc32cTest, EveryImplementationAgrees) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data.push_back(static_cast<char>(i * 131 + 7));
  // Lengths and offsets around the 8-byte steps of the instruction path.
  for (size_t offset = 0; offset < 9; ++offset) {
    for (size_t length : {0, 1, 7, 8, 9, 15, 16, 17, 100, 991}) {
      const absl::string_view piece(data.data() + offset, length);
      EXPECT_EQ(Crc32c(piece), Crc32cPortable(piece))
          << offset << "+" << length;
      EXPECT_EQ(Crc32c(piece, 0x12345678u), Crc32cPortable(piece, 0x12345678u));
    }
  }
  EXPECT_EQ(Crc32cPortable("123456789"), 0xe3069283u);
}

TEST(LogicalLogEndTest, EmptyAndAllZeroLogsEndAtZero) {
  EXPECT_EQ(LogicalLogEnd(""), 0u);
  EXPECT_EQ(LogicalLogEnd(Zeros(100000)), 0u);
}

TEST(LogicalLogEndTest, AppendedLogEndsAtItsSize) {
  const std::string log = Record(kFull, "alpha") + Record(kFull, "beta");
  EXPECT_EQ(LogicalLogEnd(log), log.size());
}

TEST(LogicalLogEndTest, PreallocatedLogEndsWhereTheZerosStart) {
  const std::string records = Record(kFull, "alpha") + Record(kFull, "beta");
  EXPECT_EQ(LogicalLogEnd(records + Zeros(200000)), records.size());
}

TEST(LogicalLogEndTest, RecordWhoseDataEndsInZerosIsKept) {
  const std::string records =
      Record(kFull, "x") + Record(kFull, std::string("ab\0\0\0", 5));
  EXPECT_EQ(LogicalLogEnd(records + Zeros(5000)), records.size());
}

TEST(LogicalLogEndTest, TornRecordBeforeTheZerosIsCutOff) {
  const std::string records = Record(kFull, "alpha") + Record(kFull, "beta");
  // A crash mid-write: the header and part of the data reached the file.
  const std::string torn =
      Record(kFull, std::string(3000, 'q')).substr(0, 1200);
  EXPECT_EQ(LogicalLogEnd(records + torn + Zeros(100000)), records.size());
}

TEST(LogicalLogEndTest, FirstFragmentWithoutTheRestIsCutOff) {
  // A record split over two blocks; the crash lost the second fragment.
  const std::string head = Record(kFull, "alpha");
  const std::string first =
      Record(kFirst, std::string(kBlock - head.size() - 7, 'f'));
  ASSERT_EQ((head + first).size(), kBlock);
  const std::string log = head + first + Zeros(3 * kBlock);
  EXPECT_EQ(LogicalLogEnd(log), kBlock);
  // With the second fragment present the whole record is there.
  const std::string last = Record(kLast, "tail");
  EXPECT_EQ(LogicalLogEnd(head + first + last + Zeros(kBlock)),
            kBlock + last.size());
}

TEST(LogicalLogEndTest, HoleInTheLastRecordIsATornTail) {
  // A record over three blocks whose middle fragment never reached the
  // disk while its last one did (write-back out of order, power cut).
  const std::string head = Record(kFull, "alpha");
  const std::string first =
      Record(kFirst, std::string(kBlock - head.size() - 7, 'f'));
  const std::string middle = Record(kMiddle, std::string(kBlock - 7, 'm'));
  const std::string last = Record(kLast, "tail");
  const std::string written = head + first + middle + last + Zeros(kBlock);
  ASSERT_EQ(LogicalLogEnd(written), 2 * kBlock + last.size());
  const std::string holed = head + first + Zeros(kBlock) + last + Zeros(kBlock);
  EXPECT_EQ(LogicalLogEnd(holed), kBlock);
}

TEST(LogicalLogEndTest, DamageBeforeALaterRecordInTheSameBlockIsLeft) {
  // A LAST fragment heads block two, then a record that begins after the
  // damage: that one was written later, so this is not a torn tail.
  const std::string head = Record(kFull, "alpha");
  std::string log =
      head + Record(kFirst, std::string(kBlock - head.size() - 7, 'f'));
  log += Record(kLast, "end of it") + Record(kFull, "written later");
  log[head.size() + 100] ^= 0x08;  // Inside the FIRST fragment.
  log += Zeros(kBlock);
  EXPECT_EQ(LogicalLogEnd(log), log.size());
}

TEST(LogicalLogEndTest, BlockTrailerPaddingIsSkipped) {
  // Fill a block to within 3 bytes of its end: the writer pads those with
  // zeros and starts the next record in the next block.
  const std::string head = Record(kFull, std::string(kBlock - 7 - 3, 'h'));
  const std::string next = Record(kFull, "next");
  const std::string log = head + Zeros(3) + next + Zeros(kBlock);
  EXPECT_EQ(LogicalLogEnd(log), kBlock + next.size());
}

TEST(LogicalLogEndTest, DamageFollowedByIntactRecordsIsLeftForLevelDb) {
  std::string log =
      Record(kFull, "alpha") + Record(kFull, "beta") + Record(kFull, "gamma");
  log[9] ^= 0x40;  // Inside "alpha".
  log += Zeros(1000);
  EXPECT_EQ(LogicalLogEnd(log), log.size());
}

TEST(LogicalLogEndTest, DamageFollowedByIntactRecordInALaterBlockIsLeft) {
  std::string log = Record(kFull, std::string(kBlock - 7, 'a'));
  log += Record(kFull, "in block two");
  // The damaged length points into the first record's data, so only the
  // block scan can find the record after it.
  log[5] ^= 0x10;
  log += Zeros(kBlock);
  EXPECT_EQ(LogicalLogEnd(log), log.size());
}

TEST(LogicalLogEndTest, GarbageWithoutAZeroTailIsLeftForLevelDb) {
  const std::string records = Record(kFull, "alpha");
  const std::string log = records + std::string(500, '\x5a');
  EXPECT_EQ(LogicalLogEnd(log), log.size());
}

TEST(LogicalLogEndTest, NonZeroBytesFarPastTheDamageAreLeftForLevelDb) {
  const std::string records = Record(kFull, "alpha");
  std::string log = records + std::string(10, '\x5a') +
                    Zeros(kMaxTornTailBytes + 100) + "x" + Zeros(10);
  EXPECT_EQ(LogicalLogEnd(log), log.size());
}

}  // namespace
}  // namespace storage
}  // namespace claimtrail
