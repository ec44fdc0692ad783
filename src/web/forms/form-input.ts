import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { CSRF_FIELD } from '../csrf';

/** A parsed urlencoded form: repeated names (checkboxes) arrive as arrays. */
export type FormBody = Record<string, string | string[] | undefined>;

/** The form's fields without the CSRF token. */
export function formFields(body: unknown): FormBody {
  const fields: FormBody = {};
  if (!body || typeof body !== 'object') return fields;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (name === CSRF_FIELD) continue;
    if (typeof value === 'string') fields[name] = value;
    else if (Array.isArray(value)) fields[name] = value.filter((v): v is string => typeof v === 'string');
  }
  return fields;
}

/** One text field; an empty box is "not answered" (undefined), as the DTOs' optional fields expect. */
export function text(body: FormBody, name: string): string | undefined {
  const value = body[name];
  const single = Array.isArray(value) ? value[0] : value;
  return single === undefined || single.trim() === '' ? undefined : single;
}

/** Checkboxes: every ticked value. */
export function list(body: FormBody, name: string): string[] {
  const value = body[name];
  return value === undefined ? [] : (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
}

/**
 * A whole number typed or chosen in a form. Anything else is passed on as typed, so that the
 * DTO's own @IsInt() refuses it with its message.
 */
export function integer(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return /^\s*-?\d{1,9}\s*$/.test(value) ? Number(value) : value;
}

/** Yes/no radios ("yes" / "no"); anything else is unanswered. */
export function yesNo(value: string | undefined): boolean | undefined {
  return value === 'yes' ? true : value === 'no' ? false : undefined;
}

/**
 * A GOV.UK date input (day, month, year boxes) as 'YYYY-MM-DD'. Nothing typed: undefined; an
 * incomplete or non-numeric date is passed on as typed so that validation refuses it.
 */
export function dateFromParts(body: FormBody, name: string): string | undefined {
  const day = text(body, `${name}-day`)?.trim();
  const month = text(body, `${name}-month`)?.trim();
  const year = text(body, `${name}-year`)?.trim();
  if (!day && !month && !year) return undefined;
  if (day && month && year && /^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year)) {
    return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  }
  return `${year ?? ''}-${month ?? ''}-${day ?? ''}`;
}

/** 'YYYY-MM-DD' → the three boxes of a date input, for showing an answer again. */
export function dateParts(value: string | undefined): { day: string; month: string; year: string } {
  const [year = '', month = '', day = ''] = (value ?? '').split('-');
  return { day: day.replace(/^0/, ''), month: month.replace(/^0/, ''), year };
}

export interface Checked<T> {
  /** The DTO after its transforms (trimmed text and so on). */
  value: T;
  errors: ValidationError[];
}

/**
 * Validates a form's answers with the API's own DTO (class-validator), so the pages and the API
 * share every rule. `fields` limits the errors to those a page asks about.
 */
export async function checkWith<T extends object>(
  dto: new () => T,
  plain: Record<string, unknown>,
  fields?: string[],
): Promise<Checked<T>> {
  const value = plainToInstance(dto, plain);
  const errors = await validate(value, { validationError: { target: false, value: false } });
  return { value, errors: fields ? errors.filter((e) => fields.includes(e.property)) : errors };
}
