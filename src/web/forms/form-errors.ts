import type { ValidationError } from 'class-validator';
import { DomainError, FieldError } from '../../common/domain-error';
import { describeFinding, IdentifyingDetailKind } from '../../identifying-details/identifying-details.detector';

/** How a form names one of its fields to the person filling it in (the words, not the rules). */
export interface FieldCopy {
  /** "Your question": starts a sentence such as "Your question must be 1,000 characters or fewer". */
  label: string;
  /** The id of the input to link to from the error summary (radios and checkboxes: the first option's id). */
  id: string;
  /** The page the field is on, when the error is shown elsewhere (check your answers). */
  page?: string;
  /** When nothing was given, e.g. "Enter your question". */
  required: string;
  /** Instead of the rule's own words when the value was given but is not allowed. */
  invalid?: string;
  /** "your question": for "In your question: remove the postcode". */
  inWords?: string;
  /** Instead of a service's words when it refuses the value (e.g. an unknown category). */
  refused?: string;
}

export type FormCopy = Record<string, FieldCopy>;

export interface ErrorItem {
  field: string;
  /** In the error summary at the top of the page. */
  text: string;
  href: string;
  /** Beside the field, when it should read differently there (it already names the field). */
  inline?: string;
}

/** The errors of one form: the GOV.UK error summary (linking to each field) and each field's message. */
export class FormErrors {
  constructor(
    readonly items: ErrorItem[] = [],
    /** The service's refusal these errors came from, if any (its code and details). */
    readonly refusal?: DomainError,
  ) {}

  get any(): boolean {
    return this.items.length > 0;
  }

  /** For a component's `errorMessage`: all of this field's messages, or undefined. */
  message(field: string): { text: string } | undefined {
    const texts = this.items.filter((i) => i.field === field).map((i) => i.inline ?? i.text);
    return texts.length ? { text: texts.join(' ') } : undefined;
  }

  /** For govukErrorSummary's errorList. */
  get list(): Array<{ text: string; href: string }> {
    return this.items.map(({ text, href }) => ({ text, href }));
  }

  add(items: ErrorItem[]): FormErrors {
    return new FormErrors([...this.items, ...items]);
  }

  /** Only the errors of these fields (a page checks the answers it asks for). */
  only(fields: string[]): FormErrors {
    return new FormErrors(this.items.filter((i) => fields.includes(i.field.split('.')[0])));
  }
}

const NUMBER = /(\d+)/;

function href(copy: FieldCopy | undefined, field: string, linkToPage: boolean): string {
  if (!copy && !field) return ''; // an error about the whole form: shown without a link
  const id = copy?.id ?? field.replace(/[^A-Za-z0-9_-]/g, '-');
  return linkToPage && copy?.page ? `${copy.page}#${id}` : `#${id}`;
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** class-validator's words without the property name it starts with ("question must be …" → "must be …"). */
function ruleWords(error: ValidationError, message: string): string {
  return message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message;
}

/** `attendees.2.name` in what was submitted. */
function valueAt(input: Record<string, unknown>, field: string): unknown {
  return field
    .split('.')
    .reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), input);
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * class-validator's errors as GOV.UK error messages: "Enter …" when nothing was given, lengths
 * in plain words, otherwise the field's own words or the rule's. `input` is what was submitted,
 * to tell a missing answer from a wrong one. One message per field.
 */
