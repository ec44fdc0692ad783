import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * Replies read from the replies mailbox (REPLIES_IMAP_URL): `attendance_reply` holds each chair's
 * and core member's answer to a meeting's invitation (one per meeting and address), and
 * `calendar_reply_message` each message read, so that none is acted on twice.
 */
export class CalendarReplies1764430000000 implements MigrationInterface {
  name = 'CalendarReplies1764430000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.addColumn('meeting', new TableColumn(t.instant('movedAt', true)));
    await queryRunner.createTable(
      new Table({
        name: 'attendance_reply',
        columns: [
          t.id(),
          t.uuid('meetingId'),
          t.varchar('email', 254),
          t.varchar('answer', 10),
          t.instant('answeredAt'),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        foreignKeys: [
          {
            columnNames: ['meetingId'],
            referencedTableName: 'meeting',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [{ name: 'UQ_attendance_reply_meeting_email', columnNames: ['meetingId', 'email'], isUnique: true }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'calendar_reply_message',
        columns: [
          t.id(),
          t.varchar('messageKey', 64),
          t.varchar('outcome', 40),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        indices: [{ name: 'UQ_calendar_reply_message_key', columnNames: ['messageKey'], isUnique: true }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('calendar_reply_message', true);
    await queryRunner.dropTable('attendance_reply', true);
    await queryRunner.dropColumn('meeting', 'movedAt');
  }
}
