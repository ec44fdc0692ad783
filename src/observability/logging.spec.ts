import pino from 'pino';
import { CASE_TEXT } from '../case-text/case-text.registry';
import { loadConfig } from '../config/app-config';
import { logFormat, redactedFieldNames, redactPaths } from './logging';

describe('log redaction', () => {
  it('covers every case-text field of the declared list, and credentials', () => {
    const names = redactedFieldNames();
    for (const column of CASE_TEXT) {
      expect(names).toContain(column.property);
      if (column.field) expect(names).toContain(column.field);
    }
    expect(names).toEqual(expect.arrayContaining(['authorization', 'cookie', 'token', 'accessToken']));
  });

  it('censors those fields at any of the first levels of a logged object', () => {
    const out: string[] = [];
    const logger = pino(
      { redact: { paths: redactPaths(), censor: '[redacted]' } },
      { write: (l: string) => out.push(l) },
    );
    logger.info(
      {
        summary: 'case text 1',
        body: { question: 'case text 2', referralQuality: { misdirectedTo: 'case text 3' } },
        req: { headers: { authorization: 'Bearer secret-1', cookie: 'sid=secret-2' } },
        deep: { a: { b: { token: 'secret-3' } } },
        kept: 'visible',
      },
      'x',
    );
    expect(out.join('')).not.toMatch(/case text|secret-/);
    expect(out.join('')).toContain('visible');
  });
});

describe('LOG_FORMAT', () => {
  it('defaults to json in production and pretty elsewhere, and can be chosen', () => {
    const base = { SMTP_URL: 'smtp://mail.example:25', MASH_TELEPHONE: '01632 960 000' };
    expect(logFormat(loadConfig({ ...base, NODE_ENV: 'production' }))).toBe('json');
    expect(logFormat(loadConfig({ NODE_ENV: 'development' }))).toBe('pretty');
    expect(logFormat(loadConfig({ NODE_ENV: 'development', LOG_FORMAT: 'json' }))).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  });
});
