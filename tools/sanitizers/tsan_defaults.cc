// ThreadSanitizer defaults for every binary built with --config=tsan.
//
// Debian's libraries are not built with -fsanitize=thread. TSan sees their
// memory accesses only through the calls it intercepts (memcpy, memcmp,
// malloc/free, pthread_*), and it cannot see the atomics and futexes with
// which they synchronize. It then reports races inside them (LevelDB's
// memtable skiplist, gRPC's completion queues and slices, protobuf's arena)
// that are ordered by that hidden synchronization. Only reports with a frame
// in one of these libraries are suppressed; races whose stacks are all in
// our code stay reported.
//
// Limitation (documented in docs/RELIABILITY.md): absl::Mutex comes from the
// uninstrumented libabsl too, so TSan cannot see the ordering it provides;
// code that relies on absl::Mutex for ordering may be reported and is
// suppressed by the libabsl entry below (a mutex-protected race then goes
// unreported). Code that needs TSan's eyes uses std::mutex/std::atomic, as
// tests/server/core/ledger_test_util.h does.
//
// Weak, so a test binary that also links
// //tests/server/storage:tsan_suppressions (a strong definition) still
// links; that one then wins, and its narrower list applies.
extern "C" __attribute__((weak, visibility("default"), used)) const char*
__tsan_default_suppressions() {
  return "race:libleveldb.so\n"
         "race:libgrpc.so\n"
         "race:libgrpc++.so\n"
         "race:libgpr.so\n"
         "race:libprotobuf.so\n"
         "race:libabsl_\n"
         "deadlock:libabsl_\n";
}
