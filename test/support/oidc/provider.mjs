// A real OpenID Connect provider for the tests: oidc-provider (the certified Node implementation)
// on a loopback port, with keys of its own. It runs in a child process because it is ESM-only;
// test/support/oidc/test-provider.ts starts it and talks to it.
//
// Environment: OIDC_TEST_PORT, OIDC_TEST_CLIENTS (JSON array of oidc-provider client metadata),
// OIDC_TEST_ACCOUNTS (JSON object: login -> claims, with `sub`). The dev login form accepts a login
// and any password; a login that is not in OIDC_TEST_ACCOUNTS is refused.
//
// Control endpoints (tests only, same port):
//   POST /__test/tamper?mode=other-key|wrong-audience|expired|none  re-signs the next ID tokens
//   POST /__test/accounts (JSON, as OIDC_TEST_ACCOUNTS)              replaces the accounts
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';

const port = Number(process.env.OIDC_TEST_PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.OIDC_TEST_CLIENTS ?? '[]');
let accounts = JSON.parse(process.env.OIDC_TEST_ACCOUNTS ?? '{}');
// The provider's account id is the subject; people log in with their login name.
const bySubject = () => Object.fromEntries(Object.values(accounts).map((claims) => [claims.sub, claims]));

async function newKey() {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}
const signingKey = await newKey();
const otherKey = await newKey();
let tamper = 'none';

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [signingKey] },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'hd'] },
  conformIdTokenClaims: false,
  ttl: { IdToken: 3600, AccessToken: 3600, AuthorizationCode: 120, Interaction: 600, Session: 600, Grant: 600 },
  cookies: { keys: ['test-cookie-key'] },
  async findAccount(_ctx, sub) {
    const claims = bySubject()[sub];
    if (!claims) return undefined;
    return { accountId: sub, claims: async () => ({ ...claims }) };
  },
  // The first-party client needs no consent screen in every test; the browser test sees it once.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    if (ctx.oidc.client.clientId.endsWith('-consent')) return undefined;
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['email', 'email_verified', 'name', 'hd']);
    await grant.save();
    return grant;
  },
});

// Unknown logins fail at the login step, as a real provider's wrong password would.
provider.use(async (ctx, next) => {
  if (ctx.method === 'POST' && ctx.path.startsWith('/interaction/')) {
    const body = await readForm(ctx.req);
    ctx.req.body = body;
    if (body.prompt === 'login') {
      if (!accounts[body.login]) {
        ctx.status = 403;
        ctx.body = 'unknown login';
        return;
      }
      body.login = accounts[body.login].sub;
    }
  }
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && tamper !== 'none' && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: await tampered(ctx.body.id_token) };
  }
});

async function tampered(idToken) {
  const claims = decodeJwt(idToken);
  const header = decodeProtectedHeader(idToken);
  const now = Math.floor(Date.now() / 1000);
  if (tamper === 'wrong-audience') claims.aud = 'someone-else';
  if (tamper === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  const key = tamper === 'other-key' ? otherKey : signingKey;
  // A token signed by another key, with the provider's own key id: only the signature tells.
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: header.kid }).sign(await importJWK(key, 'RS256'));
}

function readForm(req) {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(data))));
  });
}

const callback = provider.callback();
createServer((req, res) => {
  const url = new URL(req.url, issuer);
  if (req.method === 'POST' && url.pathname === '/__test/tamper') {
    tamper = url.searchParams.get('mode') ?? 'none';
    res.writeHead(204).end();
    return;
  }
  if (req.method === 'POST' && url.pathname === '/__test/accounts') {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      accounts = JSON.parse(data);
      res.writeHead(204).end();
    });
    return;
  }
  callback(req, res);
}).listen(port, '127.0.0.1', () => process.stdout.write(`ready ${issuer} ${signingKey.kid}\n`));
