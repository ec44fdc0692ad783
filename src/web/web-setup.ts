import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import nunjucks from 'nunjucks';
import { AppConfig } from '../config/app-config';
import { STYLESHEET_PATH, stylesheet } from './styles/stylesheet';
import { ReferenceDataService } from '../reference-data/reference-data.service';
import {
  formatCalendarDate,
  formatLondonDate,
  formatLondonDateTime,
  formatLondonTime,
} from '../scheduling/london-format';
import { csrfMiddleware } from './csrf';
import type { MeetingSeries } from '../meetings/meeting-series.entity';
import { howOften } from '../meetings/meeting.views';
import { govukFrontendDist, viewsDir } from './web-paths';

/** A fresh nonce per response, for the CSP and the pages' two inline scripts. Runs before helmet. */
export function cspNonceMiddleware(_req: Request, res: Response, next: NextFunction): void {
  res.locals.cspNonce = randomBytes(16).toString('base64');
  next();
}

/** helmet's script-src entry: this response's nonce (no 'unsafe-inline'). */
export function scriptNonceSource(_req: IncomingMessage, res: ServerResponse): string {
  return `'nonce-${(res as Response).locals.cspNonce}'`;
}

/**
 * The pages: cookies, CSRF protection, the Nunjucks views (GOV.UK Frontend's templates on the
 * search path) and GOV.UK Frontend's assets at /assets. Call after the body parsers are
 * registered: the CSRF check reads the form's `_csrf` field from the parsed body.
 */
export function configureWebPages(app: NestExpressApplication): void {
  const config = app.get(AppConfig);
  const referenceData = app.get(ReferenceDataService);
  app.use(cookieParser());
  app.use(csrfMiddleware(config));

  const dist = govukFrontendDist();
  // The stylesheet, compiled from GOV.UK Frontend's Sass with the system fonts and the brand
  // colour; GOV.UK's fonts and crown images are not served (they are for GOV.UK services only).
  // Compiled on first use (tests rarely ask for it), or at start-up in production.
  if (config.isProduction) void stylesheet(config.BRAND_COLOUR).catch(() => undefined);
  app.use(STYLESHEET_PATH, (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    stylesheet(config.BRAND_COLOUR).then((sheet) => {
      res.setHeader('Cache-Control', 'public, max-age=3600');
      res.setHeader('ETag', sheet.etag);
      if (req.headers['if-none-match'] === sheet.etag) return void res.status(304).end();
      res.type('text/css').send(sheet.css);
    }, next);
  });
  // The session timeout warning's script (views/assets).
  const timeoutScript = join(viewsDir(), 'assets', 'session-timeout.js');
  app.use('/assets/session-timeout.js', (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    res.sendFile(timeoutScript, { maxAge: '1h', headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
  });
  // GOV.UK Frontend's ES module (exporting initAll), and nothing else of the package.
  const script = join(dist, 'govuk', 'govuk-frontend.min.js');
  app.use('/assets/govuk-frontend.min.js', (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    res.sendFile(script, { maxAge: '1h' });
  });

  configureViews(app, config, referenceData);
}

/**
 * The Nunjucks views alone (search path, globals, filters): the pages use it through
 * configureWebPages, and the benchmark's bare NestJS app uses it to render the same templates.
 */
export function configureViews(
  app: NestExpressApplication,
  config: AppConfig,
  referenceData: ReferenceDataService,
): void {
  const env = nunjucks.configure([viewsDir(), govukFrontendDist()], {
    autoescape: true,
    express: app.getHttpAdapter().getInstance(),
    noCache: config.NODE_ENV === 'development',
  });
  app.setViewEngine('njk');

  env.addGlobal('serviceName', config.SERVICE_NAME);
  env.addGlobal('partnership', {
    name: config.PARTNERSHIP_NAME,
    email: config.PARTNERSHIP_CONTACT_EMAIL,
    phone: config.PARTNERSHIP_CONTACT_PHONE ?? null,
  });
  // Levels and pathways are not global: they belong to a threshold document version, so a page
  // that offers or labels them is given its meeting's version (`thresholds`) or uses the filters.
  const { levels: _levels, pathways: _pathways, ...vocabularies } = referenceData.data;
  env.addGlobal('referenceData', vocabularies);
  env.addGlobal('accessibilityStatementDate', formatCalendarDate(config.ACCESSIBILITY_STATEMENT_DATE));

  // A summary list row's "Change" link (with the answer named for screen readers), or none.
  env.addGlobal('changeActions', (show: boolean, href: string, what: string) =>
    show ? { items: [{ href, text: 'Change', visuallyHiddenText: what }] } : undefined,
  );

  // Every time on a page is Europe/London wall-clock time, whatever the server's zone.
  env.addFilter('dateTime', (d: Date | string) => formatLondonDateTime(new Date(d)));
  env.addFilter('date', (d: Date | string) => formatLondonDate(new Date(d)));
  env.addFilter('time', (d: Date | string) => formatLondonTime(new Date(d)));
  // A calendar date as GOV.UK writes it: "9 December 2026".
  env.addFilter('calendarDate', (d: string | null | undefined) => (d ? formatCalendarDate(d) : ''));
  // A series' rule in words: "Every 2 weeks", "First Tuesday of every month".
  env.addFilter(
    'howOften',
    (s: Pick<MeetingSeries, 'recurrence' | 'intervalWeeks' | 'firstMeetingDate'>) => howOften(s).recurrenceText,
  );
  env.addFilter(
    'label',
    (code: unknown, list: Array<{ code: string; label: string }>) =>
      list.find((x) => x.code === code)?.label ?? (typeof code === 'string' ? code : ''),
  );
  // A level's or a pathway's label in its threshold document version:
  // `level | levelLabel(record.thresholdVersion)`, `pathway | pathwayLabel(outcome.thresholdVersion)`.
  // The version is required (null is a record made before versions were kept), so no page can
  // label a level or a pathway by the wrong document.
  const versioned =
    <T extends number | string>(
      filter: string,
      isValue: (v: unknown) => v is T,
      label: (value: T, versionId: string | null) => string | undefined,
    ) =>
    (value: unknown, versionId: unknown) => {
      if (versionId === undefined) throw new Error(`${filter} needs the record’s thresholdVersion`);
      if (!isValue(value)) return '';
      return label(value, typeof versionId === 'string' ? versionId : null) ?? String(value);
    };
  env.addFilter(
    'levelLabel',
    versioned(
      'levelLabel',
      (v): v is number => typeof v === 'number',
      (value, version) => referenceData.levelLabel(value, version),
    ),
  );
  env.addFilter(
    'pathwayLabel',
    versioned(
      'pathwayLabel',
      (v): v is string => typeof v === 'string',
      (code, version) => referenceData.pathwayLabel(code, version),
    ),
  );
  // An audit event's details in words: "changed: name, sector · meetingsMoved: 3" (identifiers and counts only).
  env.addFilter('auditDetails', (details: Record<string, unknown> | null | undefined) =>
    details
      ? Object.entries(details)
          .map(
            ([k, v]) =>
              `${k}: ${Array.isArray(v) ? v.join(', ') : v && typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
          )
          .join(' · ')
      : '',
  );
  env.addFilter('number', (n: number) => n.toLocaleString('en-GB'));
}
