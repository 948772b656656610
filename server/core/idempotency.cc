#include "server/core/idempotency.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_format.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace claimtrail {
namespace core {
namespace {

constexpr uint64_t kFnvPrime = 0x100000001b3ULL;
// Offset basis of the second, independent hash of a fingerprint: a
// different start gives a different function over the same bytes.
constexpr uint64_t kSecondSeed = 0x84222325cbf29ce4ULL;

void AppendBigEndian(uint64_t value, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

// Length-prefixed concatenation, so that ("ab", "c") and ("a", "bc") differ.
std::string Framed(absl::string_view a, absl::string_view b,
                   absl::string_view c) {
  std::string out;
  for (absl::string_view part : {a, b, c}) {
    AppendBigEndian(part.size(), &out);
    out.append(part.data(), part.size());
  }
  return out;
}

}  // namespace

uint64_t Fnv1a64(absl::string_view bytes, uint64_t seed) {
  uint64_t hash = seed;
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= kFnvPrime;
  }
  return hash;
}

std::string DeterministicBytes(const google::protobuf::Message& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }  // The CodedOutputStream flushes into `bytes` when destroyed.
  return bytes;
}

std::string RequestFingerprint(absl::string_view method,
                               absl::string_view principal,
                               const google::protobuf::Message& request) {
  const std::string input =
      Framed(method, principal, DeterministicBytes(request));
  std::string out;
  AppendBigEndian(Fnv1a64(input), &out);
  AppendBigEndian(Fnv1a64(input, kSecondSeed), &out);
  return out;
}

std::string SourceEtag(const v1::Source& source) {
  v1::Source copy = source;
  copy.clear_etag();
  return absl::StrFormat("%016x", Fnv1a64(DeterministicBytes(copy)));
}

}  // namespace core
}  // namespace claimtrail
