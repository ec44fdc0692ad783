import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateBy,
  validateSync,
} from 'class-validator';
import { parseSsoProviders, SsoProviderSettings } from '../single-sign-on/sso-providers';
import { parseThresholdVersions, ThresholdVersion } from '../reference-data/threshold-versions';
import { contrastWithWhite, DEFAULT_BRAND_COLOUR } from './brand-colour';

/** A telephone number as people write it: digits, spaces, brackets, hyphens, a leading +. */
const TELEPHONE = /^\+?\(?[0-9][0-9 ()-]{5,22}[0-9]$/;

const toInt = ({ value }: { value: unknown }) =>
  // Stryker disable next-line ConditionalExpression: `value === undefined` → false is equivalent: undefined then falls through to `: value`, which is undefined too
  value === undefined || value === ''
    ? undefined
    : typeof value === 'string' && /^-?\d+$/.test(value)
      ? Number(value)
      : value;
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string' || value === '') return value === '' ? undefined : value;
  const v = value.toLowerCase();
  return v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : value;
};
export const DEFAULT_CONCERN_CATEGORIES = [
  'neglect:Neglect',
  'physical-abuse:Physical abuse',
  'emotional-abuse:Emotional abuse',
  'sexual-abuse:Sexual abuse',
  'intrafamilial-sexual-abuse:Sexual abuse within the family',
  'domestic-abuse:Domestic abuse',
  'criminal-exploitation:Criminal exploitation',
  'sexual-exploitation:Sexual exploitation',
  'mental-health:Mental health and emotional wellbeing',
  'missing:Missing from home or education',
  'parental-substance-misuse:Parental substance misuse',
  'parental-mental-health:Parental mental health',
  'radicalisation:Radicalisation',
  'self-harm:Self-harm',
  'online-harm:Online harm',
  'other:Other',
].join('|');

/** `a.example,b.example`: lower-case domain names separated by commas (spaces allowed). */
const DOMAIN_LIST = /^\s*[a-z0-9.-]+\.[a-z]{2,63}(\s*,\s*[a-z0-9.-]+\.[a-z]{2,63})*\s*$/;

