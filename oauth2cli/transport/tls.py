"""TLS for the HTTP transport: which CA bundle to trust, and a verifying context that reads it
only when a TLS connection is made."""

from __future__ import annotations

import os
import ssl
import sys
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING

from oauth2cli.core.errors import ConfigError

if TYPE_CHECKING:
    from oauth2cli.transport.options import TransportOptions

# Where a CA bundle may come from when --cacert is not given, in the order curl and requests look.
CA_FILE_VARS = ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


def ca_bundle(options: TransportOptions, environ: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(cafile, capath) to trust instead of the system store, or (None, None) for the system store."""
    if options.cacert:
        return options.cacert, None
    cafile = next((environ[var] for var in CA_FILE_VARS if environ.get(var)), None)
    # As OpenSSL does: SSL_CERT_DIR adds to the bundle file rather than replacing it.
    return cafile, environ.get("SSL_CERT_DIR") or None


def _bundle_error(where: str | None, exc: Exception) -> ConfigError:
    return ConfigError(f"cannot load the CA bundle {where}: {getattr(exc, 'strerror', None) or exc}")


class LazyTrust(ssl.SSLContext):
    """ssl.create_default_context(cafile=, capath=) whose CA certificates are read at the first
    TLS handshake.

    Reading a bundle (the system's, or the one SSL_CERT_FILE names: hundreds of certificates)
    costs tens of ms, and a plain-http request to a loopback API never needs it. Verification is
    the same: the context requires a chain and a host name from the start, and loads the bundle
    before any socket is wrapped; a bundle that cannot be read is a ConfigError then."""

    cafile: str | None = None
    capath: str | None = None
    _loaded = False
    _lock = threading.Lock()

    @classmethod
    def create(cls, cafile: str | None = None, capath: str | None = None) -> LazyTrust:
        ctx = cls(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED and check_hostname, as create_default_context
        if sys.version_info >= (3, 13):
            ctx.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN | ssl.VERIFY_X509_STRICT  # as 3.13's does
        keylog = os.environ.get("SSLKEYLOGFILE")
        if keylog and not sys.flags.ignore_environment:
            ctx.keylog_filename = keylog
        ctx.cafile, ctx.capath = cafile, capath
        return ctx

    def load_trust(self) -> None:
        with self._lock:
            if self._loaded or self.verify_mode == ssl.CERT_NONE:  # --insecure trusts nothing anyway
                return
            try:
                if self.cafile or self.capath:
                    self.load_verify_locations(self.cafile, self.capath)
                else:
                    self.load_default_certs(ssl.Purpose.SERVER_AUTH)
            except (OSError, ssl.SSLError) as exc:
                raise _bundle_error(self.cafile or self.capath, exc) from None
            self._loaded = True

    def wrap_socket(self, *args, **kwargs):  # type: ignore[override]
        self.load_trust()
        return super().wrap_socket(*args, **kwargs)

    def wrap_bio(self, *args, **kwargs):  # type: ignore[override]
        self.load_trust()
        return super().wrap_bio(*args, **kwargs)


def ssl_context(options: TransportOptions, environ: Mapping[str, str] = os.environ) -> ssl.SSLContext:
    """Verification on (hostname and chain, TLS 1.2 or newer) unless --insecure. An explicit
    --cacert is read now (a bad path is named before anything is sent); the system store and a
    bundle from SSL_CERT_FILE and its kin at the first TLS handshake (LazyTrust)."""
    cafile, capath = ca_bundle(options, environ)
    if options.insecure:
        ctx = LazyTrust.create()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    elif options.cacert:
        try:
            ctx = ssl.create_default_context(cafile=cafile, capath=capath)
        except (OSError, ssl.SSLError) as exc:
            raise _bundle_error(cafile or capath, exc) from None
    else:
        ctx = LazyTrust.create(cafile, capath)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if options.cert:
        try:
            ctx.load_cert_chain(options.cert, options.key)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(
                f"cannot load the client certificate {options.cert}: {getattr(exc, 'strerror', None) or exc}"
            ) from None
    return ctx
