"""The helpers, written once for both clients. Each helper describes its request and, where
needed, what to do with the answer (``then``); ``SpaceDuck._call`` runs it now and
``AsyncSpaceDuck._call`` returns a coroutine. Bodies and answers are the API's own JSON
(snake_case dictionaries, as in the contract)."""
from typing import Any, Callable, Dict, List, Optional

from ._http import Request
from .errors import api_error

JSON = Dict[str, Any]


def _drop_none(**kw: Any) -> JSON:
    return {k: v for k, v in kw.items() if v is not None}


class Namespace:
    def __init__(self, api: "BaseApi"):
        self._api = api


class Keys(Namespace):
    def list(self, owner_id: Optional[str] = None, status: Optional[str] = None, limit: Optional[int] = None, cursor: Optional[str] = None):
        return self._api._call(Request("GET", "/beak/keys", query=_drop_none(owner_id=owner_id, status=status, limit=limit, cursor=cursor)))

    def create(self, name: Optional[str] = None, agent_id: Optional[str] = None, expires_in_days: Optional[int] = None, idempotency_key: Optional[str] = None):
        return self._api._call(Request("POST", "/beak/keys", body=_drop_none(name=name, agent_id=agent_id, expires_in_days=expires_in_days),
                                       idempotency_key=idempotency_key or True))

    def revoke(self, key_id: str):
        return self._api._call(Request("DELETE", f"/beak/keys/{_seg(key_id)}"))

    def rotate(self, agent_id: Optional[str] = None, grace_seconds: Optional[int] = None, expires_in_days: Optional[int] = None):
        """Rotates a key and returns the answer (``new_beak_key``). With no ``agent_id`` the key this
        client authenticates with is rotated: it stops working at once, so the client switches to
        the new key itself (and calls ``on_credential_change``). Never retried after a lost answer."""
        api = self._api
        before = api.credential
        own = agent_id is None and bool(before and before.startswith("bk_"))

        def adopt(r: JSON) -> JSON:
            if own and api.credential == before:
                api.set_credential(r["new_beak_key"])
            return r
        return api._call(Request("POST", "/beak/rotate", body=_drop_none(agent_id=agent_id, grace_seconds=grace_seconds, expires_in_days=expires_in_days)), then=adopt)


class Agents(Namespace):
    def register(self, agent_name: str, agent_type: Optional[str] = None, capabilities: Optional[List[str]] = None,
                 parent_id: Optional[str] = None, idempotency_key: Optional[str] = None, **extra: Any):
        body = _drop_none(agent_name=agent_name, agent_type=agent_type, capabilities=capabilities, parent_id=parent_id, **extra)
        return self._api._call(Request("POST", "/beak/agent/register", body=body, idempotency_key=idempotency_key or True))

    def list(self, limit: Optional[int] = None, cursor: Optional[str] = None):
        return self._api._call(Request("GET", "/beak/agent/list", query=_drop_none(limit=limit, cursor=cursor)))

    def bond(self, agent_id: str, handshake_token: str):
        """The agent's side of the bond ceremony: call with the agent's own key."""
        return self._api._call(Request("POST", "/beak/agent/bond", body={"agent_id": agent_id, "handshake_token": handshake_token}))

    def deregister(self, agent_id: str):
        return self._api._call(Request("POST", "/beak/agent/deregister", body={"agent_id": agent_id}))


