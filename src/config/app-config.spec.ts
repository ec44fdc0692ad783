import { plainToInstance } from 'class-transformer';
import { AppConfig, ConfigError, loadConfig } from './app-config';

/** The message of the ConfigError that `env` causes (fails the test if it loads). */
function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`expected a ConfigError for ${Object.keys(env).join(', ')}`);
}

describe('loadConfig', () => {
  describe('with an empty environment', () => {
    // Built for each test (not once before them all), so that Stryker, which switches a mutant
    // on per test, sees every default being read.
    let config: AppConfig;
    beforeEach(() => {
      config = loadConfig({});
    });

    it('starts in development on port 3000 with SQLite and the mail spool', () => {
      expect(config).toBeInstanceOf(AppConfig);
      expect(config.NODE_ENV).toBe('development');
      expect(config.isProduction).toBe(false);
      expect(config.PORT).toBe(3000);
      expect(config.PUBLIC_URL).toBeUndefined();
      expect(config.publicUrl).toBe('http://localhost:3000');
      expect(config.publicHost).toBe('localhost');
      expect(config.DATABASE_URL).toBeUndefined();
      expect(config.databaseKind).toBe('sqlite');
      expect(config.SQLITE_PATH).toBe('./data/thresholds.sqlite');
      expect(config.DATABASE_MIGRATE_ON_START).toBe(true);
      expect(config.SMTP_URL).toBeUndefined();
      expect(config.MAIL_SPOOL_DIR).toBe('./data/mail');
      expect(config.LOG_LEVEL).toBe('log');
      expect(config.TRUST_PROXY).toBe(false);
      expect(config.TRUST_PROXY_HOPS).toBe(1);
    });

    it('has the documented sign-in, session and mail defaults', () => {
      expect(config).toMatchObject({
        SIGN_IN_LINK_MINUTES: 15,
        SESSION_IDLE_MINUTES: 60,
        SESSION_ABSOLUTE_HOURS: 12,
        SIGN_IN_LIMIT_PER_IP: 30,
        SIGN_IN_LIMIT_PER_EMAIL: 5,
        SIGN_IN_LIMIT_WINDOW_MINUTES: 15,
        MAIL_MAX_ATTEMPTS: 10,
        MAIL_RETRY_BASE_MS: 5000,
        MAIL_RETRY_MAX_MS: 30 * 60_000,
        MAIL_POLL_MS: 2000,
        MAIL_SMTP_TIMEOUT_MS: 20_000,
        MAIL_LEASE_MS: 120_000,
      });
      expect(config.BOOTSTRAP_COORDINATOR_EMAIL).toBeUndefined();
      expect(config.PARTNERSHIP_NAME.length).toBeGreaterThan(0);
      expect(config.MAIL_FROM.length).toBeGreaterThan(2);
    });

    it('seeds demo data in development', () => {
      expect(config.seedDemoData).toBe(true);
    });

    it('runs the scheduled jobs', () => {
      expect(config.SCHEDULED_JOBS_ENABLED).toBe(true);
    });

    it('has the documented MASH wording and example reference', () => {
      expect(config.MASH_REFERENCE_EXAMPLE).toBe('MASH/2026/1234');
      expect(config.mashReferencePattern.test(config.MASH_REFERENCE_EXAMPLE)).toBe(true);
      expect(config.MASH_CONTACT_GUIDANCE).toBe(
        'If a child may be at immediate risk of significant harm, do not wait for this meeting: contact the MASH now by telephone ' +
          '(out of hours, the Emergency Duty Team). If a child is in immediate danger, call 999.',
      );
    });

    it('has the documented confidentiality statement', () => {
      expect(config.CONFIDENTIALITY_STATEMENT).toBe(
        'Everything discussed at this meeting is confidential. It is shared only to safeguard children and to agree the right help. ' +
          'Do not record, forward or share case details outside this meeting, except with those who need to know to keep a child safe ' +
          'and in line with your agency’s information-sharing procedures.',
      );
    });
  });

  it('starts links with the port it listens on when PUBLIC_URL is unset, and with PUBLIC_URL when set', () => {
    expect(loadConfig({ PORT: '4000' }).publicUrl).toBe('http://localhost:4000');
    expect(loadConfig({ PORT: '4000', PUBLIC_URL: 'https://trm.example.org/' }).publicUrl).toBe(
      'https://trm.example.org',
    );
    expect(loadConfig({ PORT: '4000', PUBLIC_URL: 'https://trm.example.org/' }).publicHost).toBe('trm.example.org');
  });

  it('treats variables set to an empty string as unset (a blank line in .env)', () => {
    const blank = loadConfig({
      NODE_ENV: '',
      PORT: '',
      PUBLIC_URL: '',
      DATABASE_URL: '',
      SMTP_URL: '',
      TRUST_PROXY: '',
      MAIL_MAX_ATTEMPTS: '',
      SEED_DEMO_DATA: '',
      LOG_LEVEL: '',
    });
    const defaults = loadConfig({});
    expect(blank).toEqual(defaults);
  });

  it('reads values from the environment, converting numbers and booleans', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      PUBLIC_URL: 'https://thresholds.example.org/',
      DATABASE_URL: 'postgres://app:secret@db:5432/thresholds',
      SMTP_URL: 'smtps://mailer:secret@smtp.example.org:465',
      MASH_TELEPHONE: '01632 960 000',
      TRUST_PROXY: 'true',
      TRUST_PROXY_HOPS: '2',
      DATABASE_MIGRATE_ON_START: '0',
      MAIL_MAX_ATTEMPTS: '3',
    });
    expect(config.PORT).toBe(8080);
    expect(config.publicUrl).toBe('https://thresholds.example.org');
    expect(config.publicHost).toBe('thresholds.example.org');
    expect(config.databaseKind).toBe('postgres');
    expect(config.TRUST_PROXY).toBe(true);
    expect(config.TRUST_PROXY_HOPS).toBe(2);
    expect(config.DATABASE_MIGRATE_ON_START).toBe(false);
    expect(config.MAIL_MAX_ATTEMPTS).toBe(3);
  });

  it('ignores variables it does not know', () => {
    const config = loadConfig({ HOME: '/root', PATH: '/bin', PORT: '4000' });
    expect(config.PORT).toBe(4000);
    expect(config).not.toHaveProperty('HOME');
  });

  describe('refuses bad values with a ConfigError naming the variable', () => {
    it.each(['banana', '70000', '-1', '80.5', '3000abc', ' '])('PORT=%p', (value) => {
      const message = configError({ PORT: value });
      expect(message).toMatch(/^\s*PORT\b/m);
    });

    it.each([
      'localhost:3000',
      'not a url',
      'ftp://files.example.org',
      'javascript:alert(1)',
      '//thresholds.example.org',
    ])('PUBLIC_URL=%p', (value) => {
      const message = configError({ PUBLIC_URL: value });
      expect(message).toMatch(/^\s*PUBLIC_URL\b/m);
    });

    it.each([
      'mysql://root:hunter2@db.internal/thresholds',
      'hunter2',
      'sqlite:./data/x.sqlite',
      'http://user:hunter2@db.internal',
    ])('DATABASE_URL=%p', (value) => {
      const message = configError({ DATABASE_URL: value });
      expect(message).toMatch(/^\s*DATABASE_URL\b/m);
    });

    it.each(['http://mailer:hunter2@smtp.internal', 'smtp.internal:25', 'hunter2', 'mailto:someone@example.org'])(
      'SMTP_URL=%p',
      (value) => {
        const message = configError({ SMTP_URL: value });
        expect(message).toMatch(/^\s*SMTP_URL\b/m);
      },
    );

    it.each([
      ['NODE_ENV', 'staging'],
      ['SEED_DEMO_DATA', 'yes'],
      ['TRUST_PROXY', 'maybe'],
      ['TRUST_PROXY_HOPS', '0'],
      ['TRUST_PROXY_HOPS', '11'],
      ['TRUST_PROXY_HOPS', 'two'],
      ['MAIL_MAX_ATTEMPTS', '0'],
      ['MAIL_RETRY_BASE_MS', 'soon'],
      ['LOG_LEVEL', 'silly'],
      ['BOOTSTRAP_COORDINATOR_EMAIL', 'coordinator'],
    ])('%s=%p', (name, value) => {
      expect(configError({ [name]: value })).toMatch(new RegExp(`^\\s*${name}\\b`, 'm'));
    });

    it.each(['abc12', '12abc', '1 2'])('PORT=%p is shown as given, not read as a number', (value) => {
      expect(configError({ PORT: value })).toContain(`  PORT=${JSON.stringify(value)}: `);
    });

    it('gives every rule a value breaks, separated by semicolons', () => {
      expect(configError({ PORT: 'banana' })).toBe(
        'Invalid configuration:\n' +
          '  PORT="banana": PORT must not be greater than 65535; PORT must not be less than 0; PORT must be an integer number',
      );
    });

    it('MASH_REFERENCE_PATTERN by default takes the MASH’s references and nothing else', () => {
      const pattern = new RegExp(loadConfig({}).MASH_REFERENCE_PATTERN, 'i');
      for (const ok of ['MASH/2026/1234', 'MASH-2026-00123', 'CSC123456']) expect(pattern.test(ok)).toBe(true);
      for (const bad of ['943 476 5919', 'see the GP letter', '']) expect(pattern.test(bad)).toBe(false);
    });

    it('MASH_REFERENCE_PATTERN that is not a regular expression', () => {
      expect(configError({ MASH_REFERENCE_PATTERN: '([A-Z]+' })).toBe(
        'Invalid configuration:\n  MASH_REFERENCE_PATTERN="([A-Z]+": must be a regular expression',
      );
    });

    it('names every bad variable at once, one per line', () => {
      const message = configError({
        PORT: 'banana',
        PUBLIC_URL: 'nope',
        DATABASE_URL: 'mysql://x',
        SMTP_URL: 'http://x',
        LOG_LEVEL: 'loud',
      });
      for (const name of ['PORT', 'PUBLIC_URL', 'DATABASE_URL', 'SMTP_URL', 'LOG_LEVEL']) {
        expect(message).toMatch(new RegExp(`^\\s*${name}\\b`, 'm'));
      }
      expect(message.split('\n').filter((l) => l.trim()).length).toBe(6); // the heading and five variables
    });
  });

  describe('never echoes a *_URL value, which may hold credentials', () => {
    const secrets = {
      DATABASE_URL: 'mysql://thresholds:S3cretDbPass@db.internal.example/prod',
      SMTP_URL: 'http://mailer:S3cretSmtpPass@smtp.internal.example',
      PUBLIC_URL: 'ftp://admin:S3cretPublicPass@files.internal.example',
    };

    it.each(Object.entries(secrets))('%s', (name, value) => {
      const message = configError({ [name]: value });
      expect(message).toContain(name);
      expect(message).not.toContain(value);
      expect(message).not.toMatch(/S3cret|internal\.example|thresholds:|mailer:|admin:/);
    });

    it('even when the URL is valid and another variable is the bad one', () => {
      const message = configError({
        PORT: 'banana',
        DATABASE_URL: 'postgres://app:S3cretDbPass@db.internal.example/thresholds',
        SMTP_URL: 'smtp://mailer:S3cretSmtpPass@smtp.internal.example',
      });
      expect(message).toContain('PORT');
      expect(message).not.toMatch(/S3cret|internal\.example/);
    });

    it('while other values are shown, to help fix them', () => {
      expect(configError({ PORT: 'banana' })).toContain('banana');
    });

    it('nor a *_SECRET or *_TOKEN value', () => {
      const token = configError({ NODE_ENV: 'production', METRICS_TOKEN: 'tooShortT0ken' });
      expect(token).toMatch(/^\s*METRICS_TOKEN\b/m);
      expect(token).not.toContain('tooShortT0ken');
      const secret = configError({ WEB_CSRF_SECRET: 'tooShortS3cret' });
      expect(secret).toMatch(/^\s*WEB_CSRF_SECRET\b/m);
      expect(secret).not.toContain('tooShortS3cret');
    });
  });

  describe('OIDC_PROVIDERS', () => {
    const provider = {
      id: 'council',
      name: 'Council account',
      issuer: 'https://login.example/tenant/v2.0',
      clientId: 'client',
      clientSecret: 'very-secret-client-secret',
      domains: ['council.gov.uk'],
    };

    it('is read into validated providers', () => {
      const config = loadConfig({ OIDC_PROVIDERS: JSON.stringify([provider]) });
      expect(config.ssoProviders).toHaveLength(1);
      expect(config.ssoProviders[0]).toMatchObject({ ...provider, singleLogout: false });
    });

    it('gives no providers when unset', () => {
      expect(loadConfig({}).ssoProviders).toEqual([]);
    });

    it('is refused with each problem named, and never its value (it holds client secrets)', () => {
      const bad = JSON.stringify([{ ...provider, issuer: 'nowhere' }]);
      expect(() => loadConfig({ OIDC_PROVIDERS: bad })).toThrow(ConfigError);
      try {
        loadConfig({ OIDC_PROVIDERS: bad });
      } catch (err) {
        const message = (err as Error).message;
        expect(message).toContain('  OIDC_PROVIDERS: [0].issuer: must be a URL address');
        expect(message).not.toContain('very-secret-client-secret');
      }
    });
  });

  describe('values worked out from the settings', () => {
    it('drops every trailing slash of PUBLIC_URL', () => {
      expect(loadConfig({ PUBLIC_URL: 'https://trm.example.org///' }).publicUrl).toBe('https://trm.example.org');
    });

    it('writes the calendar UID domain in lower case, from CALENDAR_UID_DOMAIN or else the public host', () => {
      expect(loadConfig({ CALENDAR_UID_DOMAIN: 'Calendar.Example.ORG' }).calendarUidDomain).toBe(
        'calendar.example.org',
      );
      expect(loadConfig({ PUBLIC_URL: 'https://TRM.Example.org' }).calendarUidDomain).toBe('trm.example.org');
    });

    it('matches MASH references with the configured pattern, in any case', () => {
      const config = loadConfig({ MASH_REFERENCE_PATTERN: '^mash/\\d{4}$' });
      expect(config.mashReferencePattern.test('MASH/2026')).toBe(true);
      expect(config.mashReferencePattern.test('MASH/20261')).toBe(false);
    });

    it('reads domain lists with spaces around the commas, and none when unset', () => {
      expect(loadConfig({ AUTO_APPROVE_EMAIL_DOMAINS: ' csc.gov.test , police.test' }).autoApproveDomains).toEqual([
        'csc.gov.test',
        'police.test',
      ]);
      expect(loadConfig({}).autoApproveDomains).toEqual([]);
    });
  });

  describe('mail in production', () => {
    it('refuses to start without SMTP_URL, since the spool would write sign-in links to files and the log', () => {
      expect(configError({ NODE_ENV: 'production' })).toMatch(/SMTP_URL: must be set in production/);
    });

    it('accepts the spool outside production', () => {
      expect(loadConfig({ NODE_ENV: 'development' }).SMTP_URL).toBeUndefined();
    });
  });

  describe('the brand colour', () => {
    it('takes a #rrggbb colour dark enough for white text, and refuses others saying why', () => {
      expect(loadConfig({}).BRAND_COLOUR).toBe('#1d70b8');
      expect(loadConfig({ BRAND_COLOUR: '#4C2C92' }).BRAND_COLOUR).toBe('#4C2C92');
      expect(configError({ BRAND_COLOUR: 'purple' })).toMatch(
        /BRAND_COLOUR="purple": must be a colour written #rrggbb/,
      );
      // Yellow on white: about 1.1:1.
      expect(configError({ BRAND_COLOUR: '#ffdd00' })).toMatch(
        /BRAND_COLOUR="#ffdd00": must be dark enough for white text/,
      );
      // GOV.UK's own blue is 5.2:1; #767676 is the lightest grey at 4.5:1.
      expect(loadConfig({ BRAND_COLOUR: '#767676' }).BRAND_COLOUR).toBe('#767676');
      expect(configError({ BRAND_COLOUR: '#777777' })).toMatch(/must be dark enough/);
    });
  });

  describe('the MASH telephone number', () => {
    const PROD = { NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example.org:25' };
    it('is required in production, since a child at risk needs the number, not a search for it', () => {
      expect(configError(PROD)).toMatch(/MASH_TELEPHONE=undefined: must be set in production/);
      expect(loadConfig({ ...PROD, MASH_TELEPHONE: '+44 1632 960000' }).MASH_TELEPHONE).toBe('+44 1632 960000');
    });
    it('is optional elsewhere, and must look like a telephone number when given', () => {
      expect(loadConfig({ NODE_ENV: 'development' }).MASH_TELEPHONE).toBeUndefined();
      expect(configError({ MASH_TELEPHONE: 'ring the MASH' })).toMatch(
        /MASH_TELEPHONE="ring the MASH": must be a telephone number/,
      );
      expect(configError({ MASH_OUT_OF_HOURS_TELEPHONE: '12' })).toMatch(/MASH_OUT_OF_HOURS_TELEPHONE="12": must be a/);
      expect(loadConfig({ MASH_TELEPHONE: '(01632) 960-000' }).MASH_TELEPHONE).toBe('(01632) 960-000');
    });
  });

  describe('demo data', () => {
    const SMTP = { SMTP_URL: 'smtp://mail.example.org:25', MASH_TELEPHONE: '01632 960 000' };
    it.each([
      [{ NODE_ENV: 'production', SEED_DEMO_DATA: 'true', ...SMTP }, false],
      [{ NODE_ENV: 'production', SEED_DEMO_DATA: '1', ...SMTP }, false],
      [{ NODE_ENV: 'production', SEED_DEMO_DATA: 'TRUE', ...SMTP }, false],
      [{ NODE_ENV: 'production', ...SMTP }, false],
      [{ NODE_ENV: 'development' }, true],
      [{ NODE_ENV: 'development', SEED_DEMO_DATA: 'false' }, false],
      [{ NODE_ENV: 'development', SEED_DEMO_DATA: '0' }, false],
      [{ NODE_ENV: 'test' }, false],
      [{ NODE_ENV: 'test', SEED_DEMO_DATA: 'true' }, true],
    ])('%p → %p', (env, expected) => {
      expect(loadConfig(env as Record<string, string>).seedDemoData).toBe(expected);
    });
  });
});

