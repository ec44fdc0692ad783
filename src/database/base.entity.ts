import { randomUUID } from 'node:crypto';
import { CreateDateColumn, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * UUID primary key generated in the application (portable: no database extension needed),
 * created and updated instants. Instants are `Date` in code: UTC text `datetime` on SQLite,
 * `timestamptz` on PostgreSQL, with the migrations' defaults (AppDataSource maps them by engine).
 */
export abstract class BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = randomUUID();

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
