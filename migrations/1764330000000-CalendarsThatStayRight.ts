import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columnTypes } from './column-types';

interface LegacyReminder {
  id: string;
  kind: string;
  subjectId: string;
  createdAt: string | Date;
  updatedAt: string | Date;
}

/**
 * Reminders once per (item or meeting, start, recipient) instead of once per item ever, and the
 * feeds' last version (ETag, Last-Modified that never goes backwards).
 *
 * reminder_sent is rebuilt with the new key. Each reminder already sent is kept, keyed by the
 * date and person it was for as the data stands now (the item's slot start or the meeting's
 * start; the presenter's or the chair's address), so an upgrade sends nothing twice. Rows whose
 * item, meeting or person no longer exist are dropped: they can never match again.
 */
export class CalendarsThatStayRight1764330000000 implements MigrationInterface {
  name = 'CalendarsThatStayRight1764330000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    const legacy = (await queryRunner.query(
      `SELECT id, kind, "subjectId" AS "subjectId", "createdAt" AS "createdAt", "updatedAt" AS "updatedAt" FROM reminder_sent`,
    )) as LegacyReminder[];
    const kept: Array<LegacyReminder & { startsAt: Date; recipient: string }> = [];
    for (const row of legacy) {
      const found =
        row.kind === 'presenter'
          ? ((await queryRunner.query(
              `SELECT m."startsAt" AS "startsAt", m."slotMinutes" AS "slotMinutes", b."slotIndex" AS "slotIndex", u.email AS email
                 FROM booking b JOIN meeting m ON m.id = b."meetingId" JOIN app_user u ON u.id = b."presenterUserId"
                WHERE b.id = ${t.postgres ? '$1' : '?'}`,
              [row.subjectId],
            )) as Array<{ startsAt: string | Date; slotMinutes: number; slotIndex: number | null; email: string }>)
          : ((await queryRunner.query(
              `SELECT m."startsAt" AS "startsAt", 0 AS "slotMinutes", NULL AS "slotIndex", u.email AS email
                 FROM meeting m JOIN app_user u ON u.id = m."chairUserId"
                WHERE m.id = ${t.postgres ? '$1' : '?'}`,
              [row.subjectId],
            )) as Array<{ startsAt: string | Date; slotMinutes: number; slotIndex: number | null; email: string }>);
      if (!found[0]) continue;
      const start = instant(found[0].startsAt).getTime() + (found[0].slotIndex ?? 0) * found[0].slotMinutes * 60_000;
      kept.push({ ...row, startsAt: new Date(start), recipient: found[0].email.toLowerCase() });
    }

    await queryRunner.dropTable('reminder_sent', true);
    await queryRunner.createTable(
      new Table({
        name: 'reminder_sent',
        columns: [
          t.id(),
          t.varchar('kind', 20),
          t.uuid('subjectId'),
          t.instant('startsAt'),
          t.varchar('recipient', 254),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        // A reminder goes out once per date and person: the second attempt loses to this index.
        indices: [
          {
            name: 'UQ_reminder_sent_once',
            columnNames: ['kind', 'subjectId', 'startsAt', 'recipient'],
            isUnique: true,
          },
        ],
      }),
    );
    for (const row of kept) {
      const p = t.postgres ? ['$1', '$2', '$3', '$4', '$5', '$6', '$7'] : Array(7).fill('?');
      await queryRunner.query(
        `INSERT INTO reminder_sent (id, kind, "subjectId", "startsAt", recipient, "createdAt", "updatedAt") VALUES (${p.join(', ')})`,
        [
          row.id,
          row.kind,
          row.subjectId,
          stored(row.startsAt, t.postgres),
          row.recipient,
          stored(instant(row.createdAt), t.postgres),
          stored(instant(row.updatedAt), t.postgres),
        ],
      );
    }

    await queryRunner.createTable(
      new Table({
        name: 'feed_version',
        columns: [{ ...t.varchar('feedKey', 80), isPrimary: true }, t.varchar('etag', 40), t.instant('lastModified')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('feed_version', true);
    // Back to one reminder per item or meeting ever: keep the earliest of each.
    await queryRunner.dropIndex('reminder_sent', 'UQ_reminder_sent_once');
    await queryRunner.query(
      `DELETE FROM reminder_sent WHERE id NOT IN (SELECT MIN(id) FROM reminder_sent GROUP BY kind, "subjectId")`,
    );
    await queryRunner.dropColumn('reminder_sent', 'recipient');
    await queryRunner.dropColumn('reminder_sent', 'startsAt');
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_reminder_sent_kind_subject" ON reminder_sent (kind, "subjectId")`);
  }
}

/** A raw instant as either engine returns it (SQLite: UTC text 'YYYY-MM-DD HH:MM:SS.SSS'). */
function instant(value: string | Date): Date {
  if (value instanceof Date) return value;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}

/** An instant as each engine stores it: a Date for PostgreSQL, TypeORM's UTC text for SQLite. */
function stored(d: Date, postgres: boolean): Date | string {
  return postgres ? d : d.toISOString().replace('T', ' ').replace('Z', '');
}
