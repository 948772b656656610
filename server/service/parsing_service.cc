#include "server/service/parsing_service.h"

#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "server/util/logging.h"

namespace claimtrail {
namespace service {
namespace {

using ::google::protobuf::MethodDescriptor;

// Why `found` cannot be served as `method`, or "" if it can.
std::string Mismatch(absl::string_view service_full_name, RpcMethod method,
                     const google::protobuf::ServiceDescriptor* service,
                     const MethodDescriptor* found,
                     const google::protobuf::Descriptor& request,
                     const google::protobuf::Descriptor& response,
                     bool server_streaming) {
  if (RpcServiceName(method) != service_full_name) {
    return absl::StrCat("it belongs to ", RpcServiceName(method));
  }
  if (service == nullptr) {
    // A .proto that declares only services is dropped by a static link
    // unless something keeps it (see reports_service in BUILD).
    return "the service's descriptor is not linked in";
  }
  if (found == nullptr) return "the proto has no such method";
  if (found->input_type() != &request || found->output_type() != &response) {
    return absl::StrCat("the proto's types are ", found->input_type()->name(),
                        " -> ", found->output_type()->name(),
                        ", the handler's ", request.name(), " -> ",
                        response.name());
  }
  if (found->client_streaming() ||
      found->server_streaming() != server_streaming) {
    return "the proto's streaming differs from the handler's";
  }
  return "";
}

}  // namespace

int ParsedMethodIndex(absl::string_view service_full_name, RpcMethod method,
                      const google::protobuf::Descriptor& request,
                      const google::protobuf::Descriptor& response,
                      bool server_streaming) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          std::string(service_full_name));
  const MethodDescriptor* found =
      service == nullptr
          ? nullptr
          : service->FindMethodByName(std::string(RpcMethodName(method)));
  const std::string mismatch =
      Mismatch(service_full_name, method, service, found, request, response,
               server_streaming);
  if (!mismatch.empty()) {
    LogError("cannot serve %s/%s from parsed requests: %s", service_full_name,
             RpcMethodName(method), mismatch);
    std::abort();
  }
  return found->index();
}

}  // namespace service
}  // namespace claimtrail