class Pecks(Namespace):
    def send(self, target_email: Optional[str] = None, target_duckling_id: Optional[str] = None, target_spaceduck_id: Optional[str] = None,
             purpose: Optional[str] = None, action: Optional[str] = None, scope: Optional[str] = None, payload: Optional[JSON] = None,
             requester_id: Optional[str] = None, idempotency_key: Optional[str] = None):
        body = _drop_none(target_email=target_email, target_duckling_id=target_duckling_id, target_spaceduck_id=target_spaceduck_id,
                          purpose=purpose, action=action, scope=scope, payload=payload, requester_id=requester_id)
        return self._api._call(Request("POST", "/beak/peck", body=body, idempotency_key=idempotency_key or True))

    def approve(self, peck_id: str, otp: Optional[str] = None, duckling_id: Optional[str] = None):
        """Approve as the target: with this client's credential, the emailed ``otp``, or both."""
        return self._api._call(Request("POST", "/beak/peck/approve", body=_drop_none(peck_id=peck_id, otp=otp, duckling_id=duckling_id, action="approve")))

    def deny(self, peck_id: str, reason: Optional[str] = None, otp: Optional[str] = None):
        return self._api._call(Request("POST", "/beak/peck/deny", body=_drop_none(peck_id=peck_id, reason=reason, otp=otp)))

    def pending(self):
        return self._api._call(Request("POST", "/beak/peck/list", body={}))

    def history(self, direction: Optional[str] = None, status: Optional[str] = None, limit: Optional[int] = None, cursor: Optional[str] = None):
        return self._api._call(Request("GET", "/beak/peck/history", query=_drop_none(direction=direction, status=status, limit=limit, cursor=cursor)))

    def connections(self):
        return self._api._call(Request("GET", "/beak/connections"))

    def unbond(self, connection_id: Optional[str] = None, target_id: Optional[str] = None):
        return self._api._call(Request("POST", "/beak/unpeck", body=_drop_none(connection_id=connection_id, target_id=target_id)))


class Certs(Namespace):
    def verify(self, cert_id: str):
        """Online verification. An unknown certificate answers ``{"valid": False, "status": "not_found"}``."""
        request = Request("GET", "/beak/cert/verify", query={"cert_id": cert_id}, auth=False, accept=(404,))

        def shape(r: Any) -> JSON:
            if isinstance(r, dict) and "valid" in r:
                return r if "error" not in r else {"valid": False, "cert_id": cert_id, "status": "not_found", "message": r.get("message")}
            # A 404 that is not the API's answer (a wrong base URL, a proxy): not a verdict.
            raise api_error(404, r, "GET", request.path)
        return self._api._call(request, then=shape)

    def view(self, cert_id: Optional[str] = None):
        return self._api._call(Request("GET", "/beak/cert/view", query=_drop_none(cert_id=cert_id)))

    def issue(self):
        return self._api._call(Request("POST", "/beak/cert/issue", body={}))

    def revoke(self, reason: Optional[str] = None):
        return self._api._call(Request("POST", "/beak/cert/revoke", body=_drop_none(reason=reason)))

    def status_list(self):
        """The signed revocation list (JSON with its ``credential`` JWS)."""
        return self._api._call(Request("GET", "/beak/cert/status-list", auth=False))


class Webhooks(Namespace):
    def create(self, url: str, events: List[str], description: Optional[str] = None, idempotency_key: Optional[str] = None):
        return self._api._call(Request("POST", "/beak/webhooks", body=_drop_none(url=url, events=events, description=description),
                                       idempotency_key=idempotency_key or True))

    def list(self):
        return self._api._call(Request("GET", "/beak/webhooks"))

    def get(self, webhook_id: str):
        return self._api._call(Request("GET", f"/beak/webhooks/{_seg(webhook_id)}"))

    def update(self, webhook_id: str, **changes: Any):
        return self._api._call(Request("PATCH", f"/beak/webhooks/{_seg(webhook_id)}", body=changes))

    def delete(self, webhook_id: str):
        return self._api._call(Request("DELETE", f"/beak/webhooks/{_seg(webhook_id)}"))

    def rotate_secret(self, webhook_id: str, overlap_seconds: Optional[int] = None):
        return self._api._call(Request("POST", f"/beak/webhooks/{_seg(webhook_id)}/rotate-secret", body=_drop_none(overlap_seconds=overlap_seconds)))

    def test(self, webhook_id: str, event_type: Optional[str] = None):
        return self._api._call(Request("POST", f"/beak/webhooks/{_seg(webhook_id)}/test", body=_drop_none(event_type=event_type)))

    def deliveries(self, webhook_id: str, status: Optional[str] = None, limit: Optional[int] = None):
        return self._api._call(Request("GET", f"/beak/webhooks/{_seg(webhook_id)}/deliveries", query=_drop_none(status=status, limit=limit)))


class Sso(Namespace):
    def issue(self, target_domain: str, scope: Optional[str] = None):
        """A single-use token (5 minutes) that proves this duckling to ``target_domain``."""
        return self._api._call(Request("POST", "/beak/sso/issue", body=_drop_none(target_domain=target_domain, scope=scope)))

    def verify(self, token: str):
        """For the receiving domain: consumes the token; a second verify answers ``valid: False``."""
        return self._api._call(Request("GET", "/beak/sso/verify", query={"token": token}, auth=False))

    def bridge(self, sso_token: str, target: str):
        return self._api._call(Request("POST", "/beak/sso/bridge", body={"sso_token": sso_token, "target": target}))


