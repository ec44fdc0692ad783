import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { ConfigError, loadConfig } from './config/app-config';
import { startUpSummary } from './observability/start-up-summary';
import { AppLogger, logFormat } from './observability/logging';
import { demoBox } from './first-run/demo-box';
import { OutboxWorker } from './mail/outbox-worker';
import { FirstRunService } from './first-run/first-run.service';

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
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, bufferLogs: true });
  configureApp(app);
  await app.listen(config.PORT);
  const logger = app.get(AppLogger);
  logger.log(startUpSummary(config, config.PORT), 'Thresholds');
  if (await app.get(FirstRunService).demoPresent()) {
    // Mail written to the spool at start-up (the demo's, on a first start) is logged before the box.
    if (!config.SMTP_URL) await Promise.race([app.get(OutboxWorker).drain(), sleep(3000, undefined, { ref: false })]);
    logger.log(
      demoBox(config.publicUrl, logFormat(config), config.SMTP_URL ? null : config.MAIL_SPOOL_DIR),
      'Thresholds',
    );
  }
}

void bootstrap();
