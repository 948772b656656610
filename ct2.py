import sys, re, uuid, grpc
sys.path.insert(0, "/tmp/qa2-api/gen")
from proto.claimtrail.v1 import resources_pb2 as res, service_pb2 as svc, service_pb2_grpc as svcg
from proto.claimtrail.v1 import admin_pb2 as adm, admin_pb2_grpc as admg
from google.protobuf import field_mask_pb2
PORT = int(re.search(r"port (\d+)", open("/tmp/qa2-api/server2.log").read()).group(1))
ADDR = f"127.0.0.1:{PORT}"
ADMIN = open("/tmp/qa2-api/data2/admin.token").read().strip()
ch = grpc.insecure_channel(ADDR)
S = svcg.ClaimTrailStub(ch); A = admg.AdminStub(ch)
def md(tok=ADMIN): return [("authorization", "Bearer " + tok)] if tok is not None else []
def rid(): return str(uuid.uuid4())
