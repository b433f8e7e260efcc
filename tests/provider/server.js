// A real OpenID Provider (oidc-provider 9.x) for the oauth2cli integration tests.
//
//   node server.js CONFIG.json
//
// CONFIG.json:
//   {
//     "port": 12345,                 // 0 picks a free port (the READY line tells which)
//     "clients": [ {...}, ... ],     // oidc-provider client metadata
//     "accessTokenTTL": {            // optional per-client_id TTL overrides (seconds);
//       "some-client": 30,           //   "*" sets the default (3600 otherwise)
//       "*": 3600
//     },
//     "watchStdin": true,            // optional: exit when stdin reaches EOF (parent died)
//     "dpopNonce": true,             // optional: require server-provided DPoP nonces
//     "strictRedirects": true,       // optional (issue #26): redirect URIs compared exactly, port included
//     "clientIdMetadataDocuments": true, // optional (issue #26): https client ids are fetched documents
//     "registration": false          // optional (issue #26): no registration_endpoint
//   }
//
// Prints exactly one line "READY http://127.0.0.1:PORT" on stdout once listening.
// Everything else (warnings, errors) goes to stderr.
//
// Test-only endpoints (mounted in front of the provider's own routes):
//   GET  /__test/events  -> JSON array of recorded events
//   POST /__test/reset   -> clears the event log (204)

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as querystring from 'node:querystring';

import Provider, { errors } from 'oidc-provider';
import * as jose from 'jose'; // issue #17: oidc-provider's own JOSE library

const API_RESOURCE = 'urn:oauth2cli:test-api';
const API_SCOPE = 'api:read api:write';
const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

function fail(message, err) {
  process.stderr.write(`test provider: ${message}${err ? `: ${err.stack || err}` : ''}\n`);
  process.exit(1);
}

process.on('uncaughtException', (err) => fail('uncaught exception', err));
process.on('unhandledRejection', (err) => {
  process.stderr.write(`test provider: unhandled rejection: ${err?.stack || err}\n`);
});

const configPath = process.argv[2];
if (!configPath) {
  fail('usage: node server.js CONFIG.json');
}

let config;
try {
  config = JSON.parse(fs.readFileSync(configPath, 'utf8'));
} catch (err) {
  fail(`cannot read config ${configPath}`, err);
}

const requestedPort = Number(config.port ?? 0);
const clients = Array.isArray(config.clients) ? config.clients : [];
const ttlOverrides = config.accessTokenTTL && typeof config.accessTokenTTL === 'object'
  ? config.accessTokenTTL
  : {};

// ---------------------------------------------------------------------------
// Signing keys: generated fresh at every start.

function signingJwk(type, options, alg) {
  const { privateKey } = crypto.generateKeyPairSync(type, options);
  const jwk = privateKey.export({ format: 'jwk' });
  return {
    ...jwk,
    kid: `${alg.toLowerCase()}-${crypto.randomBytes(6).toString('hex')}`,
    alg,
    use: 'sig',
  };
}

const jwks = {
  keys: [
    signingJwk('rsa', { modulusLength: 2048 }, 'RS256'),
    signingJwk('ec', { namedCurve: 'P-256' }, 'ES256'),
  ],
};

// ---------------------------------------------------------------------------
// Event log for the tests.

const events = [];
// Query parameters of every GET to the authorization endpoint (GET /__test/authorizations).
const authorizations = [];

function record(type, ctx, extra = {}) {
  const oidc = ctx?.oidc;
  const params = oidc?.params ?? {};
  events.push({
    type,
    grant_type: params.grant_type ?? null,
    client_id: oidc?.client?.clientId ?? params.client_id ?? null,
    error: null,
    ...extra,
  });
}

// ---------------------------------------------------------------------------
// Accounts: any login name is an account.

async function findAccount(ctx, id) {
  return {
    accountId: id,
    async claims() {
      return {
        sub: id,
        name: `Test ${id}`,
        email: `${id}@example.test`,
        email_verified: true,
      };
    },
  };
}

// ---------------------------------------------------------------------------
// TTLs.

function clientIdOf(token, client) {
  return client?.clientId ?? token?.clientId;
}

