"""A stand-in Kubernetes API server on 127.0.0.1 over HTTPS (trustme certificates) that does
what the real one's OIDC authenticator does with a bearer token: verify the id_token's
signature against the issuer's JWKS, then iss, aud (the client id) and exp. It answers the
discovery requests kubectl makes and lists one pod in `default`; anything without a valid
token gets the API server's 401 Status.

    api = KubeAPI(tmp_path, issuer=..., jwks=..., client_id=...).start()
    api.server, api.ca_path      # for the kubeconfig
    api.accepted                 # the tokens it let through
"""

from __future__ import annotations

import json
import ssl
import time
from pathlib import Path

from tests.support.loopback_http import LoopbackServer, QuietHandler

UNAUTHORIZED = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": "Unauthorized", "reason": "Unauthorized", "code": 401}
POD = {"metadata": {"name": "hello", "namespace": "default", "creationTimestamp": "2026-01-01T00:00:00Z"},
       "spec": {"containers": [{"name": "c", "image": "busybox"}]}, "status": {"phase": "Running"}}


def _documents(server: str) -> dict[str, dict]:
    return {
        "/version": {"major": "1", "minor": "32", "gitVersion": "v1.32.0", "platform": "linux/amd64"},
        "/api": {"kind": "APIVersions", "versions": ["v1"],
                 "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server}]},
        "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": []},
        "/api/v1": {"kind": "APIResourceList", "groupVersion": "v1", "resources": [
            {"name": "pods", "singularName": "pod", "namespaced": True, "kind": "Pod", "verbs": ["get", "list"],
             "shortNames": ["po"]}]},
    }


def _pod_list(accept: str) -> dict:
    if "as=Table" in accept:  # what kubectl asks for: server-side printing
        return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": "1"},
                "columnDefinitions": [{"name": "Name", "type": "string", "format": "name"},
                                      {"name": "Status", "type": "string", "format": ""}],
                "rows": [{"cells": ["hello", "Running"],
                          "object": {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                                     "metadata": POD["metadata"]}}]}
    return {"kind": "PodList", "apiVersion": "v1", "metadata": {"resourceVersion": "1"},
            "items": [{"kind": "Pod", "apiVersion": "v1", **POD}]}


class KubeAPI:
    def __init__(self, workdir: Path, *, issuer: str, jwks: dict, client_id: str) -> None:
        self.workdir, self.issuer, self.jwks, self.client_id = workdir, issuer, jwks, client_id
        self.accepted: list[str] = []
        self.refused: list[str] = []
        self._server: LoopbackServer | None = None

    def check(self, token: str) -> bool:
        """Signature (the issuer's JWKS), iss, aud, exp: the OIDC authenticator's checks."""
        from joserfc import jwt
        from joserfc.jwk import KeySet

        try:
            decoded = jwt.decode(token, KeySet.import_key_set(self.jwks))
        except Exception:  # noqa: BLE001 - any failure is a 401, as for the real authenticator
            return False
        claims = decoded.claims
        aud = claims.get("aud")
        audiences = aud if isinstance(aud, list) else [aud]
        return (claims.get("iss") == self.issuer and self.client_id in audiences
                and isinstance(claims.get("exp"), int) and claims["exp"] > time.time())

    def start(self) -> KubeAPI:
        import trustme

        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1")
        self.ca_path = self.workdir / "kube-ca.pem"
        ca.cert_pem.write_to_path(str(self.ca_path))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert.configure_cert(context)
        owner = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802
                header = self.headers.get("Authorization", "")
                token = header[7:] if header.startswith("Bearer ") else ""
                if not owner.check(token):
                    owner.refused.append(token)
                    return self.reply(401, UNAUTHORIZED)
                owner.accepted.append(token)
                path = self.path.partition("?")[0]
                documents = _documents(f"127.0.0.1:{owner._server.port}")
                if path in documents:
                    return self.reply(200, documents[path])
                if path == "/api/v1/namespaces/default/pods":
                    return self.reply(200, _pod_list(self.headers.get("Accept", "")))
                return self.reply(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                        "reason": "NotFound", "code": 404, "message": f"{path} not found"})

        self._server = LoopbackServer(Handler, tls=context).start()
        self.server = self._server.base
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def kubeconfig(self, path: Path, args: list[str], api_version: str = "client.authentication.k8s.io/v1") -> Path:
        """A kubeconfig whose user runs `oauth2 ARGS...` as its exec plugin (JSON is YAML)."""
        config = {
            "apiVersion": "v1", "kind": "Config", "current-context": "test",
            "clusters": [{"name": "test", "cluster": {"server": self.server, "certificate-authority": str(self.ca_path)}}],
            "users": [{"name": "me", "user": {"exec": {
                "apiVersion": api_version, "command": "oauth2", "args": args, "interactiveMode": "IfAvailable",
                "provideClusterInfo": False}}}],
            "contexts": [{"name": "test", "context": {"cluster": "test", "user": "me", "namespace": "default"}}],
        }
        path.write_text(json.dumps(config, indent=2))
        return path
