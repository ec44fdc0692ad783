import { DomainError } from '../common/domain-error';

export type OutcomeWrite = { action: 'insert' } | { action: 'update'; expectedVersion: number };

export function outcomeVersionConflict(currentVersion: number): DomainError {
  return DomainError.conflict(
    'OUTCOME_VERSION_CONFLICT',
    'Someone else saved this outcome after you opened it. Reload it, check their changes and save again.',
    { currentVersion },
  );
}

/**
 * Optimistic concurrency for outcomes. The client sends the `version` it read (none, or 0, for
 * the first recording). A save that does not name the current version is refused with 409 and
 * the current version, so that a second chair never silently overwrites the first; the chair
 * reloads, merges by hand and saves against the new version. Pure; the write itself repeats the
 * check in its WHERE clause (and the unique index on bookingId guards the first insert).
 */
export function decideOutcomeWrite(current: { version: number } | null, sentVersion: number | undefined): OutcomeWrite {
  const sent = sentVersion ?? 0;
  if (!current) {
    if (sent !== 0) throw outcomeVersionConflict(0);
    return { action: 'insert' };
  }
  if (sent !== current.version) throw outcomeVersionConflict(current.version);
  return { action: 'update', expectedVersion: current.version };
}
