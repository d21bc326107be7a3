"""Built-in OpenID Connect provider under ``/iam/realms/cytomine`` (what keycloak-js 24 uses).

Authorization-code flow with PKCE and an SSO cookie, password and refresh grants, logout,
discovery, JWKS and the helper pages keycloak-js loads in iframes.
"""

from __future__ import annotations

import hmac
import html
from typing import Any

from litestar import Controller, MediaType, Request, Response, get, post, route
from litestar.datastructures import Cookie, State

from contracts.errors import Unauthorized
from server.auth import oidc, tokens
from server.db.pool import connection
from server.db.store import iam
from server.http.deps import AnonymousConn
from server.http.iam_tokens import OAUTH_ERRORS, Client, grant
from server.public_url import base_url
from server.runtime import request_runtime

_AUTH_KEYS = (
    "client_id",
    "redirect_uri",
    "response_type",
    "response_mode",
    "state",
    "nonce",
    "scope",
    "code_challenge",
    "code_challenge_method",
    "prompt",
    "kc_action",
    "ui_locales",
)
_LOGIN_ACTION = f"{oidc.REALM_PATH}/login-actions/authenticate"

AnyRequest = Request[Any, Any, State]


def issuer(request: AnyRequest) -> str:
    """The realm's issuer URL (``iss`` of every token)."""
    return base_url(request) + oidc.REALM_PATH


def _page(name: str, status: int = 200, **values: str) -> Response[bytes]:
    body = oidc.template(name).safe_substitute(values)
    return Response(
        body.encode("utf-8"),
        status_code=status,
        media_type=MediaType.HTML,
        # Only this origin may frame the pages (keycloak-js loads the probes in iframes).
        headers={
            "cache-control": "no-store",
            "x-frame-options": "SAMEORIGIN",
            "content-security-policy": "frame-ancestors 'self'",
        },
    )


def _message(title: str, message: str, status: int = 200) -> Response[bytes]:
    return _page("message.html", status, title=html.escape(title), message=html.escape(message))


def _auth_request(source: Any) -> dict[str, str]:
    return {k: str(source.get(k)) for k in _AUTH_KEYS if source.get(k)}


def _invalid_request(request: AnyRequest, params: dict[str, str]) -> str | None:
    """Why an authorization request is refused, or None."""
    if params.get("client_id") != oidc.CLIENT_ID:
        return "Client not found."
    if not oidc.same_origin(params.get("redirect_uri", ""), base_url(request)):
        return "Invalid parameter: redirect_uri"
    if params.get("response_type", "code") != "code":
        return "Unsupported response_type."
    if params.get("code_challenge_method", "S256") not in ("S256", "plain"):
        return "Invalid parameter: code challenge method is not supported."
    return None


def _sso_cookie(request: AnyRequest, value: str, max_age: int) -> Cookie:
    return Cookie(
        key=oidc.SSO_COOKIE,
        value=value,
        path="/iam",
        max_age=max_age,
        httponly=True,
        secure=base_url(request).startswith("https:"),
        samesite="lax",
    )


async def _back_with_code(
    request: AnyRequest, conn: Any, sid: str, params: dict[str, str], cookie: Cookie | None = None
) -> Response[bytes]:
    """302 to ``redirect_uri`` with ``state``, ``session_state``, ``iss`` and a fresh code."""
    code = await iam.new_code(conn, sid, params)
    answer = {"state": params.get("state", ""), "session_state": sid, "iss": issuer(request)}
    answer["code"] = code
    mode = "query" if params.get("response_mode") == "query" else "fragment"
    location = oidc.redirect_with(params["redirect_uri"], answer, mode=mode)
    return Response(
        b"",
        status_code=302,
        headers={"location": location, "cache-control": "no-store"},
        cookies=[cookie] if cookie else None,
    )


def _back_with_error(params: dict[str, str], error: str) -> Response[bytes]:
    """302 to ``redirect_uri`` with an OAuth ``error`` (silent checks without a session)."""
    answer = {"error": error, "state": params.get("state", "")}
    mode = "query" if params.get("response_mode") == "query" else "fragment"
    location = oidc.redirect_with(params["redirect_uri"], answer, mode=mode)
    return Response(b"", status_code=302, headers={"location": location})


# Login CSRF (double submit): the form carries a token that must equal the cookie served
# with it, so another site cannot post credentials of its choosing into a victim's browser.
_CSRF_FIELD = "csrf_token"
_CSRF_COOKIE = "lamina_login_csrf"


def _login_form(
    request: AnyRequest, params: dict[str, str], *, username: str = "", error: str = ""
) -> Response[bytes]:
    csrf = oidc.new_secret()
    fields = {**params, _CSRF_FIELD: csrf}
    hidden = "\n".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in fields.items()
    )
    notice = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    page = _page(
        "login.html",
        action=html.escape(_LOGIN_ACTION),
        hidden=hidden,
        username=html.escape(username),
        error=notice,
    )
    page.set_cookie(
        key=_CSRF_COOKIE,
        value=csrf,
        path="/iam",
        httponly=True,
        secure=base_url(request).startswith("https:"),
        samesite="lax",
    )
    return page


def _csrf_ok(request: AnyRequest, form: Any) -> bool:
    sent, kept = str(form.get(_CSRF_FIELD) or ""), request.cookies.get(_CSRF_COOKIE) or ""
    return bool(sent) and hmac.compare_digest(sent.encode(), kept.encode())


