#include "server/storage/source_cache.h"

#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace claimtrail {
namespace storage {
namespace {

v1::Source Named(const std::string& id, const std::string& display_name) {
  v1::Source source;
  source.set_name("sources/" + id);
  source.set_display_name(display_name);
  return source;
}

TEST(SourceCacheTest, MissThenHit) {
  SourceCache cache(8);
  uint64_t generation = 0;
  EXPECT_FALSE(cache.Find("nis", &generation).has_value());
  cache.Insert("nis", Named("nis", "NIS"), generation);
  std::optional<v1::Source> hit = cache.Find("nis", &generation);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->display_name(), "NIS");
}

TEST(SourceCacheTest, CommitReplacesCachedSource) {
  SourceCache cache(8);
  uint64_t generation = 0;
  cache.Find("nis", &generation);
  cache.Insert("nis", Named("nis", "NIS"), generation);
  cache.Update({{"nis", Named("nis", "National Intelligence Service")}});
  std::optional<v1::Source> hit = cache.Find("nis", &generation);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->display_name(), "National Intelligence Service");
}

// A reader that missed, then read storage before a commit changed the
// source, must not cache what it read: it may be the old version.
TEST(SourceCacheTest, ReadOlderThanACommitIsNotCached) {
  SourceCache cache(8);
  uint64_t generation = 0;
  cache.Find("nis", &generation);
  cache.Update({{"nis", Named("nis", "renamed")}});
  cache.Insert("nis", Named("nis", "old name"), generation);
  EXPECT_FALSE(cache.Find("nis", &generation).has_value());
}

TEST(SourceCacheTest, StaysWithinCapacity) {
  SourceCache cache(2);
  uint64_t generation = 0;
  for (const char* id : {"a", "b", "c"}) {
    cache.Find(id, &generation);
    cache.Insert(id, Named(id, id), generation);
  }
  int cached = 0;
  for (const char* id : {"a", "b", "c"}) {
    if (cache.Find(id, &generation).has_value()) ++cached;
  }
  EXPECT_LE(cached, 2);
  EXPECT_TRUE(cache.Find("c", &generation).has_value());
}

}  // namespace
}  // namespace storage
}  // namespace claimtrail
