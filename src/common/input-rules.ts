/** Shared rules for request fields, so every DTO trims, normalises and refuses in the same way. */

type TransformArg = { value: unknown };

export const trim = ({ value }: TransformArg) => (typeof value === 'string' ? value.trim() : value);

export const trimLower = ({ value }: TransformArg) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export const trimLowerEach = ({ value }: TransformArg) =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v)) : value;

/**
 * Printable text on one line: no control characters (so no CR/LF header injection via names) and
 * no Unicode line or paragraph separators (U+2028, U+2029), which many readers show as line breaks.
 */
export const SINGLE_LINE = /^[^\p{Cc}\p{Zl}\p{Zp}]*$/u;
export const SINGLE_LINE_MESSAGE = 'must be on one line, without control characters';

/** A calendar date 'YYYY-MM-DD' (whether it is a real date is checked where it is used). */
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A wall-clock time 'HH:mm'. */
export const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
