#include "server/service/request_parsing.h"

#include <grpcpp/support/proto_buffer_reader.h>
#include <grpcpp/support/slice.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/service/wire_diagnosis.h"

namespace claimtrail {
namespace service {
namespace {

// The request's bytes in one string, for the diagnosis (rare: only for
// requests the parser refused).
absl::Status Flatten(const grpc::ByteBuffer& bytes, std::string* flat) {
  std::vector<grpc::Slice> slices;
  const grpc::Status dumped = bytes.Dump(&slices);
  if (!dumped.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("request: the message bytes could not be read (",
                     dumped.error_message(), ")"));
  }
  flat->clear();
  flat->reserve(bytes.Length());
  for (const grpc::Slice& slice : slices) {
    flat->append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return absl::OkStatus();
}

}  // namespace

bool TryParseRequest(const grpc::ByteBuffer& bytes,
                     google::protobuf::Message* out) {
  out->Clear();
  if (!bytes.Valid()) return false;
  // As gRPC's own deserializer (GenericDeserialize), minus its clearing the
  // buffer afterwards. The reader only reads; it wants a non-const pointer
  // only because ByteBuffer::c_buffer() is not const.
  grpc::ProtoBufferReader reader(const_cast<grpc::ByteBuffer*>(&bytes));
  if (reader.status().ok() && out->ParseFromZeroCopyStream(&reader)) {
    return true;
  }
  out->Clear();
  return false;
}

absl::Status ExplainUnparsedRequest(
    const grpc::ByteBuffer& bytes, const google::protobuf::Message& prototype) {
  if (!bytes.Valid()) {
    return absl::InvalidArgumentError(
        absl::StrCat("request: missing (the call carried no ",
                     prototype.GetDescriptor()->full_name(), " message)"));
  }
  std::string flat;
  absl::Status read = Flatten(bytes, &flat);
  if (!read.ok()) return read;
  return ExplainParseFailure(flat, prototype);
}

absl::Status ParseRequest(const grpc::ByteBuffer& bytes,
                          google::protobuf::Message* out) {
  if (TryParseRequest(bytes, out)) return absl::OkStatus();
  return ExplainUnparsedRequest(bytes, *out);
}

}  // namespace service
}  // namespace claimtrail
