import { plainToInstance } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  MinLength,
  validateSync,
  ValidationError,
} from 'class-validator';

/** A lower-case e-mail domain, as agencies' domains are kept. */
const DOMAIN = /^[a-z0-9.-]+\.[a-z]{2,63}$/;

/**
 * One OpenID Connect provider a deployment signs people in with (an organisation's Microsoft Entra
 * ID tenant, its Google Workspace, any certified provider): one entry of `OIDC_PROVIDERS`.
 */
export class SsoProviderSettings {
  /** Short name used in the redirect URI (`/sign-in/callback/<id>`) and the audit log. */
  @Matches(/^[a-z0-9][a-z0-9-]{0,31}$/, { message: 'must be 1 to 32 lower-case letters, digits or hyphens' })
  id: string;

  /** The button reads "Sign in with <name>". */
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  name: string;

  /** The issuer, exactly as the provider's discovery document names it. */
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https', 'http'] })
  issuer: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  clientId: string;

  /** Omitted for a public client (PKCE alone). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  clientSecret?: string;

  /**
   * The agencies' e-mail domains this provider may vouch for: a verified e-mail address outside
   * them is refused, whatever the provider says. Each must also be an agency's domain.
   */
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(DOMAIN, { each: true, message: 'each domain must be lower-case, like school.sch.uk' })
  domains: string[];

  /** First sign-ins from these domains (a subset of `domains`) are approved at once. */
  @IsOptional()
  @IsArray()
  @Matches(DOMAIN, { each: true, message: 'each domain must be lower-case, like school.sch.uk' })
  autoApproveDomains: string[] = [];

  /**
   * The ID token claim that says the e-mail address is verified: `email_verified` (the standard,
   * Google), or `xms_edov` for Microsoft Entra ID (the domain is verified by the tenant).
   */
  @Matches(/^[a-z_]{1,40}$/i, { message: 'must be a claim name, like email_verified' })
  emailVerifiedClaim = 'email_verified';

  /** Google Workspace: only accounts of this domain (sent as `hd`, and the `hd` claim checked). */
  @IsOptional()
  @Matches(DOMAIN, { message: 'must be a lower-case domain, like school.sch.uk' })
  hostedDomain?: string;

  /** Signing out here also signs out at the provider (RP-initiated logout), where it offers it. */
  @IsOptional()
  @IsBoolean()
  singleLogout = false;
}

/**
 * Reads `OIDC_PROVIDERS` (a JSON array of provider settings; empty or unset: no providers). Returns
 * every problem at once, each naming the entry and its field, never a value (secrets are in there).
 */
export function parseSsoProviders(raw: string | undefined): { providers: SsoProviderSettings[]; errors: string[] } {
  if (raw === undefined || raw.trim() === '') return { providers: [], errors: [] };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { providers: [], errors: ['must be a JSON array of providers'] };
  }
  if (!Array.isArray(json) || json.some((p) => typeof p !== 'object' || p === null || Array.isArray(p))) {
    return { providers: [], errors: ['must be a JSON array of providers'] };
  }
  const providers = json.map((p: object) => plainToInstance(SsoProviderSettings, p, { exposeDefaultValues: true }));
  const errors: string[] = [];
  providers.forEach((p, i) => {
    for (const e of validateSync(p, { forbidUnknownValues: true })) errors.push(...describe(`[${i}]`, e));
    const outside = (p.autoApproveDomains ?? []).filter((d) => !(p.domains ?? []).includes(d));
    if (outside.length) errors.push(`[${i}].autoApproveDomains: must be among its domains`);
  });
  const ids = providers.map((p) => p.id);
  if (new Set(ids).size !== ids.length) errors.push('each provider needs its own id');
  if (providers.length > 20) errors.push('at most 20 providers');
  return { providers: errors.length ? [] : providers, errors };
}

function describe(path: string, e: ValidationError): string[] {
  const here = `${path}.${e.property}`;
  const own = Object.values(e.constraints ?? {}).map(
    (m) => `${here}: ${m.startsWith(`${e.property} `) ? m.slice(e.property.length + 1) : m}`,
  );
  return [...own, ...(e.children ?? []).flatMap((c) => describe(here, c))];
}