function accessTokenTTL(ctx, token, client) {
  const id = clientIdOf(token, client);
  if (id !== undefined && Object.hasOwn(ttlOverrides, id)) {
    return Number(ttlOverrides[id]);
  }
  if (typeof id === 'string' && id.startsWith('short-')) {
    return 2;
  }
  if (Object.hasOwn(ttlOverrides, '*')) {
    return Number(ttlOverrides['*']);
  }
  return token?.resourceServer?.accessTokenTTL ?? 3600;
}

// ---------------------------------------------------------------------------
// BEGIN issue #17: assertion grants trusting outside issuers (service accounts, CI).
//
// CONFIG.json "assertionIssuers": [{ "issuer": ISS, "jwks": {keys: [...]}, "audience": AUD? }]
// names the issuers whose signed JWTs the provider accepts:
//   - urn:ietf:params:oauth:grant-type:jwt-bearer (RFC 7523 §2.1): `assertion` is such a JWT;
//   - urn:ietf:params:oauth:grant-type:token-exchange (RFC 8693 §2.1): `subject_token` is one,
//     with subject_token_type urn:ietf:params:oauth:token-type:jwt (or id_token).
// Signature, iss, aud (the provider's issuer, its token endpoint, or the entry's "audience")
// and exp are verified with panva's jose; a refusal is invalid_grant with jose's reason. The
// access token is issued to the authenticated client, or, for a jwt-bearer request with no
// client authentication at all (RFC 7523 §3.1 makes it optional), to CONFIG.json's
// "assertionClient" (a public client). Accepted assertions are logged as "assertion.accepted"
// events with their iss, sub and aud.

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_TOKEN_TYPES = new Set(['urn:ietf:params:oauth:token-type:jwt', 'urn:ietf:params:oauth:token-type:id_token']);

