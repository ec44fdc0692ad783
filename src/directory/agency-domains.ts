import freeEmailDomains from 'free-email-domains/domains.json';

/**
 * Domains that prove nothing about which organisation someone works for, so they can never be an
 * agency's e-mail domain (a first sign-in from one would otherwise make anyone with a webmail
 * account that agency's professional):
 * - webmail and other free mailbox providers, from the maintained `free-email-domains` list
 *   (gmail.com, outlook.com, hotmail.co.uk, yahoo.co.uk, icloud.com, btinternet.com, …);
 * - shared national domains used by many organisations at once: the NHS's national mail service
 *   (nhs.net), the secure criminal-justice and public-sector networks, and the bare second-level
 *   domains under which each organisation has its own (gov.uk, sch.uk, police.uk, nhs.uk…);
 * - whatever the deployment adds in AGENCY_DOMAINS_REFUSED.
 * A subdomain of a shared national domain (northshire.gov.uk, riverside.sch.uk) is an
 * organisation's own, and is allowed.
 */
export const SHARED_NATIONAL_DOMAINS: readonly string[] = [
  'nhs.net',
  'nhs.uk',
  'nhs.scot',
  'wales.nhs.uk',
  'hscni.net',
  'gov.uk',
  'gov.scot',
  'gov.wales',
  'gsi.gov.uk',
  'gsx.gov.uk',
  'gcsx.gov.uk',
  'cjsm.net',
  'police.uk',
  'pnn.police.uk',
  'sch.uk',
  'ac.uk',
  'org.uk',
  'co.uk',
  'me.uk',
  'ltd.uk',
  'plc.uk',
  'net.uk',
  'mod.uk',
  'mod.gov.uk',
  'parliament.uk',
];

const FREE = new Set<string>(freeEmailDomains as string[]);

export type RefusedDomainReason = 'webmail' | 'shared';

/** Why `domain` may not be an agency's e-mail domain, or null if it may. `domain` is lower case ASCII. */
export function refusedAgencyDomain(domain: string, extra: readonly string[] = []): RefusedDomainReason | null {
  if (SHARED_NATIONAL_DOMAINS.includes(domain) || extra.includes(domain)) return 'shared';
  if (FREE.has(domain)) return 'webmail';
  return null;
}
