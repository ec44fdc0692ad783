import type { FieldError } from '../common/domain-error';
import type { BookingKind } from '../reference-data/reference-data';
import type { ThresholdVersion } from '../reference-data/threshold-versions';
import type { RecordOutcomeDto } from './dto/outcome.dto';

const given = (v: unknown) => v !== undefined && v !== null;

/**
 * The checks on an outcome that depend on the item's kind and the levels and pathways of the
 * meeting's threshold document version (the DTO has already checked types and lengths). Returns
 * every problem at once, as field messages. Pure.
 */
export function checkOutcomeFields(
  kind: BookingKind,
  dto: RecordOutcomeDto,
  version: Pick<ThresholdVersion, 'levels' | 'pathways' | 'name'>,
): FieldError[] {
  const maxLevel = version.levels.length;
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, messages: [message] });

  if (kind === 'agency-feedback') {
    if (!given(dto.response)) add('response', 'is required: the response to the agency’s feedback');
    for (const field of ['levelAdvised', 'pathway', 'advice', 'referralQuality'] as const) {
      if (given(dto[field])) add(field, 'does not apply to agency feedback: record the response instead');
    }
    return errors;
  }

  if (!given(dto.levelAdvised)) add('levelAdvised', `is required: a level from 1 to ${maxLevel}`);
  else if (dto.levelAdvised! > maxLevel) add('levelAdvised', `must be between 1 and ${maxLevel}`);
  if (!given(dto.pathway)) add('pathway', 'is required');
  else if (!version.pathways.some((p) => p.code === dto.pathway))
    add(
      'pathway',
      `is not a pathway of ${version.name}: choose one of ${version.pathways.map((p) => p.code).join(', ')}`,
    );
  if (!given(dto.advice)) add('advice', 'is required');
  if (given(dto.response)) add('response', 'applies only to agency feedback');

  if (kind === 'referral-feedback') {
    const q = dto.referralQuality;
    if (!given(q)) add('referralQuality', 'is required for feedback on a referral');
    else {
      if (q!.complete === false && q!.issues.length === 0)
        add('referralQuality.issues', 'must name at least one issue when the referral was not complete');
      if (q!.appropriate === false && !given(q!.misdirectedTo))
        add(
          'referralQuality.misdirectedTo',
          'is required when the referral was misdirected: where should it have gone?',
        );
      if (q!.appropriate === true && given(q!.misdirectedTo))
        add('referralQuality.misdirectedTo', 'applies only when the referral was misdirected');
    }
  } else if (given(dto.referralQuality)) {
    add('referralQuality', 'applies only to feedback on a referral');
  }
  return errors;
}
