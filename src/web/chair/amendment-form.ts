import { DomainError } from '../../common/domain-error';
import { AmendMinutesDto } from '../../minutes/dto/minutes.dto';
import { errorsFromDomain, errorsFromValidation, FieldCopy, FormCopy, FormErrors } from '../forms/form-errors';
import { checkWith, FormBody, integer, text } from '../forms/form-input';

/**
 * Once the minutes are approved, the pages that record them (an item's outcome, attendance,
 * actions, the themes note) amend them instead: the same form with a reason, sent through
 * MinutesService.amend as POST /api/meetings/:id/minutes/amendments. This file holds what those
 * pages share: the reason's words and rules, and the service's refusals in the form's words.
 */

export const REASON_COPY: FieldCopy = {
  label: 'The reason for the amendment',
  id: 'reason',
  required: 'Enter the reason for the amendment',
  invalid: 'The reason must be on one line',
  inWords: 'the reason',
};

/** After an amendment, `?amended=7`: only a version number is ever shown back from the URL. */
export function versionShown(value: string | undefined): number | undefined {
  return value && /^\d{1,6}$/.test(value) ? Number(value) : undefined;
}

/** What an amendment form posts besides its change: the reason, and the minutes' version it was opened on. */
export interface AmendmentFields {
  reason: string;
  /** Only where a change could overwrite another amendment's (attendance, the note). */
  version?: number;
}

/**
 * The reason (AmendMinutesDto's rules) and the minutes' version the form was opened on
 * (`minutesVersion`). On a page that records the minutes (`recordingPage`), a form without a
 * version was opened before approval: it is told the minutes were approved meanwhile and asked for
 * a reason, and nothing is saved.
 */
export async function amendmentFrom(
  fields: FormBody,
  opts: { checkVersion: boolean; recordingPage: boolean },
): Promise<{ value: AmendmentFields; errors: FormErrors }> {
  const opened = integer(text(fields, 'minutesVersion'));
  const dto: Record<string, unknown> = { reason: text(fields, 'reason') };
  if (opts.checkVersion && opened !== undefined) dto.version = opened;
  const checked = await checkWith(AmendMinutesDto, dto);
  let errors = errorsFromValidation(checked.errors, dto, { reason: REASON_COPY });
  if (opts.recordingPage && opened === undefined) {
    errors = new FormErrors([
      {
        field: '',
        text: 'The minutes were approved while you had this page open, so nothing was saved. To change them now, give a reason for the amendment and save again.',
        href: '#reason',
      },
      ...errors.items.filter((e) => e.field !== 'reason'),
    ]);
  }
  return { value: checked.value as AmendmentFields, errors };
}

/**
 * A refused amendment in the form's words. The service names the change's fields inside the
 * amendment (`outcomes[0].advice`, `attendance[2].name`, `actions[0].dueDate`): `prefix` is taken
 * off, so the form's own copy finds them.
 */
export function amendmentErrors(err: DomainError, copy: FormCopy, prefix: string): FormErrors {
  const fielded = err.code === 'VALIDATION_FAILED' || err.code === 'IDENTIFYING_DETAILS';
  const unprefixed =
    fielded && Array.isArray(err.details)
      ? new DomainError(
          err.statusCode,
          err.code,
          err.message,
          (err.details as Array<{ field: string }>).map((d) => ({
            ...d,
            field: d.field.startsWith(`${prefix}.`)
              ? d.field.slice(prefix.length + 1)
              : d.field.startsWith(prefix)
                ? d.field.slice(prefix.length)
                : d.field,
          })),
        )
      : err;
  return errorsFromDomain(unprefixed, { ...copy, reason: REASON_COPY }, { fallbackField: 'reason' });
}
