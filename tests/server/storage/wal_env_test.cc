// WalEnv under real LevelDB on the real file system: logs are preallocated,
// and a copy of a live database directory (what a kill -9 or a power cut
// leaves of synced writes) opens with every acknowledged write, also with a
// torn record after the last one; damage before intact records is still
// reported.
#include "server/storage/wal_env.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "leveldb/db.h"
#include "leveldb/env.h"
#include "leveldb/options.h"
#include "leveldb/write_batch.h"
#include "server/storage/log_tail.h"

namespace claimtrail {
namespace storage {
namespace {

namespace fs = std::filesystem;

constexpr size_t kPreallocate = 256 << 10;

std::string FreshDir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = std::string(tmp ? tmp : "/tmp") + "/wal_env_" + name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::unique_ptr<leveldb::Env> MakeEnv(const std::string& dir,
                                      size_t preallocate = kPreallocate) {
  WalEnvOptions options;
  options.dir = dir;
  options.preallocate_bytes = preallocate;
  return NewWalEnv(leveldb::Env::Default(), options);
}

// Opened as the server opens it: paranoid checks on.
leveldb::Status Open(const std::string& dir, leveldb::Env* env,
                     std::unique_ptr<leveldb::DB>* db,
                     size_t write_buffer = 64 << 10) {
  leveldb::Options options;
  options.create_if_missing = true;
  options.paranoid_checks = true;
  options.env = env;
  options.write_buffer_size = write_buffer;
  leveldb::DB* raw = nullptr;
  leveldb::Status s = leveldb::DB::Open(options, dir, &raw);
  db->reset(raw);
  return s;
}

std::string Key(int i) { return "key-" + std::to_string(i); }
std::string Value(int i) {
  return std::string(1000, static_cast<char>('a' + i % 26));
}

void PutSynced(leveldb::DB* db, int from, int to) {
  leveldb::WriteOptions sync;
  sync.sync = true;
  for (int i = from; i < to; ++i) {
    ASSERT_TRUE(db->Put(sync, Key(i), Value(i)).ok()) << i;
  }
}

void ExpectAll(leveldb::DB* db, int count) {
  for (int i = 0; i < count; ++i) {
    std::string value;
    const leveldb::Status s = db->Get(leveldb::ReadOptions(), Key(i), &value);
    ASSERT_TRUE(s.ok()) << Key(i) << ": " << s.ToString();
    ASSERT_EQ(value, Value(i)) << Key(i);
  }
}

bool WaitForSpare(const std::string& dir) {
  for (int i = 0; i < 500; ++i) {
    if (fs::exists(dir + "/wal-spare")) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// The live log with the highest number.
std::string NewestLog(const std::string& dir) {
  std::string newest;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 4 && name.substr(name.size() - 4) == ".log" &&
        (newest.empty() || name > newest)) {
      newest = name;
    }
  }
  return newest.empty() ? "" : dir + "/" + newest;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteAt(const std::string& path, uint64_t offset,
             const std::string& bytes) {
  std::fstream out(path, std::ios::binary | std::ios::in | std::ios::out);
  out.seekp(static_cast<std::streamoff>(offset));
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Writes `count` synced values (fewer than fit in kPreallocate) into a
// database whose live log is a preallocated one, and copies the directory
// while the database is open: the state a crash leaves once every write
// was acknowledged.
void MakeCrashImage(const std::string& live, const std::string& image,
                    int count) {
  auto env = MakeEnv(live);
  ASSERT_TRUE(WaitForSpare(live));
  std::unique_ptr<leveldb::DB> db;
  // A memtable larger than the writes: the log opened by Open, made from
  // the spare, takes them all.
  ASSERT_TRUE(Open(live, env.get(), &db, 4 << 20).ok());
  PutSynced(db.get(), 0, count);
  ASSERT_EQ(fs::file_size(NewestLog(live)), kPreallocate);
  fs::remove_all(image);
  fs::copy(live, image, fs::copy_options::recursive);
  db.reset();
}

TEST(WalEnvTest, EachNewLogIsTheSpareAndReadsBack) {
  const std::string dir = FreshDir("prealloc");
  int written = 0;
  {
    auto env = MakeEnv(dir);
    std::unique_ptr<leveldb::DB> db;
    ASSERT_TRUE(Open(dir, env.get(), &db).ok());
    std::string previous_log = NewestLog(dir);
    for (int round = 0; round < 5; ++round) {
      ASSERT_TRUE(WaitForSpare(dir)) << round;
      // Write until the 64 KiB memtable is full and LevelDB switches logs.
      std::string log = previous_log;
      while (log == previous_log) {
        ASSERT_LT(written, 1000);
        PutSynced(db.get(), written, written + 1);
        ++written;
        log = NewestLog(dir);
      }
      previous_log = log;
      EXPECT_EQ(fs::file_size(log), kPreallocate) << log;
      const std::string contents = ReadAll(log);
      // Records first, then the zeros not written yet.
      EXPECT_GT(LogicalLogEnd(contents), 0u);
      EXPECT_LT(LogicalLogEnd(contents), contents.size());
    }
  }
  auto env = MakeEnv(dir);
  std::unique_ptr<leveldb::DB> db;
  ASSERT_TRUE(Open(dir, env.get(), &db).ok());
  ExpectAll(db.get(), written);
}

// A crash image of 160 acknowledged writes (MakeCrashImage), per test.
class WalEnvCrashTest : public ::testing::Test {
 protected:
  static constexpr int kWrites = 160;

  void SetUp() override {
    const std::string name =
        ::testing::UnitTest::GetInstance()->current_test_info()->name();
    image_ = FreshDir(name + "_image");
    MakeCrashImage(FreshDir(name + "_live"), image_, kWrites);
    log_ = NewestLog(image_);
  }

  // Opens the image as the server would, through a fresh WalEnv.
  leveldb::Status OpenImage() {
    env_ = MakeEnv(image_);
    return Open(image_, env_.get(), &db_);
  }

  std::string image_;
  std::string log_;  // The image's live log, preallocated.
  std::unique_ptr<leveldb::Env> env_;
  std::unique_ptr<leveldb::DB> db_;  // Declared after env_: closed first.
};

TEST_F(WalEnvCrashTest, KeepsEveryAcknowledgedWrite) {
  const leveldb::Status s = OpenImage();
  ASSERT_TRUE(s.ok()) << s.ToString();
  ExpectAll(db_.get(), kWrites);
}

// What lets an older binary (plain LevelDB Env) open a directory whose log
// is preallocated: LevelDB's reader skips zero-filled blocks.
TEST_F(WalEnvCrashTest, PlainLevelDbReadsAnUntornPreallocatedLog) {
  std::unique_ptr<leveldb::DB> db;
  const leveldb::Status s = Open(image_, leveldb::Env::Default(), &db);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ExpectAll(db.get(), kWrites);
}

TEST_F(WalEnvCrashTest, TornRecordAfterTheLastWriteIsNotCorruption) {
  const uint64_t end = LogicalLogEnd(ReadAll(log_));
  // An unacknowledged write cut short: a header promising 3,000 bytes, and
  // 1,000 of them.
  std::string torn = {'\x11', '\x22', '\x33', '\x44', '\xb8', '\x0b', '\x01'};
  torn += std::string(1000, 'z');
  WriteAt(log_, end, torn);

  // LevelDB alone, with paranoid checks, calls this corruption...
  {
    const std::string plain = FreshDir("torn_plain");
    fs::remove_all(plain);
    fs::copy(image_, plain, fs::copy_options::recursive);
    std::unique_ptr<leveldb::DB> db;
    const leveldb::Status s = Open(plain, leveldb::Env::Default(), &db);
    EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  }
  // ...WalEnv reads it as the end of the log, as for an appended log.
  const leveldb::Status s = OpenImage();
  ASSERT_TRUE(s.ok()) << s.ToString();
  ExpectAll(db_.get(), kWrites);
}

TEST_F(WalEnvCrashTest, DamageBeforeIntactRecordsIsStillReported) {
  const std::string contents = ReadAll(log_);
  ASSERT_GT(LogicalLogEnd(contents), 4000u);
  WriteAt(log_, 500, std::string(1, contents[500] ^ 0x20));
  const leveldb::Status s = OpenImage();
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
}

TEST(WalEnvTest, WriteLargerThanThePreallocationGrowsTheLog) {
  const std::string dir = FreshDir("grow");
  const std::string big(600 << 10, 'B');
  {
    auto env = MakeEnv(dir, 64 << 10);
    ASSERT_TRUE(WaitForSpare(dir));
    std::unique_ptr<leveldb::DB> db;
    ASSERT_TRUE(Open(dir, env.get(), &db, 4 << 20).ok());
    leveldb::WriteOptions sync;
    sync.sync = true;
    // The live log is the 64 KiB spare; this write runs past its end.
    ASSERT_TRUE(db->Put(sync, "small", "s").ok());
    ASSERT_EQ(fs::file_size(NewestLog(dir)), size_t{64 << 10});
    ASSERT_TRUE(db->Put(sync, "big", big).ok());
    EXPECT_GT(fs::file_size(NewestLog(dir)), big.size());
  }
  auto env = MakeEnv(dir, 64 << 10);
  std::unique_ptr<leveldb::DB> db;
  ASSERT_TRUE(Open(dir, env.get(), &db).ok());
  std::string value;
  ASSERT_TRUE(db->Get(leveldb::ReadOptions(), "big", &value).ok());
  EXPECT_EQ(value, big);
  ASSERT_TRUE(db->Get(leveldb::ReadOptions(), "small", &value).ok());
  EXPECT_EQ(value, "s");
}

TEST(WalEnvTest, WithoutPreallocationLogsAreAppended) {
  const std::string dir = FreshDir("append");
  auto env = MakeEnv(dir, 0);
  std::unique_ptr<leveldb::DB> db;
  ASSERT_TRUE(Open(dir, env.get(), &db).ok());
  PutSynced(db.get(), 0, 20);
  const std::string contents = ReadAll(NewestLog(dir));
  EXPECT_EQ(LogicalLogEnd(contents), contents.size());
  EXPECT_FALSE(fs::exists(dir + "/wal-spare"));
}

}  // namespace
}  // namespace storage
}  // namespace claimtrail
