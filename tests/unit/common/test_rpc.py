"""The message bus over fake://: context serialization and the base ping RPC."""
import oslo_messaging as messaging

from common import context, rpc, version
from common.manager import Manager
from common.service import Service
from tests.unit import base


def _context() -> context.RequestContext:
    return context.RequestContext(request_id="req-5e1c0d7e-0000-4000-8000-000000000001",
                                  user_id="u-1", project_id="p-1", roles=["member", "reader"])


class EchoManager(Manager):
    """Answers with the context it received, as the server side deserialized it."""

    def whoami(self, ctxt: context.RequestContext) -> dict:
        return {"type": type(ctxt).__name__, "request_id": ctxt.request_id,
                "user_id": ctxt.user_id, "project_id": ctxt.project_id,
                "roles": ctxt.roles, "is_admin": ctxt.is_admin}


class RequestContextSerializerTest(base.TestCase):
    def test_round_trip(self) -> None:
        serializer = rpc.RequestContextSerializer()
        ctxt = serializer.deserialize_context(serializer.serialize_context(_context()))
        self.assertIsInstance(ctxt, context.RequestContext)
        self.assertEqual("req-5e1c0d7e-0000-4000-8000-000000000001", ctxt.request_id)
        self.assertEqual(("u-1", "p-1"), (ctxt.user_id, ctxt.project_id))
        self.assertEqual(["member", "reader"], ctxt.roles)
        self.assertFalse(ctxt.is_admin)

    def test_admin_context_round_trip(self) -> None:
        serializer = rpc.RequestContextSerializer()
        ctxt = serializer.deserialize_context(
            serializer.serialize_context(context.get_admin_context()))
        self.assertTrue(ctxt.is_admin)
        self.assertTrue(ctxt.is_admin_role)


class ServiceOverFakeBusTest(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        self.heartbeats: list[tuple[str, str, str, str]] = []
        self.service = Service("strato-echo", "echo", EchoManager("unit-host"),
                               lambda _ctxt, *args: self.heartbeats.append(args))
        self.service.start()
        self.addCleanup(self.service.stop)

    def test_ping_answers_binary_host_and_version(self) -> None:
        self.assertEqual({"binary": "strato-echo", "host": "unit-host",
                          "version": version.version_string()},
                         rpc.ping("echo", server="unit-host", timeout=5))

    def test_ping_of_an_unknown_server_times_out(self) -> None:
        with self.assertRaises(messaging.MessagingTimeout):
            rpc.ping("echo", server="nobody", timeout=0.5)

    def test_context_survives_the_bus(self) -> None:
        client = rpc.get_client("echo", "1.0", server="unit-host", timeout=5)
        answer = client.call(_context(), "whoami")
        self.assertEqual({"type": "RequestContext",
                          "request_id": "req-5e1c0d7e-0000-4000-8000-000000000001",
                          "user_id": "u-1", "project_id": "p-1",
                          "roles": ["member", "reader"], "is_admin": False}, answer)

    def test_heartbeat_reports_right_away(self) -> None:
        self.wait_until(lambda: self.heartbeats, message="no heartbeat")
        self.assertEqual(("unit-host", "strato-echo", "echo", version.version_string()),
                         self.heartbeats[0])
