"""Every helper against a real Space Duck server: set SPACEDUCK_TEST_URL to a development server
(the dev mailbox must be on, rate limits off, and SPACEDUCK_WEBHOOK_ALLOW_PRIVATE=true for the
webhook test). ``packages/server/test/sdk-python.test.ts`` starts one and runs this suite."""
import asyncio
import json
import os
import threading
import time
import unittest
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from spaceduck import (
    AsyncSpaceDuck, AuthenticationError, NotFoundError, OtpError, SpaceDuck, ValidationError, WebhookVerificationError,
    verify_certificate, verify_webhook,
)

URL = os.environ.get("SPACEDUCK_TEST_URL")
PASSWORD = "correct horse battery staple"


def code_for(duck, email):
    for _ in range(40):
        messages = duck.dev_mailbox(email)["messages"]
        if messages and messages[0].get("otp"):
            return messages[0]["otp"]
        time.sleep(0.25)
    raise AssertionError(f"no code mailed to {email}")


def hatched():
    duck = SpaceDuck(URL)
    email = f"py{uuid.uuid4().hex[:10]}@example.com"
    assert duck.hatch(email, password=PASSWORD)["trust_tier"] == "T0"
    v = duck.verify(email, code_for(duck, email))
    return duck, email, v


@unittest.skipUnless(URL, "set SPACEDUCK_TEST_URL to run against a live server")
class LiveTests(unittest.TestCase):
    def test_hatch_verify_sign_in_sign_out_and_typed_errors(self):
        duck, email, v = hatched()
        self.assertEqual(v["trust_tier"], "T1")
        self.assertTrue(v["beak_key"].startswith("bk_"))
        self.assertEqual(duck.credential, v["access_token"])
        self.assertEqual(duck.profile()["duckling_id"], v["duckling_id"])

        other = SpaceDuck(URL)
        self.assertEqual(other.sign_in(email, password=PASSWORD)["duckling_id"], v["duckling_id"])
        self.assertIsNone(other.sign_in(email))  # emails a code
        self.assertTrue(other.sign_in(email, code=code_for(other, email))["access_token"])
        token = other.credential
        other.sign_out()
        with self.assertRaises(AuthenticationError) as cm:
            SpaceDuck(URL, token=token).profile()
        self.assertEqual((cm.exception.status, cm.exception.code), (401, "E4001"))
        with self.assertRaises(ValidationError) as cm:
            duck.hatch("not-an-email")
        self.assertTrue(cm.exception.details)
        with self.assertRaises(OtpError):
            SpaceDuck(URL).verify(f"nobody{uuid.uuid4().hex[:6]}@example.com", "123456")
        sso = duck.sso.issue("duckcontrol.com", scope="read")
        self.assertEqual(SpaceDuck(URL).sso.verify(sso["sso_token"])["duckling_id"], v["duckling_id"])
        self.assertFalse(duck.sso.verify(sso["sso_token"])["valid"])

    def test_agents_pulse_threads_and_key_rotation(self):
        duck, _, _ = hatched()
        ag = duck.agents.register("PyBot", capabilities=["query"])
        changes = []
        bot = SpaceDuck(URL, beak_key=ag["beak_key"], on_credential_change=lambda kind, value: changes.append((kind, value)))
        self.assertEqual(bot.agents.bond(ag["agent_id"], ag["handshake_token"])["status"], "bonded")

        beats = []
        with bot.start_pulse(interval=0.05, meta=lambda: {"agent_version": "1.0.0"}, on_pulse=lambda r: beats.append(r["liveness"])) as p:
            deadline = time.time() + 10
            while len(beats) < 2 and time.time() < deadline:
                time.sleep(0.02)
        self.assertGreaterEqual(len(beats), 2)
        self.assertEqual(set(beats), {"active"})
        self.assertEqual(p.last["liveness"], "terminated")
        listed = next(a for a in duck.agents.list()["agents"] if a["agent_id"] == ag["agent_id"])
        self.assertEqual(listed["liveness"], "terminated")

        old = bot.credential
        fresh = bot.rotate_key()
        self.assertTrue(fresh.startswith("bk_") and fresh != old)
        self.assertEqual(bot.credential, fresh)
        self.assertEqual(changes, [("beak_key", fresh)])
        self.assertEqual(bot.pulse()["status"], "ok")
        with self.assertRaises(AuthenticationError):
            SpaceDuck(URL, beak_key=old).pulse()
        self.assertEqual(duck.agents.deregister(ag["agent_id"])["status"], "deregistered")

    def test_async_client_pulses_and_rotates(self):
        duck, _, _ = hatched()
        ag = duck.agents.register("AsyncBot")

        async def main():
            async with AsyncSpaceDuck(URL, beak_key=ag["beak_key"]) as bot:
                await bot.agents.bond(ag["agent_id"], ag["handshake_token"])
                pulse = bot.start_pulse(interval=0.05, meta={"mode": "async"})
                while pulse.count < 2:
                    await asyncio.sleep(0.02)
                final = await pulse.stop()
                fresh = await bot.rotate_key()
                return final, fresh, bot.credential, await bot.pulse()
        final, fresh, current, after = asyncio.run(main())
        self.assertEqual(final["liveness"], "terminated")
        self.assertEqual(current, fresh)
        self.assertEqual(after["liveness"], "active")

    def test_peck_approve_and_deny(self):
        a, _, av = hatched()
        b, b_email, bv = hatched()
        c, _, _ = hatched()
        sent = a.pecks.send(target_email=b_email, purpose="Agent fleet coordination")
        self.assertEqual(sent["status"], "pending")
        self.assertIn(sent["peck_id"], [p["peck_id"] for p in b.pecks.pending()["pecks"]])
        ok = b.pecks.approve(sent["peck_id"])
        self.assertEqual((ok["approved"], ok["status"], ok["requester_id"]), (True, "bonded", av["duckling_id"]))
        second = c.pecks.send(target_duckling_id=bv["duckling_id"], purpose="hello")
        no = b.pecks.deny(second["peck_id"], reason="not now")
        self.assertEqual((no["denied"], no["status"]), (True, "rejected"))
        self.assertEqual(next(p for p in c.pecks.history(direction="sent")["pecks"] if p["peck_id"] == second["peck_id"])["status"], "rejected")
        with self.assertRaises(NotFoundError):
            b.pecks.approve("peck_01ZZZZZZZZZZZZZZZZZZZZZZZZ")

    def test_certificate_offline_valid_tampered_revoked(self):
        duck, _, v = hatched()
        online = duck.certs.verify(v["cert_id"])
        self.assertTrue(online["valid"])
        jws = online["credential"]
        jwks, status_list = duck.jwks(), duck.certs.status_list()
        ok = verify_certificate(jws, jwks=jwks, status_list=status_list)
        self.assertEqual((ok["valid"], ok["status"], ok["cert_id"], ok["trust_tier"]), (True, "valid", v["cert_id"], "T1"))
        h, p, s = jws.split(".")
        self.assertEqual(verify_certificate(f"{h}.{p}x.{s}", jwks=jwks, status_list=status_list)["status"], "invalid")
        self.assertFalse(verify_certificate(jws, jwks=jwks, status_list=status_list, issuer="https://evil.example")["valid"])
        duck.certs.revoke("key compromise")
        revoked = duck.verify_certificate_offline(jws)
        self.assertEqual((revoked["valid"], revoked["status"]), (False, "revoked"))
        self.assertEqual(duck.certs.verify("cert_01ZZZZZZZZZZZZZZZZZZZZZZZZ")["status"], "not_found")

    def test_webhook_delivery_from_the_server_verifies(self):
        duck, _, _ = hatched()
        got = []

        class Receiver(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["content-length"]))
                got.append((body, dict(self.headers)))
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()
        server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            wh = duck.webhooks.create(f"http://127.0.0.1:{server.server_address[1]}/hook", ["*"])
            attempt = duck.webhooks.test(wh["webhook_id"], "peck.sent")
            self.assertTrue(attempt["ok"])
            body, headers = got[0]
            self.assertEqual(verify_webhook(body, headers, wh["secret"])["type"], "peck.sent")
            with self.assertRaises(WebhookVerificationError):
                verify_webhook(body + b" ", headers, wh["secret"])
            self.assertEqual(json.loads(body)["type"], "peck.sent")
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    unittest.main()
