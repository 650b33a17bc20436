"""An OpenID Connect provider on loopback for sign-in tests: it signs in one person without asking.

What a real provider (Microsoft Entra ID) does for st.login, reduced to the protocol: its discovery document,
an authorisation endpoint that sends the browser straight back to the app's redirect_uri with a code, a token
endpoint that swaps the code (once, for the client it was issued to, with the PKCE verifier that matches) for
an RS256-signed ID token carrying the nonce, and its public key. The person is ``PERSON``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "dashboard-test-client"
CLIENT_SECRET = "dashboard-test-secret"
PERSON = {"sub": "person-1", "email": "jo.smith@council.example", "email_verified": True, "name": "Jo Smith"}


@dataclass
class Provider:
    issuer: str
    key: RSAKey
    codes: dict[str, dict[str, str]] = field(default_factory=dict)  # code -> the authorisation request
    redirects: list[str] = field(default_factory=list)  # each redirect_uri the app asked to come back to

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def metadata(self) -> dict[str, object]:
        return {"issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"], "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"], "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"]}

    def id_token(self, request: dict[str, str]) -> str:
        now = int(time.time())
        claims = {**PERSON, "iss": self.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 600,
                  "nonce": request.get("nonce", "")}
        return jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)


def _client_of(headers, form: dict[str, str]) -> tuple[str, str]:
    basic = headers.get("Authorization", "")
    if basic.startswith("Basic "):
        client, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
        return client, secret
    return form.get("client_id", ""), form.get("client_secret", "")


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def _json(self, status: int, body: dict[str, object]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            url = urlparse(self.path)
            if url.path == "/.well-known/openid-configuration":
                self._json(200, provider.metadata())
            elif url.path == "/jwks":
                self._json(200, {"keys": [provider.key.as_dict(private=False)]})
            elif url.path == "/authorize":
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
                    self._json(400, {"error": "invalid_request"})
                    return
                code = secrets.token_urlsafe(16)
                provider.codes[code] = query
                provider.redirects.append(query["redirect_uri"])
                self.send_response(302)
                self.send_header("Location", f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}")
                self.end_headers()
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            request = provider.codes.pop(form.get("code", ""), None)
            client, secret = _client_of(self.headers, form)
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if (urlparse(self.path).path != "/token" or request is None or (client, secret) != (CLIENT_ID, CLIENT_SECRET)
                    or form.get("redirect_uri") != request["redirect_uri"]
                    or request.get("code_challenge", challenge) != challenge):
                self._json(400, {"error": "invalid_grant"})
                return
            self._json(200, {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 600,
                             "id_token": provider.id_token(request)})

    return Handler


@contextmanager
def oidc_provider() -> Iterator[Provider]:
    """The provider on a free loopback port until the block ends."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    provider = Provider(f"http://127.0.0.1:{server.server_address[1]}",
                        RSAKey.generate_key(2048, parameters={"kid": "test-key"}))
    server.RequestHandlerClass = _handler(provider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
