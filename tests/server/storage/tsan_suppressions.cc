// ThreadSanitizer suppressions for tests that run the system LevelDB.
//
// Debian's libleveldb is not built with -fsanitize=thread, so TSan cannot see
// the atomics that order its memtable skiplist; it then reports the library's
// own memcpy/memcmp calls (which it intercepts) as races between a writer
// and concurrent readers. Only races with a libleveldb frame in a stack are
// suppressed; our code stays checked. ("called_from_lib:" would be
// narrower, but it also hides LevelDB's pthread_mutex_lock calls while its
// inlined unlocks stay visible, which TSan then reports as unlocking an
// unlocked mutex.) Harmless in builds without TSan.
extern "C" __attribute__((visibility("default"), used)) const char*
__tsan_default_suppressions() {
  return "race:libleveldb.so\n";
}
