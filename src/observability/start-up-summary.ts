import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { logFormat } from './logging';

/** This service's version, from its package.json (found upwards of this file, built or not). */
export function serviceVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'thresholds') return pkg.version ?? 'unknown';
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

/** Where mail goes, without the URL's credentials: `smtp 127.0.0.1:25` or `spool ./data/mail`. */
export function mailTransportSummary(config: AppConfig): string {
  if (!config.SMTP_URL) return `spool ${config.MAIL_SPOOL_DIR}`;
  const url = new URL(config.SMTP_URL);
  return `${url.protocol.replace(':', '')} ${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`;
}

/** The one start-up line: what an operator checks first. No URL with credentials, no secret. */
export function startUpSummary(config: AppConfig, port: number) {
  return {
    msg: `Thresholds ${serviceVersion()} listening on port ${port}`,
    version: serviceVersion(),
    port,
    nodeEnv: config.NODE_ENV,
    database: config.databaseKind === 'postgres' ? 'postgres' : `sqlite ${config.SQLITE_PATH}`,
    mail: mailTransportSummary(config),
    logFormat: logFormat(config),
    logLevel: config.LOG_LEVEL,
    publicUrl: config.publicUrl,
  };
}
