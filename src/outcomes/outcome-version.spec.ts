import { DomainError } from '../common/domain-error';
import { decideOutcomeWrite } from './outcome-version';

function conflictOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    return err as DomainError;
  }
  throw new Error('expected a conflict');
}

describe('decideOutcomeWrite', () => {
  it('inserts the first outcome when no version (or 0) is sent', () => {
    expect(decideOutcomeWrite(null, undefined)).toEqual({ action: 'insert' });
    expect(decideOutcomeWrite(null, 0)).toEqual({ action: 'insert' });
  });

  it('updates when the sent version is the current one', () => {
    expect(decideOutcomeWrite({ version: 3 }, 3)).toEqual({ action: 'update', expectedVersion: 3 });
  });

  it('refuses a stale version with 409 and the current version', () => {
    const err = conflictOf(() => decideOutcomeWrite({ version: 4 }, 3));
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ statusCode: 409, code: 'OUTCOME_VERSION_CONFLICT', details: { currentVersion: 4 } });
  });

  it('refuses a first recording when someone else has already recorded the outcome', () => {
    expect(conflictOf(() => decideOutcomeWrite({ version: 1 }, undefined))).toMatchObject({
      statusCode: 409,
      details: { currentVersion: 1 },
    });
    expect(conflictOf(() => decideOutcomeWrite({ version: 1 }, 0))).toMatchObject({ details: { currentVersion: 1 } });
  });

  it('refuses a version from the future, and a version for an outcome that does not exist yet', () => {
    expect(conflictOf(() => decideOutcomeWrite({ version: 2 }, 5))).toMatchObject({ details: { currentVersion: 2 } });
    expect(conflictOf(() => decideOutcomeWrite(null, 2))).toMatchObject({ details: { currentVersion: 0 } });
  });
});

describe('the version conflict', () => {
  it('tells the chair what happened and what to do', () => {
    expect(() => decideOutcomeWrite({ version: 3 }, 2)).toThrow(
      'Someone else saved this outcome after you opened it. Reload it, check their changes and save again.',
    );
  });
});
