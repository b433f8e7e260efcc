#!/usr/bin/env python3
"""django-oauth-toolkit (with OpenID Connect) as an authorization server nobody here wrote.

    python tests/dot/server.py --prefix o/ --db /tmp/x.sqlite3

configures a throw-away Django project in this process (sqlite in --db), creates the user
alice/password and two applications, serves on a free 127.0.0.1 port (wsgiref, threaded) and
prints one JSON line on stdout: {"base": "http://127.0.0.1:PORT", "issuer": ...}.

--prefix "o/" mounts DOT as its tutorial does (path("o/", include(...))): the OpenID document
at /o/.well-known/openid-configuration has no revocation or introspection endpoint, and the
RFC 8414 document is only at /o/.well-known/oauth-authorization-server. --prefix "" mounts it
at the root, where the RFC 8414 document has no userinfo endpoint.

The login page is a plain form with a hidden prompt=login field, so the stand-in browser
(tests/support/browser.py) signs in on it as it does at oidc-provider; the applications have
skip_authorization, so no consent page follows.
"""

from __future__ import annotations

import argparse
import json
import socketserver
import sys
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

CLIENTS = {
    # A confidential web client: client_secret_basic at the token, revocation and introspection endpoints.
    "dot-web": {"secret": "dot-web-secret", "client_type": "confidential"},
    # A public client with PKCE.
    "dot-public": {"secret": "", "client_type": "public"},
    # A service: client_credentials.
    "dot-service": {"secret": "dot-service-secret", "client_type": "confidential", "grant": "client-credentials"},
}


def configure(prefix: str, db: str) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.conf import settings

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    settings.configure(
        DEBUG=False,
        SECRET_KEY="dot-test-server-not-secret",
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
                        "oauth2_provider"],
        MIDDLEWARE=["django.contrib.sessions.middleware.SessionMiddleware",
                    "django.contrib.auth.middleware.AuthenticationMiddleware"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": db}},
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
        LOGIN_URL="/accounts/login/",
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],  # fast start-up; test data only
        OAUTH2_PROVIDER={
            "OIDC_ENABLED": True,
            "OIDC_RSA_PRIVATE_KEY": pem,
            "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
            "PKCE_REQUIRED": True,
            # RFC 9207: DOT says it sends iss on authorization responses (its error responses lack it).
            "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
            "SCOPES": {"openid": "OpenID Connect", "profile": "Profile", "email": "Email", "read": "Read"},
            "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
        },
    )
    global PREFIX
    PREFIX = prefix


PREFIX = "o/"


def _urls():
    from django.http import HttpResponse, HttpResponseRedirect
    from django.urls import include, path
    from django.utils.html import escape
    from django.views.decorators.csrf import csrf_exempt

    @csrf_exempt
    def login(request):
        from django.contrib.auth import authenticate
        from django.contrib.auth import login as log_in

        nxt = request.GET.get("next") or request.POST.get("next") or "/"
        if request.method == "POST":
            user = authenticate(request, username=request.POST.get("login"), password=request.POST.get("password"))
            if user is not None:
                log_in(request, user)
                return HttpResponseRedirect(nxt)
        return HttpResponse(
            "<!doctype html><title>Sign-in</title><form method=post action=''>"
            "<input type=hidden name=prompt value=login>"
            f"<input type=hidden name=next value=\"{escape(nxt)}\">"
            "<input name=login><input type=password name=password><button type=submit>Sign in</button></form>")

    return [path("accounts/login/", login), path(PREFIX, include("oauth2_provider.urls", namespace="oauth2_provider"))]


def __getattr__(name: str):
    if name == "urlpatterns":  # ROOT_URLCONF is this module; the patterns need Django set up
        return _urls()
    raise AttributeError(name)


def populate() -> None:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0, interactive=False)
    User.objects.create_user("alice", email="alice@example.test", password="password")
    for client_id, spec in CLIENTS.items():
        Application.objects.create(
            client_id=client_id, client_secret=spec["secret"], client_type=spec["client_type"], name=client_id,
            authorization_grant_type=spec.get("grant", Application.GRANT_AUTHORIZATION_CODE),
            redirect_uris="http://127.0.0.1/callback http://127.0.0.1/",
            post_logout_redirect_uris="http://127.0.0.1/logged-out",
            skip_authorization=True, algorithm=Application.RS256_ALGORITHM)


class _Threaded(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prefix", default="o/")
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    configure(args.prefix, args.db)
    import django

    django.setup()
    populate()
    from django.core.wsgi import get_wsgi_application

    server = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=_Threaded, handler_class=_Quiet)
    base = f"http://127.0.0.1:{server.server_port}"
    issuer = base + ("/" + args.prefix.strip("/") if args.prefix.strip("/") else "")
    sys.stdout.write(json.dumps({"base": base, "issuer": issuer}) + "\n")
    sys.stdout.flush()
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
