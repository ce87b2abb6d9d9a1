// A local OpenID Connect provider for Pangolin's tests. Loopback and plain http only: it is a
// test fixture, never something to expose. It serves one confidential client and a few fixed
// accounts, and replaces the library's development screens with one scriptable form.
//
// Usage:
//   node server.mjs PORT [--client-id ID] [--client-secret SECRET]
//                        [--redirect-uri URI]... [--accounts JSON]
//
//   PORT             TCP port on 127.0.0.1; 0 lets the kernel choose one.
//   --client-id      client_id of the one client          (env OIDC_CLIENT_ID)
//   --client-secret  its client_secret                    (env OIDC_CLIENT_SECRET)
//   --redirect-uri   a registered redirect_uri; repeat it for several
//                    (env OIDC_REDIRECT_URIS: URIs separated by whitespace)
//   --accounts       accounts as JSON                     (env OIDC_ACCOUNTS)
//                    {"<login>": {"email": ..., "email_verified": ..., "name": ...,
//                                 "preferred_username": ..., "sub": ...}, ...}
//                    every claim is optional; sub and preferred_username default to the login.
//                    Without it: alice (alice@example.com, verified) and bob
//                    (bob@other.example, not verified).
// A command-line option wins over its environment variable. The client id, secret and at least
// one redirect URI are required.
//
// Once listening it prints exactly one line to stdout:  {"issuer": "http://127.0.0.1:<port>"}
// Diagnostics go to stderr. SIGTERM or SIGINT stops it (exit status 0). Every response carries
// the header X-Test-OIDC-Provider: <issuer>, which tests/oidc_provider.py uses to tell the
// provider's pages from the relying party's.
//
// The client: grant authorization_code only, response_type code, client_secret_basic at the
// token endpoint, PKCE (S256) required, scopes openid email profile, ID tokens signed RS256 with
// a key generated at start (published at /jwks; discovery at /.well-known/openid-configuration).
//
// Interaction: the authorization endpoint redirects to GET /interaction/<uid>, a form with one
// text field "login". POSTing it (application/x-www-form-urlencoded, field login=<login>) logs
// that account in and grants consent for openid email profile in one step; the answer is a 303
// back to the authorization endpoint, which then redirects to the client's redirect_uri. Sending
// action=deny instead ends the request with error=access_denied. An unknown login re-renders
// the form with status 400.

import * as crypto from 'node:crypto';
import * as http from 'node:http';
import { parseArgs } from 'node:util';

import Provider, { errors } from 'oidc-provider';

const SCOPES = ['openid', 'email', 'profile'];
const MAX_FORM_BYTES = 64 * 1024;
const PROVIDER_HEADER = 'X-Test-OIDC-Provider';

const DEFAULT_ACCOUNTS = {
  alice: {
    email: 'alice@example.com', email_verified: true, name: 'Alice Example',
  },
  bob: {
    email: 'bob@other.example', email_verified: false, name: 'Bob Other',
  },
};

function fail(message) {
  process.stderr.write(`oidc-provider: error: ${message}\n`);
  process.exit(2);
}

function log(message) {
  process.stderr.write(`oidc-provider: ${message}\n`);
}

function readOptions() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        'redirect-uri': { type: 'string', multiple: true },
        accounts: { type: 'string' },
      },
    });
  } catch (err) {
    fail(err.message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || !/^\d+$/.test(positionals[0]) || +positionals[0] > 65535) {
    fail('usage: server.mjs PORT [--client-id ID] [--client-secret SECRET] '
      + '[--redirect-uri URI]... [--accounts JSON]   (PORT 0 = any free port)');
  }
  const env = process.env;
  const clientId = values['client-id'] ?? env.OIDC_CLIENT_ID;
  const clientSecret = values['client-secret'] ?? env.OIDC_CLIENT_SECRET;
  const redirectUris = values['redirect-uri']
    ?? (env.OIDC_REDIRECT_URIS ?? '').split(/\s+/).filter(Boolean);
  if (!clientId) fail('no client id (--client-id or OIDC_CLIENT_ID)');
  if (!clientSecret) fail('no client secret (--client-secret or OIDC_CLIENT_SECRET)');
  if (!redirectUris.length) fail('no redirect URI (--redirect-uri or OIDC_REDIRECT_URIS)');

  let accounts = DEFAULT_ACCOUNTS;
  const accountsJson = values.accounts ?? env.OIDC_ACCOUNTS;
  if (accountsJson) {
    try {
      accounts = JSON.parse(accountsJson);
    } catch (err) {
      fail(`accounts are not valid JSON: ${err.message}`);
    }
    if (!accounts || typeof accounts !== 'object' || Array.isArray(accounts)
        || Object.values(accounts).some((a) => !a || typeof a !== 'object' || Array.isArray(a))) {
      fail('accounts must be a JSON object mapping each login to an object of claims');
    }
  }
  return {
    port: +positionals[0], clientId, clientSecret, redirectUris, accounts,
  };
}

