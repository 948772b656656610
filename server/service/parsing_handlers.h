// gRPC method handlers that receive a request as bytes (grpc::ByteBuffer),
// parse it (request_parsing.h) and pass the typed request on; or, if it does
// not parse, call a refusal function with the means to explain why (which
// it calls only for a caller it admits: the explanation costs another pass
// over the bytes). Registered by ParsingService (parsing_service.h), which
// says why.
#ifndef CLAIMTRAIL_SERVER_SERVICE_PARSING_HANDLERS_H_
#define CLAIMTRAIL_SERVER_SERVICE_PARSING_HANDLERS_H_

#include <grpcpp/impl/codegen/server_callback_handlers.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/message_allocator.h>
#include <grpcpp/support/server_callback.h>

#include <functional>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "server/service/request_parsing.h"

namespace claimtrail {
namespace service {

// A unary method. The parsed request lives in the call's message holder,
// which gRPC releases only after the reactor's OnDone, so the request
// stays valid for any work the typed handler starts (a mutation answered
// later from the committer thread), exactly as gRPC's own request did.
template <typename Request, typename Response>
class ParsingUnaryHandler final
    : public grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer, Response>,
      private grpc::MessageAllocator<grpc::ByteBuffer, Response> {
 public:
  using Serve = std::function<grpc::ServerUnaryReactor*(
      grpc::CallbackServerContext*, const Request*, Response*)>;
  // Answers a call whose request did not parse; `explain()` returns the
  // INVALID_ARGUMENT saying why.
  using Refuse = std::function<grpc::ServerUnaryReactor*(
      grpc::CallbackServerContext*, absl::FunctionRef<absl::Status()>)>;

  ParsingUnaryHandler(Serve serve, Refuse refuse)
      : grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer, Response>(
            [this](grpc::CallbackServerContext* ctx, const grpc::ByteBuffer*,
                   Response* response) { return Handle(ctx, response); }),
        serve_(std::move(serve)),
        refuse_(std::move(refuse)) {
    this->SetMessageAllocator(this);
  }

 private:
  // One call's messages: what gRPC received, what it parses to, and the
  // answer. Heap-allocated per call (gRPC's default holder lives in the
  // call's arena); gRPC calls Release once the call is done.
  class Messages final
      : public grpc::MessageHolder<grpc::ByteBuffer, Response> {
   public:
    Messages() {
      this->set_request(&bytes);
      this->set_response(&response);
    }
    void Release() override { delete this; }

    grpc::ByteBuffer bytes;
    Request request;
    Response response;
  };

  grpc::MessageHolder<grpc::ByteBuffer, Response>* AllocateMessages() override {
    return new Messages;
  }

  grpc::ServerUnaryReactor* Handle(grpc::CallbackServerContext* ctx,
                                   Response* response) {
    // This handler's allocator made the call's holder (AllocateMessages).
    auto* messages = static_cast<Messages*>(ctx->GetRpcAllocatorState());
    if (TryParseRequest(messages->bytes, &messages->request)) {
      // Free the bytes now, as gRPC's deserializer does, not at the end of
      // what may be a long call.
      messages->bytes.Clear();
      return serve_(ctx, &messages->request, response);
    }
    return refuse_(ctx, [messages] {
      return ExplainUnparsedRequest(messages->bytes, messages->request);
    });
  }

  const Serve serve_;
  const Refuse refuse_;
};

// A server-streaming method. Its request is parsed into a local that lives
// only while `serve` runs (gRPC's streaming handler has no message holder
// to keep it in): `serve` must copy whatever it keeps.
template <typename Request, typename Response>
grpc::internal::MethodHandler* NewParsingStreamHandler(
    std::function<grpc::ServerWriteReactor<Response>*(
        grpc::CallbackServerContext*, const Request*)>
        serve,
    std::function<grpc::ServerWriteReactor<Response>*(
        grpc::CallbackServerContext*, absl::FunctionRef<absl::Status()>)>
        refuse) {
  return new grpc::internal::CallbackServerStreamingHandler<grpc::ByteBuffer,
                                                            Response>(
      [serve = std::move(serve), refuse = std::move(refuse)](
          grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* bytes) {
        Request request;
        if (TryParseRequest(*bytes, &request)) return serve(ctx, &request);
        return refuse(ctx, [bytes, &request] {
          return ExplainUnparsedRequest(*bytes, request);
        });
      });
}

}  // namespace service
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_SERVICE_PARSING_HANDLERS_H_