class OidcController(Controller):
    """Protocol endpoints of the ``cytomine`` realm."""

    path = oidc.OIDC_PATH
    tags = ["Authentication & session"]
    include_in_schema = False
    exception_handlers = OAUTH_ERRORS

    @get("/auth")
    async def authorize(
        self, request: AnyRequest, anonymous_conn: AnonymousConn
    ) -> Response[bytes]:
        """Login form, or straight back to the client when the SSO cookie is valid."""
        params = _auth_request(request.query_params)
        problem = _invalid_request(request, params)
        if problem:
            return _message("We are sorry...", problem, 400)
        sid = await iam.session_by_cookie(anonymous_conn, request.cookies.get(oidc.SSO_COOKIE))
        if sid and params.get("prompt") != "login":
            return await _back_with_code(request, anonymous_conn, sid, params)
        if params.get("prompt") == "none":
            return _back_with_error(params, "login_required")
        return _login_form(request, params)

    @post("/token", status_code=200)
    async def token(self, request: AnyRequest) -> Response[Any]:
        """Token endpoint: ``password``, ``authorization_code`` and ``refresh_token`` grants."""
        form = await request.form()
        address = request.client.host if request.client else None
        at = Client(runtime=request_runtime(request), issuer=issuer(request), address=address)
        body = await grant(at, {k: str(v) for k, v in form.items()})
        return Response(body, headers={"cache-control": "no-store", "pragma": "no-cache"})

    @route("/logout", http_method=["GET", "POST"], status_code=200)
    async def logout(self, request: AnyRequest, anonymous_conn: AnonymousConn) -> Response[bytes]:
        """End the SSO session (cookie, ``id_token_hint`` or ``refresh_token``)."""
        values: dict[str, str] = dict(request.query_params.items())
        if request.method == "POST":
            values.update({k: str(v) for k, v in (await request.form()).items()})
        cookie = request.cookies.get(oidc.SSO_COOKIE)
        await iam.end_session(anonymous_conn, cookie=cookie)
        for name, typ in (("id_token_hint", tokens.ID), ("refresh_token", tokens.REFRESH)):
            sid = _token_sid(request, values.get(name), typ)
            if sid:
                await iam.end_session(anonymous_conn, sid=sid)
        gone = _sso_cookie(request, "", 0)
        target = values.get("post_logout_redirect_uri") or values.get("redirect_uri")
        if target and oidc.same_origin(target, base_url(request)):
            extra = {"state": values["state"]} if values.get("state") else {}
            location = oidc.redirect_with(target, extra, mode="query") if extra else target
            return Response(b"", status_code=302, headers={"location": location}, cookies=[gone])
        page = _message("Logged out", "You are logged out.")
        page.cookies.append(gone)
        return page

    @get("/certs", sync_to_thread=False)
    def certs(self, request: AnyRequest) -> dict[str, Any]:
        """JWKS: the public key that verifies every token."""
        return {"keys": [request_runtime(request).signing_key.public_jwk()]}

    @get("/3p-cookies/step1.html", sync_to_thread=False)
    def cookies_step1(self) -> Response[bytes]:
        """Third-party cookie probe: answers ``unsupported`` (no session iframe)."""
        return _page("3p-cookies-step1.html")

    @get("/3p-cookies/step2.html", sync_to_thread=False)
    def cookies_step2(self) -> Response[bytes]:
        """Second step of the probe (same answer)."""
        return _page("3p-cookies-step2.html")

    @get("/login-status-iframe.html", sync_to_thread=False)
    def login_status(self) -> Response[bytes]:
        """Session iframe: answers ``unchanged`` to every check."""
        return _page("login-status-iframe.html")


def _token_sid(request: AnyRequest, token: str | None, typ: str) -> str | None:
    if not token:
        return None
    try:
        claims = tokens.verify(request_runtime(request).signing_key, token, typ=typ)
    except Unauthorized:  # an unusable hint only means there is nothing more to end
        return None
    sid = claims.get("sid")
    return sid if isinstance(sid, str) else None


class RealmController(Controller):
    """Realm-level pages: discovery and the login form submission."""

    path = oidc.REALM_PATH
    tags = ["Authentication & session"]
    include_in_schema = False

    @get("/.well-known/openid-configuration", sync_to_thread=False)
    def discovery(self, request: AnyRequest) -> dict[str, Any]:
        """OpenID Provider metadata."""
        return oidc.discovery(issuer(request))

    @post("/login-actions/authenticate", status_code=200)
    async def login(self, request: AnyRequest) -> Response[bytes]:
        """Check the submitted credentials, set the SSO cookie and go back to the client.

        Connections are taken for each step only: none is held while the password hashes.
        """
        form = await request.form()
        params = _auth_request(form)
        problem = _invalid_request(request, params)
        if problem:
            return _message("We are sorry...", problem, 400)
        if not _csrf_ok(request, form):
            message = "The login page expired or was not served by this site: please sign in again."
            return _message("We are sorry...", message, 400)
        username, password = str(form.get("username") or ""), str(form.get("password") or "")
        address = request.client.host if request.client else None
        runtime = request_runtime(request)
        settings = runtime.settings
        pool, wait = runtime.pool, settings.database_wait_seconds
        try:
            user_id = await iam.check_password(pool, username, password, address, wait)
        except iam.Throttled as exc:
            return _login_form(request, params, username=username, error=exc.message)
        if user_id is None:
            return _login_form(
                request, params, username=username, error="Invalid username or password."
            )
        secret = oidc.new_secret()
        cookie = _sso_cookie(request, secret, settings.sso_session_seconds)
        async with connection(pool, wait) as conn:
            account = await iam.open_session(
                conn, user_id, lifetime=settings.sso_session_seconds, cookie=secret
            )
            return await _back_with_code(request, conn, account.sid, params, cookie)


ROUTES = [OidcController, RealmController]

__all__ = ["ROUTES", "base_url", "issuer"]
