// ParsingService: a generated gRPC callback service whose methods parse
// their own requests, so that a request the protobuf parser refuses (invalid
// UTF-8 in a proto3 `string` field at any depth, truncated or garbage bytes)
// is answered INVALID_ARGUMENT naming the field (request_parsing.h).
//
// Why: gRPC 1.51's CallbackUnaryHandler<Request, Response> deserializes the
// request before any service code runs and, when that fails, drops the
// status and answers UNIMPLEMENTED with an empty message (the streaming
// handler too). Registered with the request type grpc::ByteBuffer instead,
// a method gets the bytes, parses them once with the parser gRPC used, and
// runs the service's typed handler unchanged.
//
// Order of checks: a request that parses goes to the typed handler, which
// admits it first as before (Authorizer, draining, liveness). One that does
// not is admitted all the same, by Derived's RefuseUnparsed*, before the
// parse failure is explained (and only then is the explanation worked
// out): a caller that is not authenticated, not allowed or over its rate
// learns nothing about the bytes and costs no more than before, and every
// call is charged to the rate limit exactly once.
//
// Use: derive `class S final : public ParsingService<S, v1::Foo>` (v1::Foo:
// the generated service class) and, in S's constructor, call
// ParseRequestsOf(RpcMethod::kBar, &S::Bar) for every method. S provides,
// to its friend ParsingService<S, v1::Foo>,
//   grpc::ServerUnaryReactor* RefuseUnparsed(
//       grpc::CallbackServerContext*, RpcMethod,
//       absl::FunctionRef<absl::Status()> explain);
// and, for a server-streaming method with response R,
//   grpc::ServerWriteReactor<R>* RefuseUnparsedStream(
//       grpc::CallbackServerContext*, RpcMethod,
//       absl::FunctionRef<absl::Status()> explain);
// which admit the call as any handler does, and finish it with the refusal
// or, if admitted, with explain() (before returning: `explain` refers to
// the call's bytes).
// The generated SetMessageAllocatorFor_* must not be used on S: they cast
// to the generated handler type, which the methods no longer have.
#ifndef CLAIMTRAIL_SERVER_SERVICE_PARSING_SERVICE_H_
#define CLAIMTRAIL_SERVER_SERVICE_PARSING_SERVICE_H_

#include <grpcpp/support/server_callback.h>

#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "server/service/authorizer.h"
#include "server/service/parsing_handlers.h"

namespace claimtrail {
namespace service {

// The index under which gRPC's generated code registers `method` in the
// service named `service_full_name`: the method's index in the proto
// ServiceDescriptor, found by name. Checks first that the method belongs
// to that service, takes `request`, returns `response` and streams iff
// `server_streaming`; a mismatch is a programming error, logged, and the
// process aborts (at startup: services are built before serving).
// Thread-safe.
int ParsedMethodIndex(absl::string_view service_full_name, RpcMethod method,
                      const google::protobuf::Descriptor& request,
                      const google::protobuf::Descriptor& response,
                      bool server_streaming);

template <typename Derived, typename Generated>
class ParsingService : public Generated::CallbackService {
 protected:
  template <typename Request, typename Response>
  using UnaryMethod = grpc::ServerUnaryReactor* (
      Derived::*)(grpc::CallbackServerContext*, const Request*, Response*);
  template <typename Request, typename Response>
  using StreamingMethod = grpc::ServerWriteReactor<Response>* (
      Derived::*)(grpc::CallbackServerContext*, const Request*);

  // Serves the unary `method` with `serve`, from parsed requests. Call from
  // Derived's constructor, once per method.
  template <typename Request, typename Response>
  void ParseRequestsOf(RpcMethod method, UnaryMethod<Request, Response> serve) {
    Derived* self = static_cast<Derived*>(this);
    this->MarkMethodCallback(
        Index<Request, Response>(method, /*server_streaming=*/false),
        new ParsingUnaryHandler<Request, Response>(
            [self, serve](grpc::CallbackServerContext* ctx,
                          const Request* request, Response* response) {
              return (self->*serve)(ctx, request, response);
            },
            [self, method](grpc::CallbackServerContext* ctx,
                           absl::FunctionRef<absl::Status()> explain) {
              return self->RefuseUnparsed(ctx, method, explain);
            }));
  }

  // Serves the server-streaming `method` with `serve`, from parsed requests;
  // the request lives only while `serve` runs (see NewParsingStreamHandler).
  template <typename Request, typename Response>
  void ParseRequestsOf(RpcMethod method,
                       StreamingMethod<Request, Response> serve) {
    Derived* self = static_cast<Derived*>(this);
    this->MarkMethodCallback(
        Index<Request, Response>(method, /*server_streaming=*/true),
        NewParsingStreamHandler<Request, Response>(
            [self, serve](grpc::CallbackServerContext* ctx,
                          const Request* request) {
              return (self->*serve)(ctx, request);
            },
            [self, method](grpc::CallbackServerContext* ctx,
                           absl::FunctionRef<absl::Status()> explain) {
              return self->RefuseUnparsedStream(ctx, method, explain);
            }));
  }

 private:
  template <typename Request, typename Response>
  static int Index(RpcMethod method, bool server_streaming) {
    return ParsedMethodIndex(Generated::service_full_name(), method,
                             *Request::descriptor(), *Response::descriptor(),
                             server_streaming);
  }
};

}  // namespace service
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_SERVICE_PARSING_SERVICE_H_