describe('identifying-details settings', () => {
  it('blocks details and only warns about probable names by default', () => {
    const config = loadConfig({});
    expect(config.IDENTIFYING_DETAILS_GUARD).toBe('block');
    expect(config.IDENTIFYING_DETAILS_NAMES).toBe('warn');
  });

  it.each(['block', 'warn', 'off'])('reads IDENTIFYING_DETAILS_NAMES=%s', (value) => {
    expect(loadConfig({ IDENTIFYING_DETAILS_NAMES: value }).IDENTIFYING_DETAILS_NAMES).toBe(value);
  });

  it.each(['yes', 'BLOCK', 'warning'])('refuses IDENTIFYING_DETAILS_NAMES=%p', (value) => {
    expect(configError({ IDENTIFYING_DETAILS_NAMES: value })).toMatch(/^\s*IDENTIFYING_DETAILS_NAMES\b/m);
  });
});

describe('the settings’ conversions, on their own (class-transformer)', () => {
  const converted = (plain: Record<string, unknown>) => plainToInstance(AppConfig, plain);

  it('turn an empty value into no value', () => {
    const config = converted({ PORT: '', TRUST_PROXY: '', PUBLIC_URL: '' });
    expect(config.PORT).toBeUndefined();
    expect(config.TRUST_PROXY).toBeUndefined();
    expect(config.PUBLIC_URL).toBeUndefined();
  });

  it('keep values that are already numbers or booleans', () => {
    const config = converted({ PORT: 8080, TRUST_PROXY: true, DATABASE_MIGRATE_ON_START: false });
    expect(config.PORT).toBe(8080);
    expect(config.TRUST_PROXY).toBe(true);
    expect(config.DATABASE_MIGRATE_ON_START).toBe(false);
  });

  it('read numbers and booleans from text, and leave other text for validation to refuse', () => {
    const config = converted({ PORT: '-12', TRUST_PROXY: 'FALSE', SEED_DEMO_DATA: 'yes' });
    expect(config.PORT).toBe(-12);
    expect(config.TRUST_PROXY).toBe(false);
    expect(config.SEED_DEMO_DATA).toBe('yes');
  });
});
