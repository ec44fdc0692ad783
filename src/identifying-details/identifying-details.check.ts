import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/domain-error';
import { checkFields, describeFinding, FieldFinding } from './identifying-details.detector';

export interface IdentifyingDetailWarning extends FieldFinding {
  message: string;
}

/**
 * Applies the deployment's policy (IDENTIFYING_DETAILS_GUARD) to free text before it is stored:
 * `block` refuses it with 422 IDENTIFYING_DETAILS, `warn` lets it through and returns the
 * findings, `off` does nothing. Findings carry positions and kinds, never the matched text.
 *
 * Probable names follow IDENTIFYING_DETAILS_NAMES: under `warn` (the default) a name never blocks
 * on its own and is returned like a warning; under `block` it blocks like any other kind; under
 * `off` names are not looked for. When something else blocks, the refusal lists the names too,
 * so the practitioner can fix everything in one go.
 */
@Injectable()
export class IdentifyingDetailsCheck {
  constructor(private readonly config: AppConfig) {}

  /**
   * `options.names: false` is for fields that hold professionals' names by design (an action's
   * owner, an attendee): they are still checked for every other kind of detail.
   */
  inspect(
    fields: Record<string, string | null | undefined>,
    options: { names?: boolean } = {},
  ): IdentifyingDetailWarning[] {
    if (this.config.IDENTIFYING_DETAILS_GUARD === 'off') return [];
    // Stryker disable next-line StringLiteral: loadConfig always sets IDENTIFYING_DETAILS_NAMES (default warn); the fallback is never reached
    const names = options.names === false ? 'off' : (this.config.IDENTIFYING_DETAILS_NAMES ?? 'warn');
    const findings = checkFields(fields, { names: names !== 'off' }).map((f) => ({
      ...f,
      message: describeFinding(f.kind),
    }));
    const blocks = findings.some((f) => f.kind !== 'name' || names === 'block');
    if (blocks && this.config.IDENTIFYING_DETAILS_GUARD === 'block') {
      throw DomainError.unprocessable(
        'IDENTIFYING_DETAILS',
        'The text contains details that could identify a child or family. Remove them and try again.',
        findings,
      );
    }
    return findings;
  }
}
