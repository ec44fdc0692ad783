import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * How meetings reach each person's calendar (`invites`, `feed` or `both`; src/calendar/
 * calendar-delivery.ts). Everyone starts with invitations, as before.
 */
export class CalendarDelivery1764340000000 implements MigrationInterface {
  name = 'CalendarDelivery1764340000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.addColumn(
      'app_user',
      new TableColumn({ ...t.varchar('calendarDelivery', 8), default: "'invites'" }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('app_user', 'calendarDelivery');
  }
}
