import { domainToASCII } from 'node:url';
import { Transform } from 'class-transformer';
import { ValidateBy, ValidationArguments } from 'class-validator';
import { remove as confusableSkeleton } from 'confusables';

/**
 * The one rule for e-mail addresses, wherever one enters the service (sign-in, users, series core
 * members, attendees): what is stored is always a plain address that every mail server, calendar
 * client and iCalendar builder accepts, and two ways of writing one mailbox are one address.
 *
 * - Unicode NFKC first, so full-width or compatibility forms (`ＡＬＩＣＥ@…`) become plain
 *   letters; surrounding spaces are dropped; everything is compared in lower case.
 * - The local part is ASCII letters, digits and `. _ - + '` (no leading, trailing or doubled
 *   dot). RFC 5321 allows more (`#`, `%`, `!`, quoted strings…), but work addresses do not use
 *   them, and some calendar and mail software mishandles them; a zero-width space, a Cyrillic
 *   letter or a decomposed accent in the local part is refused rather than stored as a second,
 *   look-alike account.
 * - The domain is lower case and stored in its ASCII (punycode) form; a domain that uses letters
 *   of another script that look like Latin ones (`rіverside.sch.uk` with a Cyrillic і) is refused.
 */
export type EmailAddressProblem = 'format' | 'local-part' | 'domain' | 'look-alike';

export type EmailAddressResult =
  { ok: true; email: string; domain: string } | { ok: false; problem: EmailAddressProblem };

export const EMAIL_ADDRESS_MESSAGES: Record<EmailAddressProblem, string> = {
  format: 'must be an email address, like name@school.sch.uk',
  'local-part': 'may use only letters a to z, digits and . _ - + \u2019 before the @ (no spaces or other symbols)',
  domain: 'must end in a valid domain name, like school.sch.uk',
  'look-alike': 'uses letters from another alphabet that look like Latin letters',
};

const LOCAL_PART = /^[a-z0-9_'+-]+(?:\.[a-z0-9_'+-]+)*$/;
const ASCII_LABEL = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)$/;
const TOP_LEVEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export function parseEmailAddress(raw: unknown): EmailAddressResult {
  if (typeof raw !== 'string') return { ok: false, problem: 'format' };
  // NFKC, then the typographic apostrophe that word processors substitute becomes the ASCII one.
  const value = raw
    .normalize('NFKC')
    .trim()
    .replace(/\u2019/g, "'")
    .toLowerCase();
  if (value.length === 0 || value.length > 254) return { ok: false, problem: 'format' };
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1 || value.indexOf('@') !== at) return { ok: false, problem: 'format' };
  const local = value.slice(0, at);
  const unicodeDomain = value.slice(at + 1);
  if (local.length > 64 || !LOCAL_PART.test(local)) {
    return { ok: false, problem: looksAlike(local) ? 'look-alike' : 'local-part' };
  }
  if (looksAlike(unicodeDomain)) return { ok: false, problem: 'look-alike' };
  const domain = /^[\x21-\x7e]+$/.test(unicodeDomain) ? unicodeDomain : domainToASCII(unicodeDomain);
  const labels = domain.split('.');
  if (
    !domain ||
    domain.length > 253 ||
    labels.length < 2 ||
    !labels.every((l) => ASCII_LABEL.test(l)) ||
    !TOP_LEVEL.test(labels[labels.length - 1])
  ) {
    return { ok: false, problem: 'domain' };
  }
  return { ok: true, email: `${local}@${domain}`, domain };
}

/**
 * Non-Latin letters that pass for Latin ones (Cyrillic а, Greek ο…): their confusable skeleton is
 * ASCII. Accented Latin letters (ü in a German domain) are genuine and are not refused.
 */
function looksAlike(text: string): boolean {
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80 || /\p{Script=Latin}/u.test(char)) continue;
    if (/^[\x21-\x7e]+$/.test(confusableSkeleton(char))) return true;
  }
  return false;
}

/** The stored form of an address already known to be valid (or the trimmed lower case of anything else). */
export function normaliseEmail(email: string): string {
  const parsed = parseEmailAddress(email);
  return parsed.ok ? parsed.email : email.normalize('NFKC').trim().toLowerCase();
}

/**
 * The mailbox an address reaches, for counting sign-in requests: normalised, with a "+tag"
 * dropped (name+1@, name+2@… all reach name@ at most mail providers).
 */
export function mailboxKey(email: string): string {
  const [local, domain] = normaliseEmail(email).split(/@(?=[^@]*$)/);
  return domain === undefined ? local : `${local.replace(/\+.*$/, '')}@${domain}`;
}

export function emailDomain(email: string): string {
  return normaliseEmail(email).split('@').pop() ?? '';
}

/**
 * The DTO field for an e-mail address: stores the normalised form, and refuses anything else
 * with a message saying what is wrong (never echoing the value).
 */
export function IsEmailAddress(): PropertyDecorator {
  const normalise = Transform(({ value }: { value: unknown }) => {
    const parsed = parseEmailAddress(value);
    return parsed.ok ? parsed.email : value;
  });
  const validate = ValidateBy({
    name: 'isEmailAddress',
    validator: {
      validate: (value: unknown) => parseEmailAddress(value).ok,
      defaultMessage: (args?: ValidationArguments) => {
        const parsed = parseEmailAddress(args?.value);
        return parsed.ok ? EMAIL_ADDRESS_MESSAGES.format : EMAIL_ADDRESS_MESSAGES[parsed.problem];
      },
    },
  });
  return (target: object, propertyKey: string | symbol) => {
    normalise(target, propertyKey);
    validate(target, propertyKey);
  };
}
