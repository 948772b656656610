#include "server/storage/pread_env.h"

#include <fstream>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "leveldb/db.h"
#include "leveldb/env.h"
#include "leveldb/options.h"
#include "leveldb/write_batch.h"

namespace claimtrail {
namespace storage {
namespace {

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

TEST(PreadEnvTest, ReadsAtOffsetsAndShortAtEnd) {
  const std::string path = TempPath("pread_file");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << "0123456789abcdef";
  }
  leveldb::RandomAccessFile* raw = nullptr;
  ASSERT_TRUE(PreadEnv()->NewRandomAccessFile(path, &raw).ok());
  std::unique_ptr<leveldb::RandomAccessFile> file(raw);
  char scratch[16];
  leveldb::Slice got;
  ASSERT_TRUE(file->Read(4, 6, &got, scratch).ok());
  EXPECT_EQ(got.ToString(), "456789");
  ASSERT_TRUE(file->Read(12, 10, &got, scratch).ok());
  EXPECT_EQ(got.ToString(), "cdef");  // Short read at the end, not an error.
  ASSERT_TRUE(file->Read(40, 4, &got, scratch).ok());
  EXPECT_TRUE(got.empty());
}

TEST(PreadEnvTest, MissingFileIsNotFound) {
  leveldb::RandomAccessFile* raw = nullptr;
  const leveldb::Status s =
      PreadEnv()->NewRandomAccessFile(TempPath("no_such_file"), &raw);
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_EQ(raw, nullptr);
}

// A database whose values live in table files (not the memtable) reads back
// through the pread path after a reopen and a compaction.
TEST(PreadEnvTest, LevelDbReadsTablesThroughIt) {
  const std::string path = TempPath("pread_db");
  leveldb::Options options;
  options.create_if_missing = true;
  options.env = PreadEnv();
  options.write_buffer_size = 64 << 10;  // Small: many table files.
  {
    leveldb::DB* raw = nullptr;
    ASSERT_TRUE(leveldb::DB::Open(options, path, &raw).ok());
    std::unique_ptr<leveldb::DB> db(raw);
    for (int i = 0; i < 5000; ++i) {
      ASSERT_TRUE(db->Put(leveldb::WriteOptions(), "k" + std::to_string(i),
                          std::string(100, 'a' + i % 26))
                      .ok());
    }
    db->CompactRange(nullptr, nullptr);
  }
  leveldb::DB* raw = nullptr;
  ASSERT_TRUE(leveldb::DB::Open(options, path, &raw).ok());
  std::unique_ptr<leveldb::DB> db(raw);
  for (int i = 0; i < 5000; i += 97) {
    std::string value;
    ASSERT_TRUE(
        db->Get(leveldb::ReadOptions(), "k" + std::to_string(i), &value).ok());
    EXPECT_EQ(value, std::string(100, 'a' + i % 26));
  }
}

}  // namespace
}  // namespace storage
}  // namespace claimtrail
