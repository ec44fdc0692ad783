import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from './domain-error';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
}

const CODES_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

const FIXED_MESSAGES: Record<number, string> = {
  400: 'The request could not be read.',
  404: 'Not found.',
  429: 'Too many requests. Wait a few minutes and try again.',
};

/** Turns anything thrown into the one error shape. Unexpected errors are logged, never shown. */
export function toErrorBody(exception: unknown, logger?: Logger): ErrorBody {
  if (exception instanceof DomainError) {
    const body: ErrorBody = { statusCode: exception.statusCode, code: exception.code, message: exception.message };
    if (exception.details !== undefined) body.details = exception.details;
    return body;
  }
  if (exception instanceof HttpException) {
    const statusCode = exception.getStatus();
    // Nest turns the JSON parser's SyntaxError into a 400 whose message quotes the body, which
    // may hold case text: answer with fixed words instead of echoing it.
    if (statusCode === 400 && /JSON/.test(exception.message)) {
      return { statusCode, code: 'INVALID_JSON', message: 'The request body is not valid JSON.' };
    }
    return {
      statusCode,
      code: CODES_BY_STATUS[statusCode] ?? 'ERROR',
      message: FIXED_MESSAGES[statusCode] ?? exception.message,
    };
  }
  // Errors raised by Express's body parser carry a status and a type.
  const parserError = exception as { status?: number; type?: string };
  if (parserError?.type === 'entity.too.large') {
    return { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' };
  }
  if (parserError?.type === 'entity.too.deep') {
    return { statusCode: 400, code: 'INVALID_JSON', message: 'The request body is nested too deeply.' };
  }
  if (parserError?.type === 'entity.parse.failed') {
    return { statusCode: 400, code: 'INVALID_JSON', message: 'The request body is not valid JSON.' };
  }
  if (typeof parserError?.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
    return {
      statusCode: parserError.status,
      code: CODES_BY_STATUS[parserError.status] ?? 'BAD_REQUEST',
      message: 'The request could not be read.',
    };
  }
  const err = exception as Error;
  logger?.error(`Unexpected error: ${err?.message ?? String(exception)}`, err?.stack);
  return {
    statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
    code: 'INTERNAL_ERROR',
    message: 'Something went wrong. Try again later.',
  };
}

/** Shows an error as a web page instead of JSON, for the requests it handles (see src/web/error-pages.ts). */
export interface ErrorPageRenderer {
  handles(req: Request): boolean;
  render(req: Request, res: Response, error: ErrorBody): void;
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly pages?: ErrorPageRenderer) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = toErrorBody(exception, this.logger);
    if (res.headersSent) return;
    const req = host.switchToHttp().getRequest<Request>();
    if (this.pages?.handles(req)) return this.pages.render(req, res, body);
    res.status(body.statusCode).json(body);
  }
}
