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
// absl::Mutex, absl::Notification and absl::Status's reference count live
// in the uninstrumented libabsl too; their ordering is made visible by
// absl_tsan_annotations.cc rather than suppressed, since those reports have
// stacks wholly in our code and a suppression would hide real races too.
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
         "race:libcrypto.so\n"
         "race:libssl.so\n"
         "race:libupb.so\n"
         // gRPC's C++ API is header code compiled into our binaries; it is
         // ordered with the (uninstrumented) core by completion queues, e.g.
         // CallOpClientRecvStatus::FinishOp reading a status message string
         // that a core thread wrote.
         "race:grpc::internal::\n"
         "deadlock:libabsl_\n";
}
