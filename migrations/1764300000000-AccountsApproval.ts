import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * Accounts are approved, not assumed: `app_user.status` (`active`, `pending`, `disabled`)
 * replaces the `active` flag, and agencies can be deactivated.
 */
export class AccountsApproval1764300000000 implements MigrationInterface {
  name = 'AccountsApproval1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.addColumn('app_user', new TableColumn({ ...t.varchar('status', 12), default: "'active'" }));
    await queryRunner.query(
      `UPDATE app_user SET status = CASE WHEN active = ${t.postgres ? 'true' : '1'} THEN 'active' ELSE 'disabled' END`,
    );
    await queryRunner.dropColumn('app_user', 'active');
    await queryRunner.createIndex('app_user', new TableIndex({ name: 'IDX_app_user_status', columnNames: ['status'] }));
    await queryRunner.addColumn('agency', new TableColumn(t.boolean('active', true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.dropColumn('agency', 'active');
    await queryRunner.dropIndex('app_user', 'IDX_app_user_status');
    await queryRunner.addColumn('app_user', new TableColumn(t.boolean('active', true)));
    await queryRunner.query(
      `UPDATE app_user SET active = ${t.postgres ? "(status <> 'disabled')" : "CASE WHEN status = 'disabled' THEN 0 ELSE 1 END"}`,
    );
    await queryRunner.dropColumn('app_user', 'status');
  }
}