// login -> {sub, email, email_verified, name, preferred_username}; accounts are found by sub.
function buildAccounts(spec) {
  const bySub = new Map();
  const byLogin = new Map();
  for (const [login, claims] of Object.entries(spec)) {
    const account = {
      sub: String(claims.sub ?? login),
      email: claims.email,
      email_verified: claims.email_verified,
      name: claims.name,
      preferred_username: claims.preferred_username ?? login,
    };
    if (bySub.has(account.sub)) fail(`two accounts have sub ${account.sub}`);
    bySub.set(account.sub, account);
    byLogin.set(login, account);
  }
  return { bySub, byLogin };
}

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
}

function loginPage(uid, clientId, message) {
  const note = message ? `<p class="error">${escapeHtml(message)}</p>\n` : '';
  return page('Sign in', `${note}<p>Client: ${escapeHtml(clientId)}</p>
<form method="post" action="/interaction/${escapeHtml(uid)}">
<label>Login <input type="text" name="login" autofocus></label>
<button type="submit" name="action" value="login">Sign in</button>
<button type="submit" name="action" value="deny">Deny</button>
</form>`);
}

async function readForm(req) {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new Error(`expected an application/x-www-form-urlencoded body, got "${type}"`);
  }
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new Error('form body too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

// Koa middleware for /interaction/<uid>: GET shows the form, POST finishes the interaction.
function interactionRoutes(provider, accounts) {
  return async function interaction(ctx, next) {
    const match = /^\/interaction\/([^/]+)$/.exec(ctx.path);
    if (!match) {
      await next();
      return;
    }
    const uid = decodeURIComponent(match[1]);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';

    let details;
    try {
      details = await provider.interactionDetails(ctx.req, ctx.res);
    } catch (err) {
      ctx.status = 400;
      ctx.body = page('Interaction error', `<p>${escapeHtml(err.message)}</p>`);
      return;
    }
    if (details.uid !== uid) {
      ctx.status = 400;
      ctx.body = page('Interaction error', '<p>interaction cookie does not match the URL</p>');
      return;
    }
    const clientId = details.params.client_id;

    if (ctx.method === 'GET') {
      ctx.body = loginPage(uid, clientId);
      return;
    }
    if (ctx.method !== 'POST') {
      ctx.status = 405;
      ctx.set('Allow', 'GET, POST');
      ctx.body = page('Method not allowed', '');
      return;
    }

    let form;
    try {
      form = await readForm(ctx.req);
    } catch (err) {
      ctx.status = 400;
      ctx.body = page('Bad request', `<p>${escapeHtml(err.message)}</p>`);
      return;
    }

    let result;
    if (form.get('action') === 'deny') {
      result = { error: 'access_denied', error_description: 'End-User denied the request' };
    } else {
      const login = (form.get('login') ?? '').trim();
      let accountId;
      if (login) {
        const account = accounts.byLogin.get(login);
        if (!account) {
          ctx.status = 400;
          ctx.body = loginPage(uid, clientId, `unknown login "${login}"`);
          return;
        }
        accountId = account.sub;
      } else if (details.prompt.name === 'consent' && details.session?.accountId) {
        accountId = details.session.accountId; // already signed in: consent only
      } else {
        ctx.status = 400;
        ctx.body = loginPage(uid, clientId, 'login is required');
        return;
      }

      const grant = new provider.Grant({ accountId, clientId });
      grant.addOIDCScope(SCOPES.join(' '));
      const missingClaims = details.prompt.details.missingOIDCClaims;
      if (Array.isArray(missingClaims) && missingClaims.length) grant.addOIDCClaims(missingClaims);
      const grantId = await grant.save();
      result = { login: { accountId }, consent: { grantId } };
    }

    // Writes the 303 back to the authorization endpoint itself.
    ctx.respond = false;
    await provider.interactionFinished(ctx.req, ctx.res, result, {
      mergeWithLastSubmission: false,
    });
  };
}

function configuration(options, accounts, signingKey, cookieKeys) {
  return {
    clients: [{
      client_id: options.clientId,
      client_secret: options.clientSecret,
      redirect_uris: options.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
      scope: SCOPES.join(' '),
    }],
    jwks: { keys: [signingKey] },
    scopes: SCOPES,
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
    },
    // By default the library puts scope-derived claims (email, name, ...) only into the
    // userinfo response when an access token is issued too; the tests want them in the ID token.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic'],
    pkce: { required: () => true },
    enabledJWA: { idTokenSigningAlgValues: ['RS256'] },
    async findAccount(ctx, sub) {
      const account = accounts.bySub.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          return Object.fromEntries(Object.entries(account).filter(([, v]) => v !== undefined));
        },
      };
    },
    interactions: {
      url: (ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    cookies: {
      // Browsers (and requests' cookie jar) do not separate cookies by port: names of our own
      // keep the provider's cookies from meeting those of a relying party on 127.0.0.1.
      names: {
        session: 'test_op_session',
        interaction: 'test_op_interaction',
        resume: 'test_op_resume',
      },
      // Plain http: cookies must not be marked Secure (they would never come back), and
      // SameSite=Lax is enough because every cross-site step is a top-level GET redirect.
      long: { httpOnly: true, sameSite: 'lax', secure: false, signed: true },
      short: { httpOnly: true, sameSite: 'lax', secure: false, signed: true },
      keys: cookieKeys,
    },
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      introspection: { enabled: false },
      revocation: { enabled: false },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.type = 'html';
          ctx.body = page('Sign out', `${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>`);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.body = page('Signed out', '');
        },
      },
    },
    clientBasedCORS: () => false,
    async renderError(ctx, out, error) {
      ctx.type = 'html';
      const lines = Object.entries(out)
        .map(([k, v]) => `<p><b>${escapeHtml(k)}</b>: ${escapeHtml(v)}</p>`).join('\n');
      ctx.body = page('Error', lines);
      if (error && ctx.status >= 500) log(`render error: ${error.stack ?? error}`);
    },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
  };
}

