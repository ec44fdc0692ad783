import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { IdentifyingDetailsCheck, IdentifyingDetailWarning } from '../identifying-details/identifying-details.check';
import { isRetentionNotice } from '../retention/retention-notice';
import { caseTextOf } from './case-text.registry';

/**
 * The identifying-details check over an entity's case-text columns, as the registry declares them
 * (which columns, which request field each comes from, whether names are looked for). Services
 * call it with the values they are about to write; CaseTextGuard calls it again on every insert
 * and update, so a write path that forgets cannot store an identifier.
 */
@Injectable()
export class CaseTextCheck {
  constructor(private readonly identifyingDetails: IdentifyingDetailsCheck) {}

  /**
   * Checks `values` (keyed by the entity's property names; other keys are ignored). With the
   * guard at `block` a finding throws 422 IDENTIFYING_DETAILS naming `prefix` + the request field;
   * otherwise the findings come back as warnings.
   */
  check(entity: abstract new () => object, values: object, prefix = ''): IdentifyingDetailWarning[] {
    const byNames: Record<'names' | 'noNames', Record<string, string>> = { names: {}, noNames: {} };
    for (const column of caseTextOf(entity)) {
      if (column.checked) continue;
      const value = (values as Record<string, unknown>)[column.property];
      if (typeof value !== 'string' || value.length === 0 || isRetentionNotice(value)) continue;
      byNames[column.names ? 'names' : 'noNames'][`${prefix}${column.field ?? column.property}`] = value;
    }
    const noNames = Object.keys(byNames.noNames).length
      ? this.identifyingDetails.inspect(byNames.noNames, { names: false })
      : [];
    const withNames = Object.keys(byNames.names).length ? this.identifyingDetails.inspect(byNames.names) : [];
    return [...withNames, ...noNames];
  }

  /** The same over several rows of one request (`[0].name`, `[1].role`…): one refusal listing every finding. */
  checkRows(entity: abstract new () => object, rows: readonly object[], prefix = ''): IdentifyingDetailWarning[] {
    const found: IdentifyingDetailWarning[] = [];
    let refused: DomainError | null = null;
    rows.forEach((row, i) => {
      try {
        found.push(...this.check(entity, row, `${prefix}[${i}].`));
      } catch (err) {
        if (!(err instanceof DomainError) || err.code !== 'IDENTIFYING_DETAILS') throw err;
        refused = err;
        found.push(...(err.details as IdentifyingDetailWarning[]));
      }
    });
    if (refused) throw new DomainError(422, 'IDENTIFYING_DETAILS', (refused as DomainError).message, found);
    return found;
  }
}
