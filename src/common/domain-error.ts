/**
 * A rule of the service was broken. Services throw these; the global filter turns them into the
 * one error shape `{ statusCode, code, message, details? }`. Messages are written for the person
 * reading them and never contain case text, tokens or stack traces.
 */
export class DomainError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string): DomainError {
    return new DomainError(404, 'NOT_FOUND', `${what} was not found.`);
  }

  static forbidden(message = 'You do not have permission to do that.'): DomainError {
    return new DomainError(403, 'FORBIDDEN', message);
  }

  static conflict(code: string, message: string, details?: unknown): DomainError {
    return new DomainError(409, code, message, details);
  }

  static unprocessable(code: string, message: string, details?: unknown): DomainError {
    return new DomainError(422, code, message, details);
  }
}

export interface FieldError {
  field: string;
  messages: string[];
}

export function validationFailed(details: FieldError[]): DomainError {
  return new DomainError(400, 'VALIDATION_FAILED', 'Some fields are missing or invalid.', details);
}
