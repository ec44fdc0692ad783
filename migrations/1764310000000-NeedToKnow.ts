import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * Attendance by account: a register line names the user it is (when they have an account), so
 * the need-to-know rule can tell who attended which item without trusting a typed address.
 */
export class NeedToKnow1764310000000 implements MigrationInterface {
  name = 'NeedToKnow1764310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.addColumn('meeting_attendee', new TableColumn(t.uuid('userId', true)));
    await queryRunner.query(
      'UPDATE meeting_attendee SET "userId" = (SELECT u.id FROM app_user u WHERE u.email = meeting_attendee.email) WHERE email IS NOT NULL',
    );
    await queryRunner.createIndex(
      'meeting_attendee',
      new TableIndex({ name: 'IDX_meeting_attendee_user', columnNames: ['userId'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('meeting_attendee', 'IDX_meeting_attendee_user');
    await queryRunner.dropColumn('meeting_attendee', 'userId');
  }
}
