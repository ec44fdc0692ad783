import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * A series' meetings can reach its chair's and core members' calendars as one recurring invite.
 * `calendarInvites` says how ('series' or 'meetings'); series made before this change keep the
 * invitation per meeting that their people already have in their calendars ('meetings'), so
 * nothing shows twice. `sequence` is the recurring invite's iCalendar SEQUENCE.
 */
export class SeriesInvites1764420000000 implements MigrationInterface {
  name = 'SeriesInvites1764420000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.addColumn(
      'meeting_series',
      new TableColumn({ ...t.varchar('calendarInvites', 10), default: "'meetings'" }),
    );
    await queryRunner.addColumn('meeting_series', new TableColumn(t.integer('sequence', 0)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('meeting_series', 'sequence');
    await queryRunner.dropColumn('meeting_series', 'calendarInvites');
  }
}
