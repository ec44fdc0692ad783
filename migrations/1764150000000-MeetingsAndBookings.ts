import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnTypes } from './column-types';

export class MeetingsAndBookings1764150000000 implements MigrationInterface {
  name = 'MeetingsAndBookings1764150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    const userFk = (column: string) => ({
      columnNames: [column],
      referencedTableName: 'app_user',
      referencedColumnNames: ['id'],
    });

    await queryRunner.createTable(
      new Table({
        name: 'meeting_series',
        columns: [
          t.id(),
          t.varchar('title', 160),
          t.date('firstMeetingDate'),
          t.varchar('startTime', 5),
          t.integer('durationMinutes'),
          t.integer('slotMinutes'),
          t.integer('intervalWeeks', 2),
          t.varchar('location', 300, true),
          t.varchar('onlineUrl', 500, true),
          t.uuid('chairUserId', true),
          t.integer('bookingClosesWorkingDaysBefore', 2),
          t.varchar('bankHolidayPolicy', 20),
          t.integer('horizonWeeks', 26),
          t.boolean('active', true),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        foreignKeys: [userFk('chairUserId')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'meeting',
        columns: [
          t.id(),
          t.uuid('seriesId'),
          t.date('occurrenceDate'),
          t.varchar('title', 160),
          t.instant('startsAt'),
          t.instant('endsAt'),
          t.integer('slotMinutes'),
          t.instant('bookingClosesAt'),
          { ...t.varchar('status', 12), default: "'scheduled'" },
          t.varchar('location', 300, true),
          t.varchar('onlineUrl', 500, true),
          t.uuid('chairUserId', true),
          t.boolean('movedForBankHoliday', false),
          t.instant('cancelledAt', true),
          t.uuid('cancelledByUserId', true),
          t.varchar('cancelReason', 500, true),
          t.integer('sequence', 0),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        foreignKeys: [
          {
            columnNames: ['seriesId'],
            referencedTableName: 'meeting_series',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          },
          userFk('chairUserId'),
        ],
        indices: [
          // Generating the schedule again can never duplicate a meeting.
          { name: 'UQ_meeting_series_occurrence', columnNames: ['seriesId', 'occurrenceDate'], isUnique: true },
          { name: 'IDX_meeting_starts', columnNames: ['startsAt'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'booking',
        columns: [
          t.id(),
          t.varchar('reference', 20),
          t.uuid('meetingId'),
          t.uuid('presenterUserId'),
          t.uuid('agencyId'),
          t.varchar('kind', 30),
          t.varchar('status', 20),
          { ...t.integer('slotIndex'), isNullable: true },
          t.instant('waitlistedAt', true),
          t.varchar('agencyReference', 60, true),
          t.varchar('ageBand', 10, true),
          t.text('concernCategories'),
          { ...t.integer('levelConsidered'), isNullable: true },
          t.text('question', true),
          t.text('summary'),
          t.varchar('mashReference', 40, true),
          t.date('referralDate', true),
          t.instant('withdrawnAt', true),
          t.uuid('withdrawnByUserId', true),
          t.instant('promotedAt', true),
          t.integer('sequence', 0),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        uniques: [{ name: 'UQ_booking_reference', columnNames: ['reference'] }],
        foreignKeys: [
          {
            columnNames: ['meetingId'],
            referencedTableName: 'meeting',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          },
          userFk('presenterUserId'),
          {
            columnNames: ['agencyId'],
            referencedTableName: 'agency',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          },
        ],
        indices: [
          { name: 'IDX_booking_meeting_status', columnNames: ['meetingId', 'status'] },
          { name: 'IDX_booking_presenter', columnNames: ['presenterUserId'] },
        ],
      }),
    );
    // One booked item per slot, decided by the database: the loser of a race gets a unique violation.
    await queryRunner.createIndex(
      'booking',
      new TableIndex({
        name: 'UQ_booking_booked_slot',
        columnNames: ['meetingId', 'slotIndex'],
        isUnique: true,
        where: "status = 'booked'",
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_record',
        columns: [
          t.id(),
          t.uuid('userId'),
          t.varchar('key', 200),
          t.varchar('requestHash', 64),
          t.integer('responseStatus'),
          t.text('responseBody'),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        indices: [{ name: 'UQ_idempotency_user_key', columnNames: ['userId', 'key'], isUnique: true }],
        foreignKeys: [{ ...userFk('userId'), onDelete: 'CASCADE' }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'reference_counter',
        columns: [{ ...t.integer('year'), isPrimary: true }, t.integer('lastNumber')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['reference_counter', 'idempotency_record', 'booking', 'meeting', 'meeting_series']) {
      await queryRunner.dropTable(table, true);
    }
  }
}
