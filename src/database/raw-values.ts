/**
 * Raw query values differ between the engines: SQLite returns booleans as 0/1, instants as UTC
 * text ('2026-07-01 09:30:00.000') and JSON columns as text; PostgreSQL returns booleans, Dates and
 * (for `simple-json`, stored as text) text as well. These read either.
 */
export function toBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't' || value === 'true';
}

/** A boolean column that may be null. */
export function toNullableBoolean(value: unknown): boolean | null {
  return value === null || value === undefined ? null : toBoolean(value);
}

export function toInstant(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  // TypeORM's SQLite format has no zone: it is UTC.
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

export function parseJsonList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string' || value === '') return [];
  const parsed: unknown = JSON.parse(value);
  return Array.isArray(parsed) ? parsed.map(String) : [];
}