function generateSigningKey() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return {
    ...jwk, kid: crypto.randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig',
  };
}

async function main() {
  const options = readOptions();
  const accounts = buildAccounts(options.accounts);

  // Listen first: the issuer must name the port, which is only known once bound.
  const server = http.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;

  const cookieKeys = [crypto.randomBytes(32).toString('base64url')];
  const provider = new Provider(
    issuer,
    configuration(options, accounts, generateSigningKey(), cookieKeys),
  );
  // Nothing sits in front of it; never trust X-Forwarded-* headers.
  provider.proxy = false;
  provider.use(interactionRoutes(provider, accounts));
  for (const event of ['server_error', 'authorization.error', 'grant.error',
    'userinfo.error', 'end_session.error']) {
    provider.on(event, (ctx, err) => {
      const detail = err instanceof errors.OIDCProviderError
        ? `${err.error}: ${err.error_description ?? ''}` : (err?.stack ?? String(err));
      log(`${event} on ${ctx.method} ${ctx.path}: ${detail}`);
    });
  }
  // Marks every answer as the provider's, so that a scripted browser can tell where the
  // provider ends and the relying party begins.
  const handle = provider.callback();
  server.on('request', (req, res) => {
    res.setHeader(PROVIDER_HEADER, issuer);
    handle(req, res);
  });

  const stop = (signal) => {
    log(`${signal}: stopping`);
    server.close();
    server.closeAllConnections();
    process.exit(0);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  process.stdout.write(`{"issuer": ${JSON.stringify(issuer)}}\n`);
  log(`listening at ${issuer} for client ${options.clientId} `
    + `(${accounts.byLogin.size} accounts: ${[...accounts.byLogin.keys()].join(', ')})`);
}

main().catch((err) => fail(err?.stack ?? String(err)));
