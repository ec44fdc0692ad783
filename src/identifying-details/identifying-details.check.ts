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
 */
@Injectable()
export class IdentifyingDetailsCheck {
  constructor(private readonly config: AppConfig) {}

  inspect(fields: Record<string, string | null | undefined>): IdentifyingDetailWarning[] {
    if (this.config.IDENTIFYING_DETAILS_GUARD === 'off') return [];
    const findings = checkFields(fields).map((f) => ({ ...f, message: describeFinding(f.kind) }));
    if (findings.length > 0 && this.config.IDENTIFYING_DETAILS_GUARD === 'block') {
      throw DomainError.unprocessable(
        'IDENTIFYING_DETAILS',
        'The text contains details that could identify a child or family. Remove them and try again.',
        findings,
      );
    }
    return findings;
  }
}
