import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import compression from 'compression';
import helmet from 'helmet';
import { ErrorFilter } from './common/error.filter';
import { requestContextMiddleware } from './common/request-context';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';
import { AppLogger } from './observability/logging';
import { Metrics } from './observability/metrics';
import { ErrorPages } from './web/error-pages';
import { configureWebPages, cspNonceMiddleware, scriptNonceSource } from './web/web-setup';

export const BODY_LIMIT = '100kb';

/** No request body of this service nests deeper; deeper JSON is refused before it is parsed. */
export const MAX_JSON_DEPTH = 32;

/**
 * Body-parser `verify` hook: counts the nesting of the raw JSON (outside strings) and refuses a
 * body nested deeper than MAX_JSON_DEPTH with 400, before parsing and validation could recurse
 * through it (which ended in a 500 and a stack trace).
 */
export function refuseDeepJson(_req: unknown, _res: unknown, buf: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH)
        throw Object.assign(new Error('JSON nested too deeply'), { status: 400, type: 'entity.too.deep' });
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

/** Everything the HTTP layer needs, shared by main.ts and the e2e tests. */
export function configureApp(app: NestExpressApplication): void {
  const config = app.get(AppConfig);
  app.useLogger(app.get(AppLogger));
  if (config.TRUST_PROXY) app.set('trust proxy', config.TRUST_PROXY_HOPS);
  app.disable('x-powered-by');
  app.use(cspNonceMiddleware);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // Scripts from this origin only (Swagger UI's, GOV.UK Frontend's module at /assets), plus
          // the pages' inline scripts carrying this response's nonce; never 'unsafe-inline'.
          scriptSrc: ["'self'", scriptNonceSource],
          // Swagger UI at /api/docs needs inline styles and its own scripts.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  app.use(requestContextMiddleware);
  app.use(app.get(Metrics).httpMiddleware);
  // Calendar feeds are polled often and compress well (80 KB → 6 KB): gzip or deflate when the
  // client asks (Google and Outlook do). Only there: pages and the API are small.
  app.use('/calendar', compression());
  app.useBodyParser('json', { limit: BODY_LIMIT, verify: refuseDeepJson });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  // After the body parsers: the CSRF check reads the forms' `_csrf` field.
  configureWebPages(app);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter(new ErrorPages(config)));
  app.enableShutdownHooks();
  setUpOpenApi(app);
}

function setUpOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Thresholds')
      .setDescription(
        'Bookings, calendars, outcomes and minutes for the multi-agency Thresholds and Referrals Meeting. ' +
          'Errors always have the shape { statusCode, code, message, details? }.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
