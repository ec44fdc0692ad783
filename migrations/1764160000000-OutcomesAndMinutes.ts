import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * Attendance, outcomes, actions, deferrals and minutes (issue 5).
 *
 * Case text lives only in: item_outcome.advice / .response, meeting_action.description,
 * minutes.themesNote and the `caseText` keys inside minutes_version.content. All of them are
 * nullable so that the retention job can erase them and keep the structured columns.
 */
export class OutcomesAndMinutes1764160000000 implements MigrationInterface {
  name = 'OutcomesAndMinutes1764160000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    const fk = (column: string, table: string, onDelete = 'RESTRICT') => ({
      columnNames: [column],
      referencedTableName: table,
      referencedColumnNames: ['id'],
      onDelete,
    });
    const nullableBoolean = (name: string) => ({ ...t.boolean(name), isNullable: true });

    // Carried-forward items keep their row; these two columns say so for the reports.
    await queryRunner.addColumns('booking', [
      new TableColumn(t.uuid('deferredFromMeetingId', true)),
      new TableColumn(t.integer('deferrals', 0)),
    ]);
    await queryRunner.createForeignKey('booking', new TableForeignKey(fk('deferredFromMeetingId', 'meeting')));

    await queryRunner.createTable(
      new Table({
        name: 'meeting_attendee',
        columns: [
          t.id(),
          t.uuid('meetingId'),
          t.integer('position'),
          t.varchar('name', 120),
          t.varchar('email', 254, true),
          t.uuid('agencyId'),
          t.varchar('role', 120, true),
          t.varchar('status', 12),
          t.text('bookingIds'),
          t.instant('confidentialityAcceptedAt', true),
          t.varchar('confidentialityStatementHash', 64, true),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        foreignKeys: [fk('meetingId', 'meeting', 'CASCADE'), fk('agencyId', 'agency')],
        indices: [{ name: 'UQ_meeting_attendee_position', columnNames: ['meetingId', 'position'], isUnique: true }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'item_outcome',
        columns: [
          t.id(),
          t.uuid('bookingId'),
          t.uuid('meetingId'),
          t.varchar('kind', 30),
          { ...t.integer('levelAdvised'), isNullable: true },
          t.varchar('pathway', 30, true),
          t.text('advice', true),
          t.text('response', true),
          nullableBoolean('qualityTimely'),
          nullableBoolean('qualityComplete'),
          nullableBoolean('qualityAppropriate'),
          t.text('qualityIssues', true),
          t.varchar('misdirectedTo', 120, true),
          t.integer('version'),
          t.uuid('recordedByUserId'),
          t.uuid('updatedByUserId'),
          t.instant('presenterNotifiedAt', true),
          t.instant('caseTextErasedAt', true),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        foreignKeys: [
          fk('bookingId', 'booking'),
          fk('meetingId', 'meeting'),
          fk('recordedByUserId', 'app_user'),
          fk('updatedByUserId', 'app_user'),
        ],
        indices: [
          // One outcome per item: two chairs recording the first outcome at once cannot both win.
          { name: 'UQ_item_outcome_booking', columnNames: ['bookingId'], isUnique: true },
          { name: 'IDX_item_outcome_meeting', columnNames: ['meetingId'] },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'meeting_action',
        columns: [
          t.id(),
          t.uuid('meetingId'),
          t.uuid('seriesId'),
          t.uuid('bookingId', true),
          t.text('description', true),
          t.uuid('ownerAgencyId'),
          t.varchar('ownerName', 120, true),
          t.date('dueDate'),
          { ...t.varchar('status', 12), default: "'open'" },
          t.varchar('closedReason', 40, true),
          t.instant('resolvedAt', true),
          t.uuid('resolvedByUserId', true),
          t.uuid('createdByUserId'),
          t.instant('caseTextErasedAt', true),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        foreignKeys: [
          fk('meetingId', 'meeting'),
          fk('seriesId', 'meeting_series'),
          fk('bookingId', 'booking'),
          fk('ownerAgencyId', 'agency'),
          fk('createdByUserId', 'app_user'),
        ],
        indices: [
          { name: 'IDX_meeting_action_series_status', columnNames: ['seriesId', 'status'] },
          { name: 'IDX_meeting_action_meeting', columnNames: ['meetingId'] },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'item_deferral',
        columns: [
          t.id(),
          t.uuid('bookingId'),
          t.uuid('fromMeetingId'),
          t.uuid('toMeetingId'),
          t.varchar('placement', 20),
          { ...t.integer('slotIndex'), isNullable: true },
          t.uuid('deferredByUserId'),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        foreignKeys: [
          fk('bookingId', 'booking'),
          fk('fromMeetingId', 'meeting'),
          fk('toMeetingId', 'meeting'),
          fk('deferredByUserId', 'app_user'),
        ],
        indices: [
          { name: 'IDX_item_deferral_from', columnNames: ['fromMeetingId'] },
          { name: 'IDX_item_deferral_booking', columnNames: ['bookingId'] },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'minutes',
        columns: [
          t.id(),
          t.uuid('meetingId'),
          { ...t.varchar('status', 12), default: "'draft'" },
          t.text('themesNote', true),
          t.integer('currentVersion', 0),
          t.instant('approvedAt', true),
          t.uuid('approvedByUserId', true),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        foreignKeys: [fk('meetingId', 'meeting'), fk('approvedByUserId', 'app_user')],
        // One set of minutes per meeting.
        indices: [{ name: 'UQ_minutes_meeting', columnNames: ['meetingId'], isUnique: true }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'minutes_version',
        columns: [
          t.id(),
          t.uuid('meetingId'),
          t.integer('version'),
          t.varchar('kind', 12),
          t.varchar('reason', 500, true),
          t.text('content'),
          t.uuid('createdByUserId'),
          t.instant('caseTextErasedAt', true),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        foreignKeys: [fk('meetingId', 'meeting'), fk('createdByUserId', 'app_user')],
        // Versions are numbered 1, 2, 3… per meeting and never overwritten: two approvals or
        // amendments racing for the same number cannot both commit.
        indices: [{ name: 'UQ_minutes_version_number', columnNames: ['meetingId', 'version'], isUnique: true }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'minutes_version',
      'minutes',
      'item_deferral',
      'meeting_action',
      'item_outcome',
      'meeting_attendee',
    ]) {
      await queryRunner.dropTable(table, true);
    }
    const booking = await queryRunner.getTable('booking');
    const deferredFk = booking?.foreignKeys.find((f) => f.columnNames.includes('deferredFromMeetingId'));
    if (deferredFk) await queryRunner.dropForeignKey('booking', deferredFk);
    await queryRunner.dropColumn('booking', 'deferrals');
    await queryRunner.dropColumn('booking', 'deferredFromMeetingId');
  }
}
