"""cc_proto: C++ (and optionally gRPC) code from a .proto, with Debian's protoc.

Bazel 4's native proto rules want @com_google_protobuf from the network, so we
run the system `protoc` and `grpc_cpp_plugin` from a genrule instead. Import
paths are relative to the workspace root ("proto/claimtrail/v1/x.proto"); the
well-known types come from /usr/include.
"""

def cc_proto(name, srcs, deps = [], grpc = False, visibility = None, grpc_visibility = None):
    """Declares `name` (messages), and with grpc `name_grpc` and `name_grpc_mock`.

    Args:
      name: cc_library name for the generated code.
      srcs: .proto files in this package.
      deps: other cc_proto targets whose protos these import.
      grpc: also generate service stubs (`name_grpc`) and GoogleMock stubs
        (`name_grpc_mock`).
      visibility: visibility of the generated libraries.
      grpc_visibility: visibility of the stub libraries (default: visibility).
    """
    bases = [s[:-len(".proto")] for s in srcs]
    outs = []
    for b in bases:
        outs += [b + ".pb.h", b + ".pb.cc"]
        if grpc:
            outs += [b + ".grpc.pb.h", b + ".grpc.pb.cc", b + "_mock.grpc.pb.h"]
    dep_protos = [d + "_srcs" for d in deps]

    native.filegroup(
        name = name + "_srcs",
        srcs = srcs + dep_protos,
        visibility = visibility,
    )

    plugin = ""
    if grpc:
        plugin = ("--plugin=protoc-gen-grpc=/usr/bin/grpc_cpp_plugin " +
                  "--grpc_out=generate_mock_code=true:$(GENDIR) ")
    native.genrule(
        name = name + "_gen",
        srcs = srcs + dep_protos,
        outs = outs,
        cmd = ("/usr/bin/protoc -I. -I/usr/include --cpp_out=$(GENDIR) " +
               plugin +
               " ".join(["$(location %s)" % s for s in srcs])),
    )

    native.cc_library(
        name = name,
        srcs = [b + ".pb.cc" for b in bases],
        hdrs = [b + ".pb.h" for b in bases],
        deps = deps + ["//third_party:protobuf"],
        # Keep every generated object in static links (claimtraild): a
        # .proto that declares only a service (reports_service.proto) has
        # no symbol anyone refers to, so the linker would drop it and with
        # it the descriptors the server looks services up by and gRPC
        # reflection serves (protobuf issue #4221).
        alwayslink = True,
        visibility = visibility,
    )
    if grpc:
        # Service stubs live apart from the messages so that layers that must
        # not see gRPC (server/core) can use the messages alone.
        native.cc_library(
            name = name + "_grpc",
            srcs = [b + ".grpc.pb.cc" for b in bases],
            hdrs = [b + ".grpc.pb.h" for b in bases],
            deps = [":" + name, "//third_party:grpc"],
            visibility = grpc_visibility or visibility,
        )
        native.cc_library(
            name = name + "_grpc_mock",
            hdrs = [b + "_mock.grpc.pb.h" for b in bases],
            deps = [":" + name + "_grpc", "//third_party:gmock"],
            testonly = True,
            visibility = grpc_visibility or visibility,
        )