export function errorsFromValidation(
  errors: ValidationError[],
  input: Record<string, unknown>,
  copy: FormCopy,
  opts: { linkToPage?: boolean; prefix?: string } = {},
): FormErrors {
  const items: ErrorItem[] = [];
  const visit = (error: ValidationError, path: string) => {
    const field = path ? `${path}.${error.property}` : error.property;
    const c = copy[field] ?? copy[error.property];
    if (error.constraints && Object.keys(error.constraints).length) {
      const [rule, message] = Object.entries(error.constraints)[0];
      const value = valueAt(input, field);
      const label = c?.label ?? capitalise(error.property);
      let text: string;
      if (isMissing(value)) text = c?.required || `Enter ${label.toLowerCase()}`;
      else if (rule === 'maxLength')
        text = `${label} must be ${Number(NUMBER.exec(message)?.[1]).toLocaleString('en-GB')} characters or fewer`;
      else if (rule === 'minLength')
        text = `${label} must be ${Number(NUMBER.exec(message)?.[1]).toLocaleString('en-GB')} characters or more`;
      else if (rule === 'arrayMaxSize')
        text = `Select no more than ${NUMBER.exec(message)?.[1]} options for ${label.toLowerCase()}`;
      else text = c?.invalid ?? `${label} ${ruleWords(error, message)}`;
      items.push({ field, text, href: href(c, field, opts.linkToPage ?? false) });
    }
    for (const child of error.children ?? []) visit(child, field);
  };
  for (const error of errors) visit(error, opts.prefix ?? '');
  return new FormErrors(items);
}

interface Finding {
  field: string;
  kind: IdentifyingDetailKind;
}

/**
 * A service's refusal as form errors:
 * - VALIDATION_FAILED: each field's messages, in the field's words;
 * - IDENTIFYING_DETAILS: for each field and kind of detail, what to remove (describeFinding),
 *   never the text that matched;
 * - anything else: the error's own message (written for the reader), linked to `fallbackField`.
 */
export function errorsFromDomain(
  err: DomainError,
  copy: FormCopy,
  opts: { linkToPage?: boolean; fallbackField?: string } = {},
): FormErrors {
  const linkToPage = opts.linkToPage ?? false;
  if (err.code === 'VALIDATION_FAILED' && Array.isArray(err.details)) {
    return new FormErrors(
      (err.details as FieldError[]).map((d) => {
        const c = copy[d.field];
        // Services say "is required…" when an answer is needed for this case (e.g. for this kind of item).
        // Stryker disable next-line StringLiteral: equivalent: with no message, neither '' nor any other fallback without "is required" at its start matches
        const missing = /^is required/.test(d.messages[0] ?? '');
        const text =
          (missing ? c?.required : c?.refused) || `${c?.label ?? capitalise(d.field)} ${d.messages.join('; ')}`;
        return { field: d.field, text, href: href(c, d.field, linkToPage) };
      }),
    );
  }
  if (err.code === 'IDENTIFYING_DETAILS' && Array.isArray(err.details)) {
    const seen = new Set<string>();
    const items: ErrorItem[] = [];
    for (const f of err.details as Finding[]) {
      const key = `${f.field}|${f.kind}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const c = copy[f.field];
      const advice = describeFinding(f.kind);
      const where = c?.inWords ?? c?.label.toLowerCase() ?? f.field;
      items.push({
        field: f.field,
        text: `In ${where}: ${advice.charAt(0).toLowerCase()}${advice.slice(1)}`,
        inline: advice,
        href: href(c, f.field, linkToPage),
      });
    }
    return new FormErrors(items);
  }
  const field = opts.fallbackField ?? '';
  const c = copy[field];
  return new FormErrors([{ field, text: err.message, href: href(c, field, linkToPage) }], err);
}

/**
 * Runs `work`; a refusal the person can act on in the form (400, 409, 422…) becomes form errors.
 * 401, 403 and 404 are thrown on to their own pages, as is anything unexpected.
 */
export async function formAttempt<T>(
  work: () => Promise<T>,
  toErrors: (err: DomainError) => FormErrors | null,
): Promise<{ ok: true; value: T } | { ok: false; errors: FormErrors }> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    if (err instanceof DomainError && err.statusCode < 500 && ![401, 403, 404].includes(err.statusCode)) {
      const errors = toErrors(err);
      if (errors) return { ok: false, errors };
    }
    throw err;
  }
}
