import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { columnTypes } from './column-types';

export class Calendar1764170000000 implements MigrationInterface {
  name = 'Calendar1764170000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'calendar_feed',
        columns: [t.id(), t.uuid('userId'), t.varchar('tokenHash', 64), t.createdAt(), t.createdAt('updatedAt')],
        indices: [
          { name: 'UQ_calendar_feed_user', columnNames: ['userId'], isUnique: true },
          { name: 'UQ_calendar_feed_token', columnNames: ['tokenHash'], isUnique: true },
        ],
        foreignKeys: [
          {
            columnNames: ['userId'],
            referencedTableName: 'app_user',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'reminder_sent',
        columns: [t.id(), t.varchar('kind', 20), t.uuid('subjectId'), t.createdAt(), t.createdAt('updatedAt')],
        // A reminder goes out once: the second attempt loses to this index.
        indices: [{ name: 'UQ_reminder_sent_kind_subject', columnNames: ['kind', 'subjectId'], isUnique: true }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'series_core_member',
        columns: [
          { ...t.uuid('seriesId'), isPrimary: true },
          { ...t.varchar('email', 254), isPrimary: true },
          t.varchar('name', 120, true),
        ],
        foreignKeys: [
          {
            columnNames: ['seriesId'],
            referencedTableName: 'meeting_series',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [{ name: 'IDX_series_core_member_email', columnNames: ['email'] }],
      }),
    );
    await queryRunner.addColumn('meeting_series', new TableColumn(t.boolean('publicDatesFeed', false)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('meeting_series', 'publicDatesFeed');
    for (const table of ['series_core_member', 'reminder_sent', 'calendar_feed'])
      await queryRunner.dropTable(table, true);
  }
}
