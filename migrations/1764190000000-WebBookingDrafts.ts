import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * The web booking form keeps a presenter's answers here between its pages (one draft per
 * session), so that case text never travels in URLs or cookies. Drafts expire after a couple of
 * hours and are deleted when the item is booked, on sign-out, and by the hourly purge.
 */
export class WebBookingDrafts1764190000000 implements MigrationInterface {
  name = 'WebBookingDrafts1764190000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'web_booking_draft',
        columns: [
          t.id(),
          t.uuid('sessionId'),
          t.text('answers'),
          t.instant('expiresAt'),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        indices: [
          { name: 'UQ_web_booking_draft_session', columnNames: ['sessionId'], isUnique: true },
          { name: 'IDX_web_booking_draft_expires', columnNames: ['expiresAt'] },
        ],
        foreignKeys: [
          {
            columnNames: ['sessionId'],
            referencedTableName: 'session',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('web_booking_draft', true);
  }
}
