import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { AppDataSource } from './app-data-source';
import { databaseOptions } from './database-options';
import { DatabaseMaintenance } from './database-maintenance';
import { TransactionRunner } from './transaction-runner';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...databaseOptions(config),
        autoLoadEntities: true,
        migrationsRun: config.DATABASE_MIGRATE_ON_START,
        // Postgres: each migration in its own transaction; SQLite runs them serially anyway.
        migrationsTransactionMode: 'each',
      }),
      // Metadata as the migrations make it, engine by engine (see AppDataSource).
      dataSourceFactory: (options) => {
        if (!options) throw new Error('TypeORM options are missing');
        return Promise.resolve(new AppDataSource(options));
      },
    }),
  ],
  providers: [TransactionRunner, DatabaseMaintenance],
  exports: [TransactionRunner, DatabaseMaintenance],
})
export class DatabaseModule {}
