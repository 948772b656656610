// FUZZ_CHECK: the fuzz targets' assertion. Prints the failed condition and
// aborts, which libFuzzer (and the corpus replay test) reports as a crash
// with the input saved. Works without gtest, in clang and g++ builds alike.
#ifndef CLAIMTRAIL_TESTS_FUZZ_FUZZ_CHECK_H_
#define CLAIMTRAIL_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond, ...)                                        \
  do {                                                               \
    if (!(cond)) {                                                   \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: ", __FILE__, \
                   __LINE__, #cond);                                 \
      std::fprintf(stderr, __VA_ARGS__);                             \
      std::fprintf(stderr, "\n");                                    \
      std::abort();                                                  \
    }                                                                \
  } while (0)

#endif  // CLAIMTRAIL_TESTS_FUZZ_FUZZ_CHECK_H_
