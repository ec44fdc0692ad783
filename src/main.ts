import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { ConfigError, loadConfig } from './config/app-config';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const levels = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    logger: levels.slice(0, levels.indexOf(config.LOG_LEVEL) + 1) as unknown as (typeof levels)[number][],
  });
  configureApp(app);
  await app.listen(config.PORT);
  new Logger('Thresholds').log(
    `Listening on port ${config.PORT} (${config.databaseKind === 'postgres' ? 'PostgreSQL' : `SQLite at ${config.SQLITE_PATH}`}); ${config.publicUrl}/health`,
  );
}

void bootstrap();
