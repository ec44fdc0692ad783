import { Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { DestinationStream } from 'pino';
import { AppConfig } from '../config/app-config';
import { GracefulShutdown } from './graceful-shutdown';
import { JobMonitor } from './job-monitor';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { OperatorAlerts } from './operator-alerts';
import { AppLogger, createLogStream, LOG_STREAM, loggerParams } from './logging';

/** Logs (pino, one JSON or pretty line each), and later metrics and health signals. */
@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({
      providers: [{ provide: LOG_STREAM, useFactory: createLogStream, inject: [AppConfig] }],
      inject: [AppConfig, LOG_STREAM],
      useFactory: (config: AppConfig, stream: DestinationStream) => loggerParams(config, stream),
    }),
  ],
  controllers: [MetricsController],
  providers: [AppLogger, Metrics, JobMonitor, GracefulShutdown, OperatorAlerts],
  exports: [AppLogger, Metrics, JobMonitor, OperatorAlerts],
})
export class ObservabilityModule {}
