import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { Logger, Params, PARAMS_PROVIDER_TOKEN, PinoLogger } from 'nestjs-pino';
import pino, { DestinationStream, Level } from 'pino';
import pinoPretty from 'pino-pretty';
import { CASE_TEXT } from '../case-text/case-text.registry';
import { AppConfig } from '../config/app-config';

/** Where log lines go: stdout unless a test hands in its own stream. */
export const LOG_STREAM = Symbol('LOG_STREAM');

/** The X-Request-Id we accept from a trusted proxy: short, plain characters (never logged otherwise). */
const INCOMING_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const NEST_TO_PINO: Record<AppConfig['LOG_LEVEL'], Level> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

export function logFormat(config: AppConfig): 'json' | 'pretty' {
  return config.LOG_FORMAT ?? (config.isProduction ? 'json' : 'pretty');
}

/**
 * Field names never written to a log, wherever they appear in a logged object: credentials, and
 * every case-text field by the one declared list (its properties and the request fields they come
 * from). The request line itself carries no headers, URL or body; this is the second lock.
 */
export function redactedFieldNames(): string[] {
  const names = new Set<string>([
    'authorization',
    'cookie',
    'set-cookie',
    'token',
    'accessToken',
    'password',
    'secret',
  ]);
  for (const column of CASE_TEXT) {
    names.add(column.property);
    if (column.field) names.add(column.field);
  }
  return [...names];
}

/** pino redact paths for those names, at the top level and up to three objects deep. */
export function redactPaths(): string[] {
  const quote = (segment: string) => (/^[A-Za-z_$][\w$]*$/.test(segment) ? `.${segment}` : `["${segment}"]`);
  return redactedFieldNames().flatMap((name) => {
    const path = name.split('.').map(quote).join('');
    return [path.replace(/^\./, ''), `*${path}`, `*.*${path}`, `*.*.*${path}`];
  });
}

/** The path Nest mounts every-route middleware on (nestjs-pino's among them). */
export const MIDDLEWARE_ROUTE = '/{*path}';

/** The route pattern a request matched (`/api/meetings/:id`), never its URL (tokens live in URLs). */
export function routePattern(req: IncomingMessage): string {
  const r = req as IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };
  const path = r.route?.path;
  // The request logger's own catch-all (Nest mounts middleware as a route) is no route of the service.
  if (typeof path === 'string' && path !== MIDDLEWARE_ROUTE) return `${r.baseUrl ?? ''}${path}` || '/';
  return '(unmatched)';
}

/** The request's id: the trusted proxy's X-Request-Id when TRUST_PROXY is set, else a new UUID; echoed in the response. */
export function requestIdFor(config: AppConfig) {
  return (req: IncomingMessage, res: ServerResponse): string => {
    const incoming = req.headers['x-request-id'];
    const id =
      config.TRUST_PROXY && typeof incoming === 'string' && INCOMING_REQUEST_ID.test(incoming)
        ? incoming
        : randomUUID();
    res.setHeader('X-Request-Id', id);
    return id;
  };
}

export function createLogStream(config: AppConfig): DestinationStream {
  if (logFormat(config) === 'pretty') {
    return pinoPretty({
      colorize: Boolean(process.stdout.isTTY),
      // ISO-style local time with its offset (e.g. +0100 in summer), so a line is never ambiguous.
      translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l o',
      ignore: 'pid,hostname,service,context',
      messageFormat: '{if context}[{context}] {end}{msg}',
      singleLine: true,
      messageKey: 'msg',
      sync: true,
    });
  }
  return pino.destination({ dest: 1, sync: true });
}

export function loggerParams(config: AppConfig, stream: DestinationStream): Params {
  return {
    pinoHttp: [
      {
        level: NEST_TO_PINO[config.LOG_LEVEL],
        base: { service: 'thresholds' },
        timestamp: pino.stdTimeFunctions.isoTime,
        redact: { paths: redactPaths(), censor: '[redacted]' },
        genReqId: requestIdFor(config),
        // Every line has a reqId: the request's inside one, null outside (jobs, the outbox, start-up).
        mixin: (_obj: object, _level: number, logger: pino.Logger) =>
          'reqId' in logger.bindings() ? {} : { reqId: null },
        // Lines logged while a request runs carry only its id; the request line is built below.
        quietReqLogger: true,
        quietResLogger: true,
        customLogLevel: (_req, res, err) =>
          err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
        customSuccessMessage: () => 'request',
        customErrorMessage: () => 'request',
        customSuccessObject: (req, res, val: { responseTime: number }) => requestLine(req, res, val.responseTime),
        customErrorObject: (req, res, _err, val: { responseTime: number }) => requestLine(req, res, val.responseTime),
        // Never the default serializers: they log the URL and every header.
        serializers: { req: () => undefined, res: () => undefined, err: pino.stdSerializers.err },
      },
      stream,
    ],
  };
}

function requestLine(req: IncomingMessage, res: ServerResponse, responseTime: number) {
  return { method: req.method, route: routePattern(req), status: res.statusCode, durationMs: responseTime };
}

/** Nest's chatter at start-up (every module, every mapped route): debug, not the log level. */
const START_UP_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

/**
 * Nest's LoggerService over pino. Lines outside a request carry `reqId: null`, so every line has
 * the field; lines inside one carry the request's id (nestjs-pino's request-scoped child logger).
 */
@Injectable()
export class AppLogger extends Logger {
  constructor(logger: PinoLogger, @Inject(PARAMS_PROVIDER_TOKEN) params: Params) {
    super(logger, params);
  }

  log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams[optionalParams.length - 1];
    if (typeof context === 'string' && START_UP_CONTEXTS.has(context)) {
      super.debug(message, ...optionalParams);
      return;
    }
    super.log(message, ...optionalParams);
  }
}
