"""Interop: stock Python gRPC (Debian's grpcio + protobuf) vs claimtraild.

Run by //tests/e2e:interop_python_test, which generates the stubs into
PYTHONPATH and sets CLAIMTRAILD to the binary. Checks what any third-party
client relies on: standard health checking, server reflection (both without
a token), bearer-token authentication as plain "authorization" metadata, the
BRIEF §2 example, and the documented error codes with nothing written on
error.
"""

import collections
import os
import signal
import subprocess
import sys
import time
import unittest

import grpc
from google.protobuf import timestamp_pb2

from ct_health import health_pb2
from ct_health import health_pb2_grpc
from ct_reflection import reflection_pb2
from ct_reflection import reflection_pb2_grpc
from proto.claimtrail.v1 import resources_pb2 as res
from proto.claimtrail.v1 import service_pb2 as svc
from proto.claimtrail.v1 import service_pb2_grpc

from claimtraild_process import ClaimtraildProcess, fresh_dir

TIMEOUT = 20  # seconds, per call
MAX_MESSAGE_BYTES = 1 << 20  # Passed as --max_message_bytes.
SERVICE = "claimtrail.v1.ClaimTrail"


class _CallDetails(
        collections.namedtuple(
            "_CallDetails", ("method", "timeout", "metadata", "credentials",
                             "wait_for_ready", "compression")),
        grpc.ClientCallDetails):
    pass


class BearerToken(grpc.UnaryUnaryClientInterceptor,
                  grpc.UnaryStreamClientInterceptor):
    """Adds "authorization: Bearer <token>" to every call, as any client
    would: plain gRPC metadata, nothing claimtrail-specific."""

    def __init__(self, token):
        self._header = ("authorization", "Bearer " + token)

    def _details(self, details):
        metadata = list(details.metadata or []) + [self._header]
        return _CallDetails(details.method, details.timeout, metadata,
                            details.credentials, details.wait_for_ready,
                            details.compression)

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._details(details), request)


def admin_token(data_dir):
    """The token claimtraild wrote into its data directory on first start."""
    with open(os.path.join(data_dir, "admin.token"), encoding="ascii") as f:
        return f.read().strip()


def example_sources():
    """The agents of the BRIEF §2 example: (id, display name, kind)."""
    return [
        ("nis", "National Intelligence Service", res.SOURCE_KIND_AGENCY),
        ("straitstimes", "The Straits Times", res.SOURCE_KIND_NEWS_OUTLET),
        ("north-korea", "North Korea", res.SOURCE_KIND_GOVERNMENT),
        ("russia", "Russia", res.SOURCE_KIND_GOVERNMENT),
    ]


def example_claim_request(claim_id, request_id):
    """CreateClaimRequest for the BRIEF §2 troops claim."""
    published = timestamp_pb2.Timestamp()
    published.FromJsonString("2025-03-21T00:00:00Z")
    appearance = res.Appearance(
        url="https://www.straitstimes.com/asia/east-asia/nk-weapons-test",
        outlet="straitstimes.com",
        outlet_source="sources/straitstimes",
        publish_time=published,
        quote=("Intelligence reports have noted that over 10,000 North "
               "Korean soldiers were dispatched to Russia to support its "
               "military operations, as confirmed by South Korea's spy "
               "agency."))
    claim = res.Claim(
        text=("North Korea has sent troops to Russia to support its war "
              "against Ukraine."),
        language="en",
        topics=["north-korea", "russia"],
        figures=[res.Figure(
            figure_id="troops",
            label="North Korean soldiers sent to Russia",
            lower_bound=10000,
            unit="soldiers",
            qualifier=res.FIGURE_QUALIFIER_OVER)],
        attributions=[res.Attribution(hops=[
            res.AttributionHop(source="sources/nis",
                               verb=res.ATTRIBUTION_VERB_CONFIRMED),
            res.AttributionHop(source="sources/straitstimes",
                               verb=res.ATTRIBUTION_VERB_REPORTED,
                               appearance=appearance),
        ])],
        stances=[
            res.Stance(party="sources/north-korea",
                       position=res.STANCE_POSITION_NOT_CONFIRMED),
            res.Stance(party="sources/russia",
                       position=res.STANCE_POSITION_NOT_CONFIRMED),
        ],
        appearances=[appearance])
    return svc.CreateClaimRequest(claim=claim, claim_id=claim_id,
                                  request_id=request_id)


class InteropTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        binary = os.environ["CLAIMTRAILD"]
        work = fresh_dir("interop")
        cls.server = ClaimtraildProcess(
            binary, os.path.join(work, "data"),
            os.path.join(work, "claimtraild.log"),
            ["--max_message_bytes=%d" % MAX_MESSAGE_BYTES]).start()
        # Health and reflection need no token; the API does.
        cls.channel = grpc.insecure_channel(cls.server.target)
        cls.api_channel = grpc.intercept_channel(
            cls.channel, BearerToken(admin_token(cls.server.data_dir)))
        cls.stub = service_pb2_grpc.ClaimTrailStub(cls.api_channel)

        for source_id, name, kind in example_sources():
            cls.stub.CreateSource(svc.CreateSourceRequest(
                source=res.Source(display_name=name, kind=kind),
                source_id=source_id, request_id="source-" + source_id),
                timeout=TIMEOUT)
        created = cls.stub.CreateClaim(
            example_claim_request("nk-troops", "claim-nk-troops"),
            timeout=TIMEOUT)
        # A later event makes the creation etag stale.
        cls.stale_etag = created.etag
        cls.stub.AddAppearance(svc.AddAppearanceRequest(
            claim="claims/nk-troops",
            appearance=res.Appearance(url="https://example.org/followup"),
            etag=created.etag, request_id="appearance-1"), timeout=TIMEOUT)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        code = cls.server.stop(signal.SIGTERM)
        if code != 0:
            raise AssertionError("claimtraild exited with %r; log:\n%s"
                                 % (code, cls.server.log()))
        if "claimtraild 0.1.0 stopped (SIGTERM)" not in cls.server.log():
            raise AssertionError("no stop line in log:\n" + cls.server.log())

    # ---- Standard services.

    def test_health_is_serving(self):
        health = health_pb2_grpc.HealthStub(self.channel)
        for service in ("", SERVICE):
            with self.subTest(service=service):
                response = health.Check(
                    health_pb2.HealthCheckRequest(service=service),
                    timeout=TIMEOUT)
                self.assertEqual(response.status,
                                 health_pb2.HealthCheckResponse.SERVING)

    def test_reflection_lists_services(self):
        reflection = reflection_pb2_grpc.ServerReflectionStub(self.channel)
        responses = reflection.ServerReflectionInfo(
            iter([reflection_pb2.ServerReflectionRequest(list_services="")]),
            timeout=TIMEOUT)
        names = set()
        for response in responses:
            names.update(s.name for s in
                         response.list_services_response.service)
        self.assertIn(SERVICE, names)
        self.assertIn("claimtrail.v1.Reports", names)
        self.assertIn("grpc.health.v1.Health", names)
        self.assertIn("grpc.reflection.v1alpha.ServerReflection", names)

    def test_reflection_describes_the_api(self):
        reflection = reflection_pb2_grpc.ServerReflectionStub(self.channel)
        responses = list(reflection.ServerReflectionInfo(
            iter([reflection_pb2.ServerReflectionRequest(
                file_containing_symbol=SERVICE)]), timeout=TIMEOUT))
        self.assertEqual(len(responses), 1)
        files = responses[0].file_descriptor_response.file_descriptor_proto
        self.assertTrue(files, responses[0])

    def test_api_without_a_token_is_unauthenticated(self):
        anonymous = service_pb2_grpc.ClaimTrailStub(self.channel)
        with self.assertRaises(grpc.RpcError) as raised:
            anonymous.GetServerInfo(svc.GetServerInfoRequest(),
                                    timeout=TIMEOUT)
        self.assertEqual(raised.exception.code(),
                         grpc.StatusCode.UNAUTHENTICATED)
        with self.assertRaises(grpc.RpcError) as raised:
            anonymous.GetServerInfo(
                svc.GetServerInfoRequest(), timeout=TIMEOUT,
                metadata=[("authorization", "Bearer ct_0000000000000000_"
                           + "0" * 64)])
        self.assertEqual(raised.exception.code(),
                         grpc.StatusCode.UNAUTHENTICATED)

    # ---- The BRIEF §2 example.

    def test_example_claim_reads_back_unconfirmed(self):
        claim = self.stub.GetClaim(svc.GetClaimRequest(name="claims/nk-troops"),
                                   timeout=TIMEOUT)
        self.assertEqual(claim.state, res.CLAIM_STATE_UNCONFIRMED)
        self.assertEqual(claim.figures[0].lower_bound, 10000)
        self.assertEqual(claim.figures[0].qualifier,
                         res.FIGURE_QUALIFIER_OVER)
        self.assertEqual([h.source for h in claim.attributions[0].hops],
                         ["sources/nis", "sources/straitstimes"])
        self.assertEqual(sorted(s.party for s in claim.stances),
                         ["sources/north-korea", "sources/russia"])
        # The author is the token's principal (the bootstrap admin).
        self.assertEqual(claim.creator, "users/admin")
        info = self.stub.GetServerInfo(svc.GetServerInfoRequest(),
                                       timeout=TIMEOUT)
        self.assertEqual(info.version, "0.1.0")
        self.assertEqual(info.source_count, 4)

    def test_watch_replays_the_history(self):
        responses = self.stub.WatchClaims(
            svc.WatchClaimsRequest(claim="claims/nk-troops"), timeout=TIMEOUT)
        first = next(responses)
        self.assertEqual(first.event.kind, res.EVENT_KIND_CLAIM_CREATED)
        self.assertEqual(first.event.name, "claims/nk-troops/events/1")
        self.assertEqual(first.event.author, "users/admin")
        self.assertEqual(first.state, res.CLAIM_STATE_UNCONFIRMED)
        second = next(responses)
        self.assertEqual(second.event.kind, res.EVENT_KIND_APPEARANCE_ADDED)
        responses.cancel()

    # ---- Errors: the documented code, a message naming the field or
    # resource, and nothing written.

    def assert_rejected(self, call, request, code, message_part,
                        starts_with=False):
        info_before = self.stub.GetServerInfo(svc.GetServerInfoRequest(),
                                              timeout=TIMEOUT)
        claim_before = self.stub.GetClaim(
            svc.GetClaimRequest(name="claims/nk-troops"), timeout=TIMEOUT)
        with self.assertRaises(grpc.RpcError) as raised:
            call(request, timeout=TIMEOUT)
        error = raised.exception
        self.assertEqual(error.code(), code, error.details())
        if starts_with:
            self.assertTrue(error.details().startswith(message_part),
                            "%r does not start with %r"
                            % (error.details(), message_part))
        else:
            self.assertIn(message_part, error.details())
        info_after = self.stub.GetServerInfo(svc.GetServerInfoRequest(),
                                             timeout=TIMEOUT)
        self.assertEqual(info_after.last_sequence, info_before.last_sequence)
        self.assertEqual(info_after.claim_count, info_before.claim_count)
        self.assertEqual(info_after.source_count, info_before.source_count)
        claim_after = self.stub.GetClaim(
            svc.GetClaimRequest(name="claims/nk-troops"), timeout=TIMEOUT)
        self.assertEqual(claim_after, claim_before)

    def test_empty_text_is_invalid_argument(self):
        request = example_claim_request("empty", "bad-empty")
        request.claim.text = ""
        self.assert_rejected(self.stub.CreateClaim, request,
                             grpc.StatusCode.INVALID_ARGUMENT, "claim.text",
                             starts_with=True)

    def test_over_long_text_is_invalid_argument(self):
        request = example_claim_request("long", "bad-long")
        request.claim.text = "x" * 4097
        self.assert_rejected(self.stub.CreateClaim, request,
                             grpc.StatusCode.INVALID_ARGUMENT, "claim.text",
                             starts_with=True)

    def test_reversed_bounds_are_invalid_argument(self):
        request = example_claim_request("bounds", "bad-bounds")
        figure = request.claim.figures[0]
        figure.qualifier = res.FIGURE_QUALIFIER_BETWEEN
        figure.lower_bound = 5
        figure.upper_bound = 3
        self.assert_rejected(self.stub.CreateClaim, request,
                             grpc.StatusCode.INVALID_ARGUMENT,
                             "claim.figures[0]", starts_with=True)

    def test_missing_request_id_is_invalid_argument(self):
        request = example_claim_request("no-id", "")
        self.assert_rejected(self.stub.CreateClaim, request,
                             grpc.StatusCode.INVALID_ARGUMENT, "request_id",
                             starts_with=True)

    def test_unknown_source_is_not_found(self):
        request = example_claim_request("orphan", "bad-orphan")
        request.claim.attributions[0].hops[0].source = "sources/nobody"
        self.assert_rejected(self.stub.CreateClaim, request,
                             grpc.StatusCode.NOT_FOUND, "sources/nobody")
        attribution = svc.AddAttributionRequest(
            claim="claims/nk-troops", request_id="bad-attribution",
            attribution=res.Attribution(hops=[res.AttributionHop(
                source="sources/nobody", verb=res.ATTRIBUTION_VERB_SAID)]))
        self.assert_rejected(self.stub.AddAttribution, attribution,
                             grpc.StatusCode.NOT_FOUND, "sources/nobody")

    def test_unknown_claim_is_not_found(self):
        self.assert_rejected(self.stub.GetClaim,
                             svc.GetClaimRequest(name="claims/nope"),
                             grpc.StatusCode.NOT_FOUND, "claims/nope")
        stance = svc.RecordStanceRequest(
            claim="claims/nope", request_id="bad-stance",
            stance=res.Stance(party="sources/russia",
                              position=res.STANCE_POSITION_DENIED))
        self.assert_rejected(self.stub.RecordStance, stance,
                             grpc.StatusCode.NOT_FOUND, "claims/nope")

    def test_stale_etag_is_aborted(self):
        stance = svc.RecordStanceRequest(
            claim="claims/nk-troops", etag=self.stale_etag,
            request_id="bad-stale",
            stance=res.Stance(party="sources/russia",
                              position=res.STANCE_POSITION_DENIED))
        self.assert_rejected(self.stub.RecordStance, stance,
                             grpc.StatusCode.ABORTED, "etag",
                             starts_with=True)

    def test_message_over_the_size_limit_is_resource_exhausted(self):
        request = example_claim_request("huge", "bad-huge")
        request.claim.text = "x" * (MAX_MESSAGE_BYTES + 1)
        self.assert_rejected(self.stub.CreateClaim, request,
                             grpc.StatusCode.RESOURCE_EXHAUSTED,
                             str(MAX_MESSAGE_BYTES))


