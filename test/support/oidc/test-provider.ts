import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../built-service';

export interface TestAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  hd?: string;
}

export type Tamper = 'none' | 'other-key' | 'wrong-audience' | 'expired';

/**
 * A real OpenID Connect provider (oidc-provider, in its own process: test/support/oidc/provider.mjs)
 * on a loopback port, with its own keys. `restart()` starts it again on the same port with new
 * keys (key rotation); `tamper()` makes it re-sign the ID tokens it issues next.
 */
export class TestOidcProvider {
  private child: ChildProcess | null = null;
  kid = '';

  private constructor(
    readonly port: number,
    private readonly clients: object[],
    private accounts: Record<string, TestAccount>,
  ) {}

  get issuer(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(options: { clients: object[]; accounts: Record<string, TestAccount> }): Promise<TestOidcProvider> {
    const provider = new TestOidcProvider(await freePort(), options.clients, options.accounts);
    await provider.launch();
    return provider;
  }

  private launch(): Promise<void> {
    const child = spawn(process.execPath, [join(__dirname, 'provider.mjs')], {
      env: {
        ...process.env,
        OIDC_TEST_PORT: String(this.port),
        OIDC_TEST_CLIENTS: JSON.stringify(this.clients),
        OIDC_TEST_ACCOUNTS: JSON.stringify(this.accounts),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    return new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`provider did not start: ${output}`)), 20_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const ready = /ready \S+ (\S+)/.exec(output);
        if (ready) {
          clearTimeout(timer);
          this.kid = ready[1];
          resolve();
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (!this.kid) reject(new Error(`provider exited (${code}): ${output}`));
      });
    });
  }

  async restart(): Promise<void> {
    await this.stop();
    this.kid = '';
    await this.launch();
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  /** Replaces the provider's accounts (as if people's details changed there). */
  async setAccounts(accounts: Record<string, TestAccount>): Promise<void> {
    const res = await fetch(`${this.issuer}/__test/accounts`, { method: 'POST', body: JSON.stringify(accounts) });
    if (res.status !== 204) throw new Error(`accounts: ${res.status}`);
    this.accounts = accounts;
  }

  async tamper(mode: Tamper): Promise<void> {
    const res = await fetch(`${this.issuer}/__test/tamper?mode=${mode}`, { method: 'POST' });
    if (res.status !== 204) throw new Error(`tamper: ${res.status}`);
  }

  /**
   * Plays the person at the provider: follows `authorizationUrl` through the provider's login
   * (and consent, if asked) with its own cookies, and returns the URL the provider finally sends
   * the browser to (the app's callback, with `code` and `state`, or `error`).
   */
  async signInAt(authorizationUrl: string, login: string): Promise<URL> {
    const jar = new Map<string, string>();
    let url = new URL(authorizationUrl);
    let method = 'GET';
    let body: string | undefined;
    for (let hop = 0; hop < 20; hop++) {
      if (url.origin !== this.issuer) return url;
      const res = await fetch(url, {
        method,
        body,
        redirect: 'manual',
        headers: {
          cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
      });
      for (const cookie of res.headers.getSetCookie()) {
        const [pair] = cookie.split(';');
        const at = pair.indexOf('=');
        jar.set(pair.slice(0, at), pair.slice(at + 1));
      }
      const location = res.headers.get('location');
      if (location) {
        url = new URL(location, url);
        method = 'GET';
        body = undefined;
        continue;
      }
      const html = await res.text();
      if (res.status !== 200) throw new Error(`provider answered ${res.status}: ${html.slice(0, 200)}`);
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (!action) throw new Error(`no form at ${url}: ${html.slice(0, 200)}`);
      const form: Record<string, string> = /name="login"/.test(html)
        ? { prompt: 'login', login, password: 'any' }
        : { prompt: 'consent' };
      url = new URL(action.replace(/&amp;/g, '&'), url);
      method = 'POST';
      body = new URLSearchParams(form).toString();
    }
    throw new Error('too many redirects at the provider');
  }
}