function installAssertionGrants(provider, cfg, recordEvent) {
  const trusted = (Array.isArray(cfg.assertionIssuers) ? cfg.assertionIssuers : []).map((entry) => ({
    issuer: entry.issuer,
    audience: entry.audience,
    keys: jose.createLocalJWKSet(entry.jwks),
  }));
  const { pathname: tokenPath } = new URL(provider.urlFor('token'));
  const refused = (text) => new errors.CustomOIDCProviderError('invalid_grant', text);

  async function verified(jwt, what) {
    let iss;
    try {
      ({ iss } = jose.decodeJwt(jwt));
    } catch {
      throw refused(`${what} is not a JWT`);
    }
    const entry = trusted.find((t) => t.issuer === iss);
    if (!entry) {
      throw refused(`${what} issuer ${JSON.stringify(iss ?? null)} is not trusted`);
    }
    const audience = [provider.issuer, provider.urlFor('token'), ...(entry.audience ? [entry.audience] : [])];
    try {
      const { payload } = await jose.jwtVerify(jwt, entry.keys, {
        issuer: entry.issuer, audience, requiredClaims: ['exp', 'sub'],
      });
      return payload;
    } catch (err) {
      throw refused(`${what} rejected: ${err.message}`);
    }
  }

  async function issue(ctx, claims, gty) {
    const { client } = ctx.oidc;
    const scopes = String(ctx.oidc.params.scope || '').split(' ').filter((s) => s && client.scope?.split(' ').includes(s));
    const token = new provider.ClientCredentials({ client, scope: scopes.join(' ') || undefined });
    token.extra = { sub: claims.sub, act_iss: claims.iss, gty };
    ctx.oidc.entity('ClientCredentials', token);
    const value = await token.save();
    recordEvent('assertion.accepted', ctx, { iss: claims.iss, sub: claims.sub, aud: claims.aud, grant: gty });
    ctx.body = {
      access_token: value,
      expires_in: token.expiration,
      token_type: token.tokenType,
      ...(token.scope ? { scope: token.scope } : {}),
      ...(gty === 'token-exchange' ? { issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' } : {}),
    };
  }

  provider.registerGrantType(JWT_BEARER_GRANT, async (ctx) => {
    const { assertion } = ctx.oidc.params;
    if (!assertion) throw new errors.InvalidRequest('missing required parameter \'assertion\'');
    await issue(ctx, await verified(assertion, 'assertion'), 'jwt-bearer');
  }, ['assertion', 'scope', 'audience']);

  provider.registerGrantType(TOKEN_EXCHANGE_GRANT, async (ctx) => {
    const { subject_token: subject, subject_token_type: type } = ctx.oidc.params;
    if (!subject || !type) throw new errors.InvalidRequest('subject_token and subject_token_type are required');
    if (!JWT_TOKEN_TYPES.has(type)) throw refused(`subject_token_type ${type} is not accepted here`);
    await issue(ctx, await verified(subject, 'subject_token'), 'token-exchange');
  }, ['subject_token', 'subject_token_type', 'actor_token', 'actor_token_type', 'requested_token_type', 'scope',
    'audience']);

  // A jwt-bearer request with no client authentication: the assertion alone is the credential
  // (RFC 7523 §3.1); oidc-provider always wants a client, so the public assertionClient stands in.
  provider.use(async (ctx, next) => {
    if (cfg.assertionClient && ctx.method === 'POST' && ctx.path === tokenPath && !ctx.get('authorization')
        && ctx.is('application/x-www-form-urlencoded')) {
      const chunks = [];
      for await (const chunk of ctx.req) chunks.push(chunk);
      const body = querystring.parse(Buffer.concat(chunks).toString('utf8'));
      if (body.grant_type === JWT_BEARER_GRANT && body.client_id === undefined
          && body.client_assertion === undefined) {
        body.client_id = cfg.assertionClient;
      }
      ctx.req.body = body; // oidc-provider reads an already-read body from here
    }
    await next();
  });
}
// END issue #17
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------

// issue #20: set once the provider exists (CIBA decisions need it).
let cibaDecide;

const server = http.createServer();

server.on('error', (err) => fail(`cannot listen on 127.0.0.1:${requestedPort}`, err));

server.listen(requestedPort, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;

  let provider;
  try {
    provider = new Provider(issuer, {
      clients,
      jwks,
      findAccount,
      cookies: {
        keys: [
          'oauth2cli-test-cookie-key-0001-not-a-secret',
          'oauth2cli-test-cookie-key-0002-not-a-secret',
        ],
      },
      claims: {
        openid: ['sub'],
        profile: ['name'],
        email: ['email', 'email_verified'],
      },
      scopes: ['openid', 'offline_access', 'profile', 'email', 'api:read', 'api:write'],
      // ---- issue #19 (JAR, JARM, RAR, hybrid): begin -----------------------------------
      // hybrid response types (OIDC Core §3.3) besides the default code / id_token / none
      responseTypes: ['code id_token', 'code', 'id_token', 'code token', 'code id_token token', 'none'],
      // ---- issue #19: end ----------------------------------------------------------------
      features: {
        // ---- issue #19 (JAR, JARM, RAR): begin -------------------------------------------
        // request objects (RFC 9101); a client with require_signed_request_object must send one
        requestObjects: { enabled: true, requireSignedRequestObject: false },
        // JARM: response_mode jwt, query.jwt, fragment.jwt, form_post.jwt
        jwtResponseModes: { enabled: true },
        // RFC 9396: two detail types; payment_initiation needs instructedAmount.amount
        richAuthorizationRequests: {
          enabled: true,
          types: {
            payment_initiation: {
              validate(ctx, detail) {
                if (typeof detail?.instructedAmount?.amount !== 'string') {
                  throw new errors.InvalidAuthorizationDetails('payment_initiation needs instructedAmount.amount');
                }
              },
            },
            account_information: { validate() {} },
          },
          // the test server grants exactly what was asked for
          authorizationDetailsForGrantSource: async (ctx) => JSON.parse(ctx.oidc.params.authorization_details),
          authorizationDetailsForAccessToken: async (ctx, token, source) => {
            if (ctx.oidc.params.authorization_details !== undefined) {
              return JSON.parse(ctx.oidc.params.authorization_details);
            }
            return source?.rar;
          },
          authorizationDetailsForIntrospection: async (ctx, token) => token.rar,
        },
        // ---- issue #19: end ----------------------------------------------------------------
        devInteractions: { enabled: true },
        // encrypted answers only for clients that register an *_encrypted_response_alg
        encryption: { enabled: true },
        jwtUserinfo: { enabled: true },
        userinfo: { enabled: true },
        clientCredentials: { enabled: true },
        introspection: {
          enabled: true,
          // any authenticated client may introspect any token (test server)
          allowedPolicy: async () => true,
        },
        revocation: {
          enabled: true,
          // any authenticated client may revoke any token (test server)
          allowedPolicy: async () => true,
        },
        deviceFlow: { enabled: true, charset: 'base-20', mask: '****-****' },
        // "dpopNonce": true in CONFIG.json makes every DPoP proof carry a server nonce (RFC 9449 §8, §9).
        dPoP: config.dpopNonce
          ? { enabled: true, nonceSecret: crypto.randomBytes(32), requireNonce: () => true }
          : { enabled: true },
        pushedAuthorizationRequests: {
          enabled: true,
          requirePushedAuthorizationRequests: false,
        },
        // ---- issue #20: registration, registration management, RP-initiated logout, CIBA ----
        // Open dynamic registration (RFC 7591) and its management API (RFC 7592).
        registration: { enabled: config.registration !== false, initialAccessToken: false },
        // issue #26: Client ID Metadata Documents (draft-02), fetched from the tests' loopback https server
        clientIdMetadataDocument: { enabled: config.clientIdMetadataDocuments === true, ack: 'draft-02' },
        registrationManagement: { enabled: config.registration !== false, rotateRegistrationAccessToken: false },
        rpInitiatedLogout: { enabled: true },
        // CIBA poll mode: login_hint "alice" is approved about a second after the request,
        // any other hint is denied (see cibaApprove below).
        ciba: {
          enabled: true,
          deliveryModes: ['poll'],
          processLoginHint: async (ctx, loginHint) => loginHint,
          validateBindingMessage: async (ctx, bindingMessage) => {
            if (bindingMessage !== undefined && !/^[a-zA-Z0-9-._+/!?# ]{1,40}$/.test(bindingMessage)) {
              throw new errors.InvalidBindingMessage('the binding_message must be 1 - 40 plain characters');
            }
          },
          validateRequestContext: async () => {},
          verifyUserCode: async () => {},
          triggerAuthenticationDevice: async (ctx, request, account, client) => {
            events.push({ type: 'ciba.trigger', client_id: client.clientId, account: account.accountId,
              binding_message: request.params?.binding_message ?? null });
            setTimeout(() => cibaDecide(request, account, client).catch((err) => {
              process.stderr.write(`test provider: ciba decision failed: ${err?.stack || err}\n`);
            }), 1000);
          },
        },
        // ---- end of issue #20 ----
        resourceIndicators: {
          enabled: true,
          // never force a resource: without `resource` tokens stay opaque
          defaultResource: async (ctx, client, oneOf) => oneOf ?? undefined,
          getResourceServerInfo: async (ctx, resourceIndicator) => {
            if (resourceIndicator === API_RESOURCE) {
              return {
                scope: API_SCOPE,
                audience: API_RESOURCE,
                accessTokenFormat: 'jwt',
                jwt: { sign: { alg: 'RS256' } },
              };
            }
            // issue #20: the tests' RFC 9728 resource servers live on loopback ports
            if (/^http:\/\/127\.0\.0\.1:\d+(\/[^?#]*)?$/.test(resourceIndicator)) {
              return { scope: API_SCOPE, audience: resourceIndicator, accessTokenFormat: 'opaque' };
            }
            throw new errors.InvalidTarget();
          },
        },
      },
      // issue #26: the documents live on loopback, which the SSRF guard's dispatcher refuses
      ...(config.clientIdMetadataDocuments === true
        ? { fetch: (url, options) => globalThis.fetch(url, { ...options, dispatcher: undefined }) }
        : {}),
      pkce: {
        // PKCE (S256 only in 9.x) required for public clients only
        required: (ctx, client) => client.tokenEndpointAuthMethod === 'none',
      },
      issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
      rotateRefreshToken: true,
      ttl: {
        AccessToken: accessTokenTTL,
        ClientCredentials: accessTokenTTL,
        AuthorizationCode: 60,
        DeviceCode: 600,
        // "idTokenTTL": seconds in CONFIG.json (tests of an id_token that expires before its access token)
        IdToken: Number.isFinite(config.idTokenTTL) ? config.idTokenTTL : 3600,
        RefreshToken: 24 * 3600,
        Interaction: 3600,
        Session: 24 * 3600,
        Grant: 24 * 3600,
      },
    });
  } catch (err) {
    fail('invalid provider configuration', err);
  }

  installAssertionGrants(provider, config, record); // issue #17
  if (config.strictRedirects === true) {
    // issue #26: as MCP asks of servers, no loopback port exception (RFC 8252 §7.3 off)
    provider.Client.prototype.redirectUriAllowed = function exact(value) { return this.redirectUris.includes(value); };
    provider.Client.prototype.postLogoutRedirectUriAllowed = function exact(value) {
      return this.postLogoutRedirectUris.includes(value);
    };
  }
  // ---- issue #20: the CIBA "authentication device": approve alice, deny everyone else ----
  cibaDecide = async (request, account, client) => {
    if (account.accountId !== 'alice') {
      await provider.backchannelResult(request, new errors.AccessDenied('alice\'s phone only: the user said no'));
      return;
    }
    const grant = new provider.Grant({ clientId: client.clientId, accountId: account.accountId });
    grant.addOIDCScope(request.scope);
    await grant.save();
    await provider.backchannelResult(request, grant, { authTime: Math.floor(Date.now() / 1000) });
  };
  // ---- end of issue #20 ----

  const { pathname: tokenPath } = new URL(provider.urlFor('token'));
  const { pathname: revocationPath } = new URL(provider.urlFor('revocation'));
  const { pathname: devicePath } = new URL(provider.urlFor('device_authorization'));
  const { pathname: authorizationPath } = new URL(provider.urlFor('authorization'));
  const watched = new Map([
    [tokenPath, 'token.request'],
    [revocationPath, 'revocation.request'],
    [devicePath, 'device_authorization.request'],
  ]);

  provider.on('grant.success', (ctx) => record('grant.success', ctx));
  provider.on('grant.error', (ctx, err) => record('grant.error', ctx, {
    error: err?.error ?? err?.message ?? String(err),
  }));
  provider.on('grant.revoked', (ctx, grantId) => record('grant.revoked', ctx, {
    grant_id: grantId,
    route: ctx?.oidc?.route ?? null,
  }));
  provider.on('server_error', (ctx, err) => {
    process.stderr.write(`test provider: server_error on ${ctx?.method} ${ctx?.path}: ${err?.stack || err}\n`);
    record('server_error', ctx, { error: err?.message ?? String(err) });
  });

  // Mounted in front of the provider's router (Provider#use inserts before it).
  provider.use(async (ctx, next) => {
    if (ctx.path === '/__test/events') {
      if (ctx.method !== 'GET') {
        ctx.status = 405;
        return;
      }
      ctx.set('cache-control', 'no-store');
      ctx.body = events;
      return;
    }
    if (ctx.path === '/__test/authorizations') {
      ctx.set('cache-control', 'no-store');
      ctx.body = authorizations;
      return;
    }
    if (ctx.path === authorizationPath && ctx.method === 'GET') {
      authorizations.push({ ...ctx.query });
    }
    if (ctx.path === '/__test/reset') {
      if (ctx.method !== 'POST') {
        ctx.status = 405;
        return;
      }
      events.length = 0;
      authorizations.length = 0;
      ctx.status = 204;
      return;
    }

    const type = ctx.method === 'POST' ? watched.get(ctx.path) : undefined;
    if (!type) {
      await next();
      return;
    }

    // Recorded before the provider runs so it precedes grant.* events; filled in after.
    const entry = {
      type,
      grant_type: null,
      client_id: null,
      error: null,
      status: null,
      dpop: Boolean(ctx.get('dpop')),
    };
    events.push(entry);
    try {
      await next();
    } finally {
      const oidc = ctx.oidc;
      const params = oidc?.params ?? {};
      entry.grant_type = params.grant_type ?? null;
      entry.client_id = oidc?.client?.clientId ?? params.client_id ?? null;
      entry.auth_method = oidc?.client?.clientAuthMethod ?? null;
      entry.resource = params.resource ?? null;
      entry.status = ctx.status;
      if (ctx.status >= 400) {
        entry.error = ctx.body?.error ?? `http_${ctx.status}`;
      }
    }
  });

  provider.on('error', (err, ctx) => {
    process.stderr.write(`test provider: error on ${ctx?.method} ${ctx?.path}: ${err?.stack || err}\n`);
  });

  server.on('request', provider.callback());
  process.stdout.write(`READY ${issuer}\n`);
});

function shutdown() {
  server.close();
  server.closeAllConnections?.();
  process.exit(0);
}

process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

if (config.watchStdin) {
  process.stdin.on('end', shutdown);
  process.stdin.on('error', shutdown);
  process.stdin.resume();
}