# A watcher in another process: opens one WatchClaims stream, prints
# "ready" once the replay has started, then holds the stream.
_HANGING_WATCHER = """
import sys, time, grpc
from proto.claimtrail.v1 import service_pb2 as svc
from proto.claimtrail.v1 import service_pb2_grpc
channel = grpc.insecure_channel(sys.argv[1])
stub = service_pb2_grpc.ClaimTrailStub(channel)
stream = stub.WatchClaims(
    svc.WatchClaimsRequest(),
    metadata=[("authorization", "Bearer " + sys.argv[2])])
next(stream)
print("ready", flush=True)
time.sleep(3600)
"""


class KeepaliveTest(unittest.TestCase):
    """A client that stops answering loses its connection and its watch slot
    (--keepalive_seconds), instead of holding the slot for good."""

    def test_a_hung_watcher_frees_its_slot(self):
        work = fresh_dir("keepalive")
        server = ClaimtraildProcess(
            os.environ["CLAIMTRAILD"], os.path.join(work, "data"),
            os.path.join(work, "claimtraild.log"),
            ["--keepalive_seconds=1", "--max_watchers_per_principal=1"]
        ).start()
        token = admin_token(server.data_dir)
        channel = grpc.intercept_channel(
            grpc.insecure_channel(server.target), BearerToken(token))
        stub = service_pb2_grpc.ClaimTrailStub(channel)
        for source_id, name, kind in example_sources():
            stub.CreateSource(svc.CreateSourceRequest(
                source=res.Source(display_name=name, kind=kind),
                source_id=source_id, request_id="source-" + source_id),
                timeout=TIMEOUT)
        # An event, so that a watch's replay answers at once.
        stub.CreateClaim(example_claim_request("nk-troops", "claim"),
                         timeout=TIMEOUT)
        child = subprocess.Popen(
            [sys.executable, "-c", _HANGING_WATCHER, server.target, token],
            stdout=subprocess.PIPE, text=True,
            env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
        try:
            self.assertEqual(child.stdout.readline().strip(), "ready")

            def watch_once():
                stream = stub.WatchClaims(svc.WatchClaimsRequest(),
                                          timeout=TIMEOUT)
                try:
                    next(stream)
                    return grpc.StatusCode.OK
                except grpc.RpcError as error:
                    return error.code()
                finally:
                    stream.cancel()

            # The one slot is the child's while it answers.
            self.assertEqual(watch_once(), grpc.StatusCode.RESOURCE_EXHAUSTED)
            os.kill(child.pid, signal.SIGSTOP)
            deadline = time.monotonic() + 20
            code = None
            while time.monotonic() < deadline:
                code = watch_once()
                if code == grpc.StatusCode.OK:
                    break
                time.sleep(0.5)
            self.assertEqual(code, grpc.StatusCode.OK,
                             "the hung watcher kept its slot; log:\n"
                             + server.log())
        finally:
            child.kill()
            child.wait()
            channel.close()
            server.stop(signal.SIGTERM)


if __name__ == "__main__":
    unittest.main()