const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * Every setting the service reads, with its default. Values come from the environment only
 * (see .env.example); `loadConfig` validates them once at start-up and stops the process with
 * a message naming each bad variable, rather than failing later in the middle of a request.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Unset: `http://localhost:<PORT>` (see `publicUrl`), so links follow the port on a developer's machine. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_URL: string | undefined = undefined;

  @Transform(emptyToUndefined)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  PARTNERSHIP_NAME = 'Northshire Safeguarding Children Partnership';

  // --- database ---
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL (leave it unset for SQLite)' })
  DATABASE_URL?: string;

  @Transform(emptyToUndefined)
  @IsString()
  @MinLength(1)
  SQLITE_PATH = './data/thresholds.sqlite';

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60000)
  SQLITE_BUSY_TIMEOUT_MS = 5000;

  /**
   * SQLite's `synchronous` setting (WAL mode). `full`: each commit is on disk before it is
   * answered. `normal`: faster, but a power cut or OS crash may lose the commits since the last
   * checkpoint (the file stays consistent; a crash of the process alone loses nothing).
   */
  @Transform(emptyToUndefined)
  @IsIn(['full', 'normal'])
  SQLITE_SYNCHRONOUS: 'full' | 'normal' = 'full';

  @Transform(toBool)
  @IsBoolean()
  DATABASE_MIGRATE_ON_START = true;

  /** Where `npm run backup` writes a timestamped copy when it is given no path. */
  @Transform(emptyToUndefined)
  @IsString()
  @MinLength(1)
  BACKUP_DIR = './data/backups';

  // --- sign-in and sessions ---
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsEmail()
  BOOTSTRAP_COORDINATOR_EMAIL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  SIGN_IN_LINK_MINUTES = 15;

  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(24 * 60)
  SESSION_IDLE_MINUTES = 60;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  SESSION_ABSOLUTE_HOURS = 12;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  SIGN_IN_LIMIT_PER_IP = 30;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  SIGN_IN_LIMIT_PER_EMAIL = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  SIGN_IN_LIMIT_WINDOW_MINUTES = 15;

  @Transform(toBool)
  @IsBoolean()
  TRUST_PROXY = false;

  /**
   * With TRUST_PROXY: how many proxies in front of the service append to X-Forwarded-For (a load
   * balancer and then nginx: 2). The client's address is the one that many places from the end.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10)
  TRUST_PROXY_HOPS = 1;

  /**
   * OpenID Connect providers people may sign in with besides the e-mail link: a JSON array, one
   * object per provider (id, name, issuer, clientId, clientSecret, domains, and optionally
   * autoApproveDomains, emailVerifiedClaim, hostedDomain, singleLogout). README, "Single sign-on".
   * Unset: the e-mail link only. It holds client secrets: never echoed in errors.
   */
  @IsOptional()
  @ValidateBy({
    name: 'isSsoProviderList',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseSsoProviders(value).errors.length === 0,
      defaultMessage: (args) => parseSsoProviders(String(args?.value)).errors.join('; '),
    },
  })
  OIDC_PROVIDERS?: string;

  /**
   * Comma-separated agency e-mail domains whose first sign-ins are approved at once. Everyone
   * else who signs in for the first time from an agency's domain waits for a coordinator or the
   * agency's lead to approve them. Empty (the default): every new account waits.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(DOMAIN_LIST, { message: 'must be domain names separated by commas, like school.sch.uk,health.nhs.uk' })
  AUTO_APPROVE_EMAIL_DOMAINS?: string;

  /** Comma-separated domains refused as agency e-mail domains, besides webmail and the shared national ones. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(DOMAIN_LIST, { message: 'must be domain names separated by commas, like example.org.uk' })
  AGENCY_DOMAINS_REFUSED?: string;

  // --- mail ---
  // Required in production: the spool writes every message, sign-in links included, to files
  // and its summary (with the link) to the log, which is only acceptable on a developer's machine.
  @Transform(emptyToUndefined)
  @ValidateIf((o: AppConfig) => o.NODE_ENV === 'production' || o.SMTP_URL !== undefined)
  @IsDefined({
    message: 'must be set in production (without it, mail and its sign-in links would go to files and the log)',
  })
  @Matches(/^smtps?:\/\/.+/, {
    message: 'must be an smtp:// or smtps:// URL (leave it unset outside production to write mail to the spool)',
  })
  SMTP_URL?: string;

  @Transform(emptyToUndefined)
  @IsString()
  @MinLength(3)
  MAIL_FROM = 'Thresholds <no-reply@thresholds.localhost>';

  @Transform(emptyToUndefined)
  @IsString()
  @MinLength(1)
  MAIL_SPOOL_DIR = './data/mail';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  MAIL_MAX_ATTEMPTS = 10;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3600_000)
  MAIL_RETRY_BASE_MS = 5000;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(24 * 3600_000)
  MAIL_RETRY_MAX_MS = 30 * 60_000;

  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(600_000)
  MAIL_POLL_MS = 2000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  MAIL_SMTP_TIMEOUT_MS = 20_000;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(3600_000)
  MAIL_LEASE_MS = 120_000;

  // --- calendar ---
  /** The ORGANIZER of every invite: the partnership's meetings mailbox. */
  @Transform(emptyToUndefined)
  @IsEmail()
  MEETINGS_MAILBOX = 'meetings@thresholds.localhost';

  @Transform(emptyToUndefined)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  MEETINGS_MAILBOX_NAME = 'Thresholds and Referrals Meeting';

  /**
   * The domain in every calendar UID (`meeting-<id>@<domain>`). Set it once and never change it:
   * a new domain makes every client show each entry twice. Unset, it is PUBLIC_URL's host name.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(
    /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/,
    {
      message: 'must be a domain name such as thresholds.example.org',
    },
  )
  CALENDAR_UID_DOMAIN?: string;

  /**
   * The mailbox that receives calendar replies (iMIP) to MEETINGS_MAILBOX, read over IMAP:
   * `imaps://user:password@host:993/INBOX` (`imap://` only on a trusted network). Set, invites ask
   * for replies (RSVP=TRUE): a chair's or core member's Accept, Decline or Tentative becomes their
   * expected attendance, and a presenter's Decline asks them by e-mail to confirm withdrawal.
   * Unset, invites say RSVP=FALSE and nothing reads replies.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^imaps?:\/\/[^\s/]+(\/[^\s]*)?$/, {
    message: 'must be an imap:// or imaps:// URL such as imaps://user:password@mail.example.org/INBOX',
  })
  REPLIES_IMAP_URL?: string;

  /**
   * How long a cancelled meeting stays in subscription feeds (as "Cancelled: …", STATUS:CANCELLED)
   * before it is dropped. Short, because Outlook ignores STATUS:CANCELLED in subscribed calendars.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60)
  FEED_KEEP_CANCELLED_DAYS = 7;

  /** Reminders go out at this Europe/London time: presenters two working days before, chairs the day before. */
  @Transform(emptyToUndefined)
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time HH:mm' })
  REMINDER_TIME = '09:00';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10)
  REMINDER_PRESENTER_WORKING_DAYS = 2;

  // --- what happened next ---
  /** Working days after the meeting that a presenter advised to refer (MASH, early help, another service) is asked what happened, at REMINDER_TIME. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  NEXT_STEPS_ASK_WORKING_DAYS = 5;

  /** Working days without an answer before the one reminder, and again after it before "no answer" is recorded. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(30)
  NEXT_STEPS_REMIND_WORKING_DAYS = 5;

  /** The expected time for the MASH's decision on a referral, in working days (Working Together 2023: one). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(30)
  NEXT_STEPS_MASH_RESPONSE_WORKING_DAYS = 1;

  /** The expected time for an answer from early help or another service, in working days. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60)
  NEXT_STEPS_OTHER_RESPONSE_WORKING_DAYS = 10;

  // --- meetings and bookings ---
  /** Bookings close at this London time on the last booking day (see the series' working-day deadline). */
  @Transform(emptyToUndefined)
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time HH:mm' })
  BOOKING_CLOSING_TIME = '17:00';

  /** Items one presenter may have on one meeting (booked or waiting); beyond it 429 BOOKING_LIMIT. Coordinators are not capped. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  BOOKING_LIMIT_PER_MEETING = 4;

  /** Items one presenter may book in one London day, whatever happens to them after. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  BOOKING_LIMIT_PER_DAY = 20;

  /** `code:Label|code:Label…`: the concern categories a presenter can choose. */
  @Transform(emptyToUndefined)
  @Matches(/^[a-z0-9-]+:[^|:]+(\|[a-z0-9-]+:[^|:]+)*$/, {
    message: 'must be code:Label pairs separated by |, codes in lower case with hyphens',
  })
  CONCERN_CATEGORIES = DEFAULT_CONCERN_CATEGORIES;

  /** `Label 1|Label 2|Label 3|Label 4`: the partnership's levels of need, lowest first. */
  @Transform(emptyToUndefined)
  @Matches(/^[^|]+(\|[^|]+){1,9}$/, { message: 'must be 2 to 10 labels separated by |' })
  LEVEL_LABELS =
    'Universal|Early help (additional needs)|Targeted / complex (child in need)|Specialist / acute (child protection)';

  /**
   * The threshold document's versions, oldest first: a JSON array of `{id, name, effectiveFrom,
   * levels, pathways?, crosswalk?}` (README, "Threshold document versions"). Meetings use the
   * version in force on their London date; each outcome and item records the version it used.
   * Unset: one version whose levels are LEVEL_LABELS.
   */
  @IsOptional()
  @ValidateBy({
    name: 'isThresholdVersionList',
    validator: {
      validate: (value: unknown, args) =>
        typeof value === 'string' && parseThresholdVersions(value, levelLabelsOf(args?.object)).errors.length === 0,
      defaultMessage: (args) =>
        parseThresholdVersions(String(args?.value), levelLabelsOf(args?.object)).errors.join('; '),
    },
  })
  THRESHOLD_VERSIONS?: string;

  /** What the identifying-details check does with a finding: refuse the text, accept it with a warning, or nothing. */
  @Transform(emptyToUndefined)
  @IsIn(['block', 'warn', 'off'])
  IDENTIFYING_DETAILS_GUARD: 'block' | 'warn' | 'off' = 'block';

  /**
   * Probable names (a common given name followed by a surname or an age) are the least certain
   * finding: by default a warning even when the guard blocks; `block` lets them block too, `off`
   * ignores them. The guard's `warn` and `off` still apply to them.
   */
  @Transform(emptyToUndefined)
  @IsIn(['block', 'warn', 'off'])
  IDENTIFYING_DETAILS_NAMES: 'block' | 'warn' | 'off' = 'warn';

  /**
   * The format of the MASH's referral references (a regular expression, matched in full, any
   * case). The default takes letters, then digits, then up to two more parts after / or -
   * (MASH/2026/1234, MASH-2026-00123, CSC123456). An NHS number or a date of birth can never be one.
   */
  @Transform(emptyToUndefined)
  @IsString()
  @MaxLength(200)
  @ValidateBy({
    name: 'isRegularExpression',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && compiles(value),
      defaultMessage: () => 'must be a regular expression',
    },
  })
  MASH_REFERENCE_PATTERN = '^[A-Za-z]{2,12}[-/ ]?[0-9]{1,12}(?:[-/][0-9A-Za-z]{1,12}){0,2}$';

  /** An example reference in that format, shown in the error message. */
  @Transform(emptyToUndefined)
  @IsString()
  @MaxLength(40)
  MASH_REFERENCE_EXAMPLE = 'MASH/2026/1234';

  /** Shown instead of a booking when a child may be at immediate risk of significant harm. */
  @Transform(emptyToUndefined)
  @IsString()
  @MinLength(10)
  @MaxLength(1000)
  MASH_CONTACT_GUIDANCE =
    'If a child may be at immediate risk of significant harm, do not wait for this meeting: contact the MASH now by telephone ' +
    '(out of hours, the Emergency Duty Team). If a child is in immediate danger, call 999.';

  /**
   * The MASH's telephone number, shown with that guidance on the page and in the API's
   * IMMEDIATE_RISK answer. Required in production: a person with a child at risk needs the number,
   * not a search for it.
   */
  @Transform(emptyToUndefined)
  @ValidateIf((o: AppConfig) => o.NODE_ENV === 'production' || o.MASH_TELEPHONE !== undefined)
  @IsDefined({
    message: 'must be set in production (the MASH telephone number shown when a child is at immediate risk)',
  })
  @Matches(TELEPHONE, { message: 'must be a telephone number, like 01632 960 000' })
  MASH_TELEPHONE?: string;

  /** The out-of-hours number (the Emergency Duty Team), shown beside it when set. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(TELEPHONE, { message: 'must be a telephone number, like 01632 960 001' })
  MASH_OUT_OF_HOURS_TELEPHONE?: string;

  /** Turn off the scheduled jobs (meeting top-up, reminders) in this instance, e.g. for a one-off command. */
  @Transform(toBool)
  @IsBoolean()
  SCHEDULED_JOBS_ENABLED = true;

  /** Read out at each meeting; every attendee's acceptance is recorded with the attendance register and printed with the minutes. */
  @Transform(emptyToUndefined)
  @IsString()
  @MinLength(20)
  @MaxLength(2000)
  CONFIDENTIALITY_STATEMENT =
    'Everything discussed at this meeting is confidential. It is shared only to safeguard children and to agree the right help. ' +
    'Do not record, forward or share case details outside this meeting, except with those who need to know to keep a child safe ' +
    'and in line with your agency’s information-sharing procedures.';

  // --- first run ---
  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  SEED_DEMO_DATA?: boolean;

  @Transform(emptyToUndefined)
  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  /** `json` (one JSON object a line, for a log collector) or `pretty` (for a person). Unset: json in production, else pretty. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty';

  /** Alert (error log once, `thresholds_alert_active`) when more messages than this wait in the outbox. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  OUTBOX_ALERT_DEPTH = 500;

  /** Alert when the oldest unsent message has waited longer than this. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 60)
  OUTBOX_ALERT_AGE_MINUTES = 30;

  /**
   * On SIGTERM, how long requests in flight may take to finish before their connections are cut
   * (the mail being sent is always finished; the SMTP timeout bounds it).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS = 20_000;

  /**
   * The bearer token a Prometheus scraper sends to read `/metrics` (at least 32 characters).
   * Unset: `/metrics` answers 404.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32)
  @Matches(/^\S+$/, { message: 'must have no spaces' })
  METRICS_TOKEN?: string;

  // --- web pages ---
  /** The service's name in page headers and titles. */
  @Transform(emptyToUndefined)
  @IsString()
  @MinLength(3)
  @MaxLength(80)
  SERVICE_NAME = 'Thresholds and Referrals Meeting';

  /** Where people write about the service (page footer, phase banner, accessibility statement). */
  @Transform(emptyToUndefined)
  @IsEmail()
  PARTNERSHIP_CONTACT_EMAIL = 'partnership@thresholds.localhost';

  /**
   * The partnership's brand colour (`#rrggbb`) for the pages' header, links and focus: the
   * stylesheet is compiled with it. White text must be readable on it (contrast 4.5:1 or more).
   */
  @Transform(emptyToUndefined)
  @Matches(/^#[0-9a-fA-F]{6}$/, { message: 'must be a colour written #rrggbb, like #1d70b8' })
  @ValidateBy({
    name: 'readableWithWhite',
    validator: {
      validate: (value: unknown) =>
        typeof value !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(value) || contrastWithWhite(value) >= 4.5,
      defaultMessage: () => 'must be dark enough for white text on it (a contrast of 4.5:1 or more, as WCAG asks)',
    },
  })
  BRAND_COLOUR = DEFAULT_BRAND_COLOUR;

  /** A telephone number for the same, shown beside the address when set. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @Matches(/^[0-9 +()-]+$/, { message: 'must be a telephone number' })
  PARTNERSHIP_CONTACT_PHONE?: string;

  /** When the accessibility statement was prepared or last reviewed, YYYY-MM-DD (the statement must say). */
  @Transform(emptyToUndefined)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  ACCESSIBILITY_STATEMENT_DATE = '2026-11-26';

  /**
   * Signs the pages' CSRF tokens. Unset: a random secret per process, which is fine for one
   * instance (a form opened before a restart is refused once). Several instances must share one.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32)
  WEB_CSRF_SECRET?: string;

  get mashReferencePattern(): RegExp {
    return new RegExp(this.MASH_REFERENCE_PATTERN, 'i');
  }

  get autoApproveDomains(): string[] {
    return domainList(this.AUTO_APPROVE_EMAIL_DOMAINS);
  }

  get refusedAgencyDomains(): string[] {
    return domainList(this.AGENCY_DOMAINS_REFUSED);
  }

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }

  get databaseKind(): 'postgres' | 'sqlite' {
    return this.DATABASE_URL ? 'postgres' : 'sqlite';
  }

  /** Demo data only ever outside production; on by default in development. */
  get seedDemoData(): boolean {
    if (this.isProduction) return false;
    return this.SEED_DEMO_DATA ?? this.NODE_ENV === 'development';
  }

  get publicUrl(): string {
    return (this.PUBLIC_URL ?? `http://localhost:${this.PORT}`).replace(/\/+$/, '');
  }

  /** The versions of THRESHOLD_VERSIONS (or the one of LEVEL_LABELS), validated at start-up. */
  get thresholdVersions(): ThresholdVersion[] {
    return parseThresholdVersions(this.THRESHOLD_VERSIONS, this.LEVEL_LABELS).versions;
  }

  /** The providers of OIDC_PROVIDERS, validated at start-up. */
  get ssoProviders(): SsoProviderSettings[] {
    let providers = parsedSsoProviders.get(this);
    // Stryker disable next-line ConditionalExpression: equivalent, parsing again gives the same providers (this only saves the work)
    if (!providers) {
      providers = parseSsoProviders(this.OIDC_PROVIDERS).providers;
      parsedSsoProviders.set(this, providers);
    }
    return providers;
  }

  get publicHost(): string {
    return new URL(this.publicUrl).hostname;
  }

  /** Whether a replies mailbox is read (REPLIES_IMAP_URL): invites then ask for replies. */
  get repliesEnabled(): boolean {
    return this.REPLIES_IMAP_URL !== undefined;
  }

  /** CALENDAR_UID_DOMAIN, or PUBLIC_URL's host only when it is unset. */
  get calendarUidDomain(): string {
    return (this.CALENDAR_UID_DOMAIN ?? this.publicHost).toLowerCase();
  }

  // --- reports and retention (src/reports, src/retention) ---
  /**
   * Months after a meeting ends (Europe/London calendar months) after which the nightly retention
   * job replaces its case text (items' question, summary and agency reference, advice, responses,
   * action descriptions, the minutes' case sections) with a notice. Items on legal hold are kept.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1200)
  RETENTION_CASE_TEXT_MONTHS = 24;

  /**
   * PostgreSQL only: how the retention job reclaims the old row versions that still hold erased
   * text. `full` (VACUUM FULL: rewrites the touched tables, so no page keeps the old bytes; a brief
   * exclusive lock per table) or `plain` (VACUUM: the text becomes unreadable by SQL, but its bytes
   * may stay in the free space of a page until reused).
   */
  @Transform(emptyToUndefined)
  @IsIn(['full', 'plain'])
  RETENTION_POSTGRES_VACUUM: 'full' | 'plain' = 'full';
}

