import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { columnTypes } from './column-types';

/** An item may follow up an earlier item of the same agency (the case's history at the meeting). */
export class FollowUpItems1764380000000 implements MigrationInterface {
  name = 'FollowUpItems1764380000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.addColumn('booking', new TableColumn(t.uuid('followsBookingId', true)));
    await queryRunner.createIndex(
      'booking',
      new TableIndex({ name: 'IDX_booking_follows', columnNames: ['followsBookingId'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('booking', 'IDX_booking_follows');
    await queryRunner.dropColumn('booking', 'followsBookingId');
  }
}
