import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columnTypes } from './column-types';

/** Who booked an item, when a colleague or a coordinator books it for its presenter. */
export class BookingForColleague1764370000000 implements MigrationInterface {
  name = 'BookingForColleague1764370000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.addColumn('booking', new TableColumn(t.uuid('bookedByUserId', true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('booking', 'bookedByUserId');
  }
}
