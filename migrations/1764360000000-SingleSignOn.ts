import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * OpenID Connect sign-in (src/single-sign-on/): users' accounts at providers (by subject), sign-ins
 * in progress (state, nonce, PKCE verifier), and which provider a session came from (for
 * signing out there too).
 */
export class SingleSignOn1764360000000 implements MigrationInterface {
  name = 'SingleSignOn1764360000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'sso_identity',
        columns: [
          t.id(),
          t.varchar('provider', 32),
          t.varchar('subject', 255),
          t.uuid('userId'),
          t.instant('lastSignedInAt'),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        indices: [
          { name: 'UQ_sso_identity_subject', columnNames: ['provider', 'subject'], isUnique: true },
          { name: 'UQ_sso_identity_user', columnNames: ['provider', 'userId'], isUnique: true },
        ],
      }),
    );
    await queryRunner.createForeignKey(
      'sso_identity',
      new TableForeignKey({
        columnNames: ['userId'],
        referencedTableName: 'app_user',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sso_attempt',
        columns: [
          t.id(),
          t.varchar('stateHash', 64),
          t.varchar('provider', 32),
          t.varchar('nonce', 64),
          t.varchar('codeVerifier', 128),
          t.instant('expiresAt'),
          t.instant('usedAt', true),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        indices: [
          { name: 'UQ_sso_attempt_state', columnNames: ['stateHash'], isUnique: true },
          { name: 'IDX_sso_attempt_expires', columnNames: ['expiresAt'] },
        ],
      }),
    );
    await queryRunner.addColumn('session', new TableColumn(t.varchar('ssoProvider', 32, true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('session', 'ssoProvider');
    await queryRunner.dropTable('sso_attempt');
    await queryRunner.dropTable('sso_identity');
  }
}