/** Each configuration's providers, parsed once (not a property: every property is a setting). */
const parsedSsoProviders = new WeakMap<AppConfig, SsoProviderSettings[]>();

export class ConfigError extends Error {}

/** Reads and validates the environment; throws one error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const input: Record<string, unknown> = {};
  // An empty value means "not set" (a blank line in .env): the default applies. Passing '' on
  // would have class-transformer overwrite the default with undefined and fail validation.
  // Stryker disable next-line ConditionalExpression: `env[key] !== undefined` → true is equivalent: exposeDefaultValues keeps the default for an undefined value
  for (const key of known) if (env[key] !== undefined && env[key] !== '') input[key] = env[key];
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent: exposeDefaultValues only acts on undefined values, which the line above never passes on
  const config = plainToInstance(AppConfig, input, { exposeDefaultValues: true });
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent: false is the default, and whitelisting strips nothing as every property has a validation decorator
  const errors = validateSync(config, { whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map(
      // URLs may carry credentials, and secrets are secret: name the variable, never echo its value.
      (e) =>
        // Stryker disable next-line Regex: equivalent: no AppConfig property has _URL, _SECRET, _TOKEN or OIDC_PROVIDERS other than at an end of its name
        `  ${e.property}${/_URL$|_SECRET$|_TOKEN$|^OIDC_PROVIDERS$/.test(e.property) ? '' : `=${JSON.stringify(e.value)}`}: ${Object.values(e.constraints ?? {}).join('; ')}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return config;
}

/** The LEVEL_LABELS of the configuration being validated (the default when it is not a config). */
function levelLabelsOf(object: unknown): string {
  const labels = (object as { LEVEL_LABELS?: unknown } | undefined)?.LEVEL_LABELS;
  return typeof labels === 'string' ? labels : new AppConfig().LEVEL_LABELS;
}

function domainList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
}

function compiles(pattern: string): boolean {
  try {
    // Stryker disable next-line StringLiteral: equivalent: the i flag does not change which patterns compile (only u and v change the syntax)
    new RegExp(pattern, 'i');
    return true;
  } catch {
    return false;
  }
}
