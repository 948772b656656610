// LeakSanitizer defaults for every binary built with --config=asan.
//
// c-ares (libcares, gRPC's DNS resolver; a Debian library) leaks one small
// allocation per process when a channel resolves a host name such as
// "localhost" (seen in the TLS tests: 10 bytes, allocated inside libcares).
// It is not ours to fix, and it would fail every test that resolves a name.
// Only leaks allocated from within libcares are suppressed.
extern "C" __attribute__((visibility("default"), used)) const char*
__lsan_default_suppressions() {
  return "leak:libcares.so\n";
}