def _seg(s: str) -> str:
    import urllib.parse
    return urllib.parse.quote(s, safe="")


class BaseApi:
    """Credential handling and the top-level helpers; subclasses provide ``_call``."""

    def __init__(self, on_credential_change: Optional[Callable[[str, str], None]] = None):
        self.credential: Optional[str] = None
        self._on_credential_change = on_credential_change
        self.keys = Keys(self)
        self.agents = Agents(self)
        self.pecks = Pecks(self)
        self.certs = Certs(self)
        self.webhooks = Webhooks(self)
        self.sso = Sso(self)

    def _call(self, request: Request, then: Optional[Callable[[Any], Any]] = None) -> Any:  # pragma: no cover
        raise NotImplementedError

    def set_credential(self, value: Optional[str]) -> None:
        """Switch the credential (a Beak Key or a session token); ``on_credential_change(kind, value)`` hears of it."""
        self.credential = value
        if value and self._on_credential_change:
            self._on_credential_change("beak_key" if value.startswith("bk_") else "session", value)

    def _adopt_session(self, r: JSON) -> JSON:
        if isinstance(r, dict) and r.get("access_token"):
            self.set_credential(r["access_token"])
        return r

    # ---- identity ----

    def hatch(self, email: str, password: Optional[str] = None, display_name: Optional[str] = None, idempotency_key: Optional[str] = None, **extra: Any):
        """Sign up at T0; a verification code is emailed. Follow with :meth:`verify`."""
        body = _drop_none(email=email, password=password, display_name=display_name, **extra)
        return self._call(Request("POST", "/beak/signup", body=body, auth=False, idempotency_key=idempotency_key or True))

    def verify(self, email: str, code: str):
        """Verify the emailed code: T1, the birth certificate, the first Beak Key (shown only in this
        answer: store it) and a session, which this client then uses."""
        return self._call(Request("POST", "/beak/verify", body={"email": email, "code": code}, auth=False), then=self._adopt_session)

    def resend_verification(self, email: str):
        return self._call(Request("POST", "/beak/verify/resend", body={"email": email}, auth=False))

    def sign_in(self, email: str, password: Optional[str] = None, code: Optional[str] = None, issue_beak_key: Optional[bool] = None):
        """Sign in with a password or an emailed code; this client then uses the session.
        ``sign_in(email)`` alone emails a sign-in code and returns None."""
        def shape(r: JSON) -> Optional[JSON]:
            return self._adopt_session(r) if isinstance(r, dict) and r.get("access_token") else None
        body = _drop_none(email=email, password=password, otp=code, issue_beak_key=issue_beak_key)
        return self._call(Request("POST", "/beak/signin", body=body, auth=False), then=shape)

    def sign_out(self):
        def forget(r: Any) -> None:
            self.credential = None
        return self._call(Request("POST", "/beak/signout", body={}), then=forget)

    def profile(self):
        return self._call(Request("GET", "/beak/profile"))

    # ---- pulses, keys, certificates ----

    def pulse(self, status: str = "active", meta: Optional[JSON] = None, spaceduck_id: Optional[str] = None):
        return self._call(Request("POST", "/beak/pulse", body=_drop_none(status=status, meta=meta, spaceduck_id=spaceduck_id)))

    def rotate_key(self, agent_id: Optional[str] = None, grace_seconds: Optional[int] = None):
        """Rotate and return the new key (a string)."""
        inner = self.keys.rotate(agent_id=agent_id, grace_seconds=grace_seconds)
        return self._map(inner, lambda r: r["new_beak_key"])

    def jwks(self):
        return self._call(Request("GET", "/.well-known/jwks.json", auth=False))

    def about(self):
        return self._call(Request("GET", "/beak/", auth=False))

    def dev_mailbox(self, to: str):
        """The development mailbox of a non-production server: the codes it "sent"."""
        return self._call(Request("GET", "/beak/dev/mail", query={"to": to}, auth=False))

    def _map(self, result: Any, fn: Callable[[Any], Any]) -> Any:  # pragma: no cover
        raise NotImplementedError
