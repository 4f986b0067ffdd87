"""Client behaviour that needs no Space Duck server: retries against a scripted local HTTP server,
timeouts, typed errors, webhook signatures and the pure-Python Ed25519 verifier."""
import asyncio
import base64
import hashlib
import hmac
import json
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from spaceduck import (
    AsyncSpaceDuck, NetworkError, NotFoundError, RateLimitError, RequestTimeoutError, ServerError, SpaceDuck,
    ValidationError, WebhookVerificationError, parse_retry_after, verify_webhook,
)
from spaceduck import _ed25519


class Scripted:
    """A local server whose nth answer is ``script(n)``: (status, headers, body), 'drop' or 'stall'."""

    def __init__(self, script):
        self.hits = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("content-length") or 0)
                outer.hits.append({"method": self.command, "path": self.path, "headers": dict(self.headers), "at": time.time(),
                                   "body": self.rfile.read(length)})
                answer = script(len(outer.hits))
                if answer == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                if answer == "stall":
                    time.sleep(1.5)
                    return
                status, headers, body = answer
                self.send_response(status)
                for k, v in {"content-type": "application/json", **headers}.items():
                    self.send_header(k, v)
                data = body.encode()
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def envelope(code, error, message):
    return json.dumps({"error": error, "message": message, "code": code, "request_id": "req_test"})


FAST = {"retry_base_delay": 0.01, "retry_max_delay": 0.02}


class RetryTests(unittest.TestCase):
    def test_429_waits_for_retry_after_and_reuses_the_idempotency_key(self):
        s = Scripted(lambda n: (429, {"retry-after": "1"}, envelope("E4004", "RATE_LIMITED", "slow")) if n == 1 else (200, {}, '{"peck_id": "peck_1"}'))
        retries = []
        duck = SpaceDuck(s.url, beak_key="bk_test", on_retry=lambda a, d, r: retries.append((a, d, r)))
        self.assertEqual(duck.pecks.send(target_email="x@example.com")["peck_id"], "peck_1")
        self.assertEqual(len(s.hits), 2)
        self.assertGreaterEqual(s.hits[1]["at"] - s.hits[0]["at"], 1.0)
        self.assertEqual(retries[0][0], 1)
        self.assertEqual(retries[0][2], 429)
        key = s.hits[0]["headers"].get("idempotency-key") or s.hits[0]["headers"].get("Idempotency-Key")
        self.assertRegex(key, r"^[0-9a-f]{32}$")
        self.assertEqual(s.hits[1]["headers"].get("Idempotency-Key") or s.hits[1]["headers"].get("idempotency-key"), key)
        self.assertEqual(s.hits[0]["headers"].get("Authorization"), "Bearer bk_test")
        s.close()

    def test_503_backs_off_then_raises_a_typed_error(self):
        s = Scripted(lambda n: (503, {}, envelope("E5030", "UNAVAILABLE", "db down")))
        with self.assertRaises(ServerError) as cm:
            SpaceDuck(s.url, max_retries=2, **FAST).about()
        self.assertEqual((cm.exception.status, cm.exception.code, cm.exception.request_id), (503, "E5030", "req_test"))
        self.assertEqual(len(s.hits), 3)
        s.close()

    def test_a_long_retry_after_is_raised_not_slept_through(self):
        s = Scripted(lambda n: (429, {"retry-after": "120"}, envelope("E4004", "RATE_LIMITED", "slow")))
        with self.assertRaises(RateLimitError) as cm:
            SpaceDuck(s.url).about()
        self.assertEqual(cm.exception.retry_after, 120)
        self.assertEqual(len(s.hits), 1)
        s.close()

    def test_a_dropped_connection_is_retried_only_when_safe(self):
        s = Scripted(lambda n: "drop" if n in (1, 3) else (200, {}, '{"ok": true}'))
        duck = SpaceDuck(s.url, **FAST)
        self.assertEqual(duck.request("GET", "/beak/anything"), {"ok": True})
        self.assertEqual(len(s.hits), 2)
        with self.assertRaises(NetworkError):
            duck.keys.rotate()  # a lost rotation answer is never replayed
        self.assertEqual(len(s.hits), 3)
        s.close()

    def test_timeout(self):
        s = Scripted(lambda n: "stall")
        started = time.time()
        with self.assertRaises(RequestTimeoutError):
            SpaceDuck(s.url, timeout=0.3, max_retries=0).about()
        self.assertLess(time.time() - started, 1.4)
        s.close()

    def test_typed_errors_and_injected_transport(self):
        from spaceduck import HttpResponse
        seen = []

        def transport(method, url, headers, body, timeout):
            seen.append((method, url))
            return HttpResponse(400, {}, envelope("E4000", "VALIDATION_FAILED", "bad").encode())
        with self.assertRaises(ValidationError) as cm:
            SpaceDuck("https://duck.invalid/", transport=transport).hatch("x")
        self.assertEqual(cm.exception.code, "E4000")
        self.assertEqual(seen, [("POST", "https://duck.invalid/beak/signup")])
        # A 404 that is not the API's answer (wrong URL, a proxy page) is an error, not a verdict.
        with self.assertRaises(NotFoundError):
            SpaceDuck("https://duck.invalid", transport=lambda *a: HttpResponse(404, {}, b"<html>")).certs.verify("cert_x")

    def test_async_client_retries_without_blocking_the_loop(self):
        s = Scripted(lambda n: (429, {"retry-after": "1"}, envelope("E4004", "RATE_LIMITED", "slow")) if n == 1 else (200, {}, '{"service": "spaceduck"}'))

        async def main():
            ticks = 0

            async def ticker():
                nonlocal ticks
                while True:
                    await asyncio.sleep(0.05)
                    ticks += 1
            t = asyncio.ensure_future(ticker())
            async with AsyncSpaceDuck(s.url) as duck:
                r = await duck.about()
            t.cancel()
            return r, ticks
        r, ticks = asyncio.run(main())
        self.assertEqual(r, {"service": "spaceduck"})
        self.assertGreaterEqual(s.hits[1]["at"] - s.hits[0]["at"], 1.0)
        self.assertGreater(ticks, 10)  # the loop kept running during the wait
        s.close()

    def test_parse_retry_after(self):
        self.assertEqual(parse_retry_after("3"), 3.0)
        self.assertAlmostEqual(parse_retry_after("Thu, 01 Jan 2026 00:00:10 GMT", now=1767225600.0), 10.0)
        self.assertIsNone(parse_retry_after("soon"))


