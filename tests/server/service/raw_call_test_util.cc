#include "tests/server/service/raw_call_test_util.h"

#include <grpcpp/client_context.h>
#include <grpcpp/completion_queue.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/slice.h>

#include <cstdint>
#include <memory>

#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace claimtrail {
namespace testing {
namespace {

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

}  // namespace

grpc::Status CallWithBytes(grpc::GenericStub& stub, const RawCall& call,
                           std::vector<std::string>* responses) {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + call.timeout));
  if (!call.authorization.empty()) {
    ctx.AddMetadata("authorization", call.authorization);
  }
  grpc::CompletionQueue cq;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> rpc =
      stub.PrepareCall(&ctx, call.path, &cq);
  void* tag = nullptr;
  bool ok = false;
  // The operations are made one at a time; each must complete in order.
  auto step = [&](intptr_t expected) {
    EXPECT_TRUE(cq.Next(&tag, &ok));
    EXPECT_EQ(reinterpret_cast<intptr_t>(tag), expected);
  };
  rpc->StartCall(reinterpret_cast<void*>(1));
  step(1);
  grpc::Slice slice(call.body);
  grpc::ByteBuffer request(&slice, 1);
  rpc->WriteLast(request, grpc::WriteOptions(), reinterpret_cast<void*>(2));
  step(2);
  // Read to the end of the stream: Finish is only for a drained call.
  while (true) {
    grpc::ByteBuffer response;
    rpc->Read(&response, reinterpret_cast<void*>(3));
    step(3);
    if (!ok) break;
    if (responses != nullptr) responses->push_back(Flatten(response));
  }
  grpc::Status status;
  rpc->Finish(&status, reinterpret_cast<void*>(4));
  step(4);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return status;
}

}  // namespace testing
}  // namespace claimtrail
