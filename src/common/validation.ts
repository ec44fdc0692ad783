import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, validationFailed } from './domain-error';

/** Flattens class-validator's tree into `[{ field: 'a.b[0].c', messages }]`. */
export function toFieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = /^\d+$/.test(error.property)
      ? `${prefix}[${error.property}]`
      : prefix
        ? `${prefix}.${error.property}`
        : error.property;
    if (error.constraints) {
      out.push({ field, messages: Object.values(error.constraints).map((m) => humanise(m, error)) });
    }
    if (error.children?.length) out.push(...toFieldErrors(error.children, field));
  }
  return out;
}

// class-validator's "property x should not exist" names the field already; keep its words but
// make the whitelist message plain.
function humanise(message: string, error: ValidationError): string {
  if (message === `property ${error.property} should not exist`) return 'is not a recognised field';
  return message;
}

/** Strict input: unknown fields are rejected, types are converted only where declared. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(toFieldErrors(errors)),
  });
}