def sign(secret, msg_id, ts, body):
    key = base64.b64decode(secret[len("whsec_"):])
    return "v1," + base64.b64encode(hmac.new(key, f"{msg_id}.{ts}.{body}".encode(), hashlib.sha256).digest()).decode()


class WebhookTests(unittest.TestCase):
    secret = "whsec_" + base64.b64encode(b"a very secret webhook signing key").decode()
    body = json.dumps({"id": "evt_1", "type": "peck.sent", "created_at": "2026-11-23T12:00:00Z", "data": {"peck_id": "peck_1"}})

    def headers(self, ts=None, sig=None):
        ts = str(int(time.time()) if ts is None else ts)
        return {"Webhook-Id": "evt_1", "Webhook-Timestamp": ts, "Webhook-Signature": sig or "v1,bogus " + sign(self.secret, "evt_1", ts, self.body)}

    def test_valid(self):
        self.assertEqual(verify_webhook(self.body, self.headers(), self.secret)["type"], "peck.sent")
        self.assertEqual(verify_webhook(self.body.encode(), self.headers(), self.secret)["id"], "evt_1")

    def test_rejections(self):
        for body, headers, secret, why in [
            (self.body.replace("peck_1", "peck_2"), self.headers(), self.secret, "signature"),
            (self.body, self.headers(), "whsec_" + base64.b64encode(b"other").decode(), "signature"),
            (self.body, self.headers(ts=int(time.time()) - 3600), self.secret, "too old"),
            (self.body, {"webhook-id": "evt_1"}, self.secret, "Missing"),
        ]:
            with self.assertRaisesRegex(WebhookVerificationError, why):
                verify_webhook(body, headers, secret)
        with self.assertRaises(TypeError):
            verify_webhook(json.loads(self.body), self.headers(), self.secret)


class Ed25519Tests(unittest.TestCase):
    # RFC 8032 §7.1, TEST 1 (empty message).
    pk = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    sig = bytes.fromhex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")

    def test_rfc8032_vector(self):
        self.assertTrue(_ed25519.verify(self.pk, b"", self.sig))

    def test_rejects_tampering_and_malformed_input(self):
        self.assertFalse(_ed25519.verify(self.pk, b"x", self.sig))
        for i in (0, 31, 32, 63):
            bad = bytearray(self.sig)
            bad[i] ^= 1
            self.assertFalse(_ed25519.verify(self.pk, b"", bytes(bad)))
        # S + L: the same signature in non-canonical form must be refused (malleability).
        s = int.from_bytes(self.sig[32:], "little") + _ed25519._L
        self.assertFalse(_ed25519.verify(self.pk, b"", self.sig[:32] + s.to_bytes(32, "little")))
        self.assertFalse(_ed25519.verify(self.pk[:31], b"", self.sig))
        self.assertFalse(_ed25519.verify(b"\xff" * 32, b"", self.sig))


if __name__ == "__main__":
    unittest.main()
