// Makes the synchronization of Debian's (uninstrumented) Abseil visible to
// ThreadSanitizer. Linked only into --config=tsan binaries (see BUILD).
//
// libabsl is not built with -fsanitize=thread, so TSan does not see that
// absl::Mutex::Unlock happens before the next Lock, that Notify happens
// before WaitForNotification returns, or that absl::Status's reference
// count orders the last Unref after every use of the shared payload; it
// then reports races on data those protect, with stacks wholly in our code.
//
// Each function below has the mangled name of the libabsl function it
// stands in for (Abseil 20220623, inline namespace debian3). The executable
// defines it, so the dynamic linker binds every call (ours and the
// libraries') here; the wrapper tells TSan about the ordering with
// __tsan_acquire/__tsan_release on the object's address and calls the real
// function, found with dlsym(RTLD_NEXT). The arguments keep the ABI of the
// originals: `this` first, references as pointers, absl::Duration and
// absl::Time as their 16-byte trivially copyable representation.
#include <dlfcn.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);

namespace {

// absl::Duration's (and absl::Time's) layout: int64 hi, uint32 lo.
struct Ticks {
  int64_t hi;
  uint32_t lo;
};

template <typename Fn>
Fn Real(const char* name) {
  void* fn = dlsym(RTLD_NEXT, name);
  if (fn == nullptr) {
    std::fprintf(stderr, "absl_tsan_annotations: %s not found\n", name);
    std::abort();
  }
  return reinterpret_cast<Fn>(fn);
}

#define REAL(type, name)                             \
  static const auto real = Real<type>(#name); \
  (void)real

}  // namespace

extern "C" {

// ---- absl::Mutex

void _ZN4absl7debian35Mutex4LockEv(void* mu) {
  REAL(void (*)(void*), _ZN4absl7debian35Mutex4LockEv);
  real(mu);
  __tsan_acquire(mu);
}

void _ZN4absl7debian35Mutex10ReaderLockEv(void* mu) {
  REAL(void (*)(void*), _ZN4absl7debian35Mutex10ReaderLockEv);
  real(mu);
  __tsan_acquire(mu);
}

bool _ZN4absl7debian35Mutex7TryLockEv(void* mu) {
  REAL(bool (*)(void*), _ZN4absl7debian35Mutex7TryLockEv);
  const bool locked = real(mu);
  if (locked) __tsan_acquire(mu);
  return locked;
}

bool _ZN4absl7debian35Mutex13ReaderTryLockEv(void* mu) {
  REAL(bool (*)(void*), _ZN4absl7debian35Mutex13ReaderTryLockEv);
  const bool locked = real(mu);
  if (locked) __tsan_acquire(mu);
  return locked;
}

void _ZN4absl7debian35Mutex6UnlockEv(void* mu) {
  REAL(void (*)(void*), _ZN4absl7debian35Mutex6UnlockEv);
  __tsan_release(mu);
  real(mu);
}

void _ZN4absl7debian35Mutex12ReaderUnlockEv(void* mu) {
  REAL(void (*)(void*), _ZN4absl7debian35Mutex12ReaderUnlockEv);
  __tsan_release(mu);
  real(mu);
}

void _ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE(void* mu,
                                                       const void* cond) {
  REAL(void (*)(void*, const void*),
       _ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE);
  real(mu, cond);
  __tsan_acquire(mu);
}

void _ZN4absl7debian35Mutex14ReaderLockWhenERKNS0_9ConditionE(
    void* mu, const void* cond) {
  REAL(void (*)(void*, const void*),
       _ZN4absl7debian35Mutex14ReaderLockWhenERKNS0_9ConditionE);
  real(mu, cond);
  __tsan_acquire(mu);
}

bool _ZN4absl7debian35Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE(
    void* mu, const void* cond, Ticks timeout) {
  REAL(bool (*)(void*, const void*, Ticks),
       _ZN4absl7debian35Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE);
  const bool result = real(mu, cond, timeout);
  __tsan_acquire(mu);  // Held on return either way.
  return result;
}

bool _ZN4absl7debian35Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE(
    void* mu, const void* cond, Ticks deadline) {
  REAL(bool (*)(void*, const void*, Ticks),
       _ZN4absl7debian35Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE);
  const bool result = real(mu, cond, deadline);
  __tsan_acquire(mu);
  return result;
}

// Await releases the mutex while it waits and holds it again on return.
void _ZN4absl7debian35Mutex5AwaitERKNS0_9ConditionE(void* mu,
                                                    const void* cond) {
  REAL(void (*)(void*, const void*),
       _ZN4absl7debian35Mutex5AwaitERKNS0_9ConditionE);
  __tsan_release(mu);
  real(mu, cond);
  __tsan_acquire(mu);
}

bool _ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE(
    void* mu, const void* cond, Ticks timeout) {
  REAL(bool (*)(void*, const void*, Ticks),
       _ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE);
  __tsan_release(mu);
  const bool result = real(mu, cond, timeout);
  __tsan_acquire(mu);
  return result;
}

bool _ZN4absl7debian35Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE(
    void* mu, const void* cond, Ticks deadline) {
  REAL(bool (*)(void*, const void*, Ticks),
       _ZN4absl7debian35Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE);
  __tsan_release(mu);
  const bool result = real(mu, cond, deadline);
  __tsan_acquire(mu);
  return result;
}

// ---- absl::CondVar: the mutex is released while waiting.

void _ZN4absl7debian37CondVar4WaitEPNS0_5MutexE(void* cv, void* mu) {
  REAL(void (*)(void*, void*), _ZN4absl7debian37CondVar4WaitEPNS0_5MutexE);
  __tsan_release(mu);
  real(cv, mu);
  __tsan_acquire(mu);
}

bool _ZN4absl7debian37CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE(
    void* cv, void* mu, Ticks timeout) {
  REAL(bool (*)(void*, void*, Ticks),
       _ZN4absl7debian37CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE);
  __tsan_release(mu);
  const bool result = real(cv, mu, timeout);
  __tsan_acquire(mu);
  return result;
}

bool _ZN4absl7debian37CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE(
    void* cv, void* mu, Ticks deadline) {
  REAL(bool (*)(void*, void*, Ticks),
       _ZN4absl7debian37CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE);
  __tsan_release(mu);
  const bool result = real(cv, mu, deadline);
  __tsan_acquire(mu);
  return result;
}

// ---- absl::Notification

void _ZN4absl7debian312Notification6NotifyEv(void* n) {
  REAL(void (*)(void*), _ZN4absl7debian312Notification6NotifyEv);
  __tsan_release(n);
  real(n);
}

void _ZNK4absl7debian312Notification19WaitForNotificationEv(const void* n) {
  REAL(void (*)(const void*),
       _ZNK4absl7debian312Notification19WaitForNotificationEv);
  real(n);
  __tsan_acquire(const_cast<void*>(n));
}

bool _ZNK4absl7debian312Notification30WaitForNotificationWithTimeoutENS0_8DurationE(
    const void* n, Ticks timeout) {
  REAL(bool (*)(const void*, Ticks),
       _ZNK4absl7debian312Notification30WaitForNotificationWithTimeoutENS0_8DurationE);
  const bool notified = real(n, timeout);
  if (notified) __tsan_acquire(const_cast<void*>(n));
  return notified;
}

bool _ZNK4absl7debian312Notification31WaitForNotificationWithDeadlineENS0_4TimeE(
    const void* n, Ticks deadline) {
  REAL(bool (*)(const void*, Ticks),
       _ZNK4absl7debian312Notification31WaitForNotificationWithDeadlineENS0_4TimeE);
  const bool notified = real(n, deadline);
  if (notified) __tsan_acquire(const_cast<void*>(n));
  return notified;
}

// ---- absl::Status: the reference count of a shared payload. Every Unref
// releases; the one that may free acquires (over-approximated: all do).

void _ZN4absl7debian36Status15UnrefNonInlinedEm(uintptr_t rep) {
  REAL(void (*)(uintptr_t), _ZN4absl7debian36Status15UnrefNonInlinedEm);
  void* payload = reinterpret_cast<void*>(rep);
  __tsan_release(payload);
  __tsan_acquire(payload);
  real(rep);
}

}  // extern "C"
