import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { backupFileName, resolveBackupPath } from './database-backup';

describe('backup file names', () => {
  const now = new Date('2026-11-26T10:15:30.123Z');

  it('are UTC and sortable, one extension per engine', () => {
    expect(backupFileName('sqlite', now)).toBe('thresholds-20261126T101530Z.sqlite');
    expect(backupFileName('postgres', now)).toBe('thresholds-20261126T101530Z.dump');
  });

  it('go in BACKUP_DIR without an argument, in a folder given, or exactly where a file is given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'thresholds-backup-name-'));
    try {
      expect(resolveBackupPath('sqlite', undefined, './data/backups', now)).toBe(
        resolve('./data/backups/thresholds-20261126T101530Z.sqlite'),
      );
      expect(resolveBackupPath('sqlite', dir, 'unused', now)).toBe(join(dir, 'thresholds-20261126T101530Z.sqlite'));
      expect(resolveBackupPath('postgres', `${dir}/not-yet/`, 'unused', now)).toBe(
        join(dir, 'not-yet', 'thresholds-20261126T101530Z.dump'),
      );
      expect(resolveBackupPath('sqlite', join(dir, 'mine.sqlite'), 'unused', now)).toBe(join(dir, 'mine.sqlite'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
