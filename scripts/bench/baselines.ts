/**
 * The bare baselines of `npm run bench`, each started as its own process from the build
 * (`node dist/scripts/bench/baselines.js <kind>`), exactly as the app is, and printing
 * `BENCH_READY <port>` once listening:
 *   - http: bare Node `http` serving the bytes of BENCH_BODY_FILE (the app's feed) with its
 *     ETag, and 304 when If-None-Match matches;
 *   - sqlite: bare `http` + better-sqlite3 inserting one row per POST (WAL, synchronous as
 *     SQLITE_SYNCHRONOUS, default full like the app) into BENCH_SQLITE_FILE;
 *   - nest: a bare NestJS app on the same Express adapter with GET /health and GET /meetings,
 *     which renders the presenter's meetings template with the locals in BENCH_LOCALS_FILE.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Controller, Get, Module, Req, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import Database from 'better-sqlite3';
import type { Request, Response } from 'express';
import { loadConfig } from '../../src/config/app-config';
import { ReferenceDataService } from '../../src/reference-data/reference-data.service';
import { configureViews } from '../../src/web/web-setup';

function ready(port: number): void {
  process.stdout.write(`BENCH_READY ${port}\n`);
}

function listen(server: Server): void {
  server.listen(0, '127.0.0.1', () => ready((server.address() as AddressInfo).port));
}

function bareHttp(): void {
  const body = readFileSync(process.env.BENCH_BODY_FILE!);
  const etag = process.env.BENCH_ETAG!;
  listen(
    createServer((req, res) => {
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { ETag: etag });
        return res.end();
      }
      res.writeHead(200, { 'Content-Type': 'text/calendar; charset=utf-8', ETag: etag });
      res.end(body);
    }),
  );
}

function bareSqlite(): void {
  const db = new Database(process.env.BENCH_SQLITE_FILE!);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${(process.env.SQLITE_SYNCHRONOUS ?? 'full').toUpperCase()}`);
  db.exec('CREATE TABLE IF NOT EXISTS item (id TEXT PRIMARY KEY, body TEXT NOT NULL, createdAt TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO item (id, body, createdAt) VALUES (?, ?, ?)');
  listen(
    createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const id = randomUUID();
        insert.run(id, Buffer.concat(chunks).toString('utf8'), new Date().toISOString());
        res.writeHead(201, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id }));
      });
    }),
  );
}

@Controller()
class BareController {
  private readonly locals = process.env.BENCH_LOCALS_FILE
    ? (JSON.parse(readFileSync(process.env.BENCH_LOCALS_FILE, 'utf8')) as Record<string, unknown>)
    : {};

  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }

  @Get('meetings')
  page(@Req() _req: Request, @Res() res: Response): void {
    res.setHeader('Cache-Control', 'no-store');
    res.render('presenter/meetings', this.locals, (err: Error | null, html?: string) =>
      err ? res.status(500).send(err.message) : res.send(html),
    );
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

async function bareNest(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(BareModule, { logger: ['error'] });
  const config = loadConfig();
  configureViews(app, config, new ReferenceDataService(config));
  await app.listen(0, '127.0.0.1');
  ready((app.getHttpServer().address() as AddressInfo).port);
}

const kind = process.argv[2];
if (kind === 'http') bareHttp();
else if (kind === 'sqlite') bareSqlite();
else if (kind === 'nest') void bareNest();
else {
  console.error('usage: baselines.js http | sqlite | nest');
  process.exit(2);
}
