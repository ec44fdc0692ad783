import { Injectable, Logger } from '@nestjs/common';
import * as oidc from 'openid-client';
import { AppConfig } from '../config/app-config';
import type { SsoProviderSettings } from './sso-providers';

/** How far the provider's clock may be from ours when the ID token's times are checked. */
export const CLOCK_TOLERANCE_SECONDS = 120;

export interface AuthorizationRequest {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface VerifiedClaims {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  hostedDomain: string | null;
}

/**
 * The OpenID Connect relying party, through openid-client (certified): discovery once per provider
 * (retried after a failure), the authorization code flow with PKCE (S256), state and nonce, and
 * the ID token checked by the library (signature against the provider's JWKS, fetched again when a
 * new key id appears; issuer; audience; expiry with a tolerance; nonce).
 */
@Injectable()
export class OidcClient {
  private readonly logger = new Logger(OidcClient.name);
  private readonly configurations = new Map<string, Promise<oidc.Configuration>>();

  constructor(private readonly config: AppConfig) {}

  redirectUri(provider: SsoProviderSettings): string {
    return `${this.config.publicUrl}/sign-in/callback/${provider.id}`;
  }

  async authorizationRequest(provider: SsoProviderSettings): Promise<AuthorizationRequest> {
    const configuration = await this.configuration(provider);
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const parameters: Record<string, string> = {
      redirect_uri: this.redirectUri(provider),
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    };
    if (provider.hostedDomain) parameters.hd = provider.hostedDomain;
    return { url: oidc.buildAuthorizationUrl(configuration, parameters), state, nonce, codeVerifier };
  }

  /** Exchanges the callback's code and returns the ID token's claims; throws if anything is wrong. */
  async callback(
    provider: SsoProviderSettings,
    query: URLSearchParams,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<VerifiedClaims> {
    const configuration = await this.configuration(provider);
    const currentUrl = new URL(this.redirectUri(provider));
    currentUrl.search = query.toString();
    const tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
      expectedState: expected.state,
      expectedNonce: expected.nonce,
      pkceCodeVerifier: expected.codeVerifier,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('no ID token');
    const verified = claims[provider.emailVerifiedClaim];
    return {
      subject: claims.sub,
      email: typeof claims.email === 'string' ? claims.email : null,
      emailVerified: verified === true || verified === 'true',
      name: typeof claims.name === 'string' ? claims.name : null,
      hostedDomain: typeof claims.hd === 'string' ? claims.hd : null,
    };
  }

  /** The provider's end-session URL (RP-initiated logout), or null where it offers none. */
  async endSessionUrl(provider: SsoProviderSettings, postLogoutRedirectUri: string): Promise<string | null> {
    const configuration = await this.configuration(provider);
    if (!configuration.serverMetadata().end_session_endpoint) return null;
    return oidc
      .buildEndSessionUrl(configuration, {
        client_id: provider.clientId,
        post_logout_redirect_uri: postLogoutRedirectUri,
      })
      .toString();
  }

  private configuration(provider: SsoProviderSettings): Promise<oidc.Configuration> {
    let found = this.configurations.get(provider.id);
    if (!found) {
      found = this.discover(provider);
      this.configurations.set(provider.id, found);
      // A provider that is down at the first sign-in is asked again at the next one.
      found.catch((err: unknown) => {
        this.configurations.delete(provider.id);
        this.logger.warn(`Discovery failed for provider ${provider.id}: ${(err as Error).message}`);
      });
    }
    return found;
  }

  private async discover(provider: SsoProviderSettings): Promise<oidc.Configuration> {
    const insecure = new URL(provider.issuer).protocol === 'http:';
    if (insecure && this.config.isProduction) throw new Error('an http issuer is refused in production');
    const configuration = await oidc.discovery(
      new URL(provider.issuer),
      provider.clientId,
      { [oidc.clockTolerance]: CLOCK_TOLERANCE_SECONDS },
      provider.clientSecret ? oidc.ClientSecretPost(provider.clientSecret) : oidc.None(),
      { execute: insecure ? [oidc.allowInsecureRequests] : [], timeout: 10 },
    );
    // By default the library trusts an ID token from the token endpoint on TLS alone (OpenID
    // Connect Core 3.1.3.7 allows it); here its signature is always checked against the JWKS.
    oidc.enableNonRepudiationChecks(configuration);
    return configuration;
  }
}

/** The provider could not be reached (refused, timed out): not a verdict on its answer. */
export function isUnreachable(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) {
    if (e.name === 'AbortError' || e.name === 'TimeoutError' || e.message === 'fetch failed') return true;
    if (/ECONNREFUSED|ENOTFOUND|ECONNRESET|ETIMEDOUT|EAI_AGAIN/.test((e as NodeJS.ErrnoException).code ?? ''))
      return true;
  }
  return false;
}
