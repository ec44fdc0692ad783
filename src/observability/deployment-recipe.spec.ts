import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PATH_METADATA } from '@nestjs/common/constants';
import { AppConfig } from '../config/app-config';
import { HealthController } from '../health/health.controller';

/**
 * The deployment recipe, checked without docker (which the project's machines may not have):
 * the Dockerfile's stages, user, port, health check and start command, and the systemd unit's.
 */
const ROOT = join(__dirname, '..', '..');

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  from: string;
  name: string | null;
  instructions: Instruction[];
}

/** Dockerfile syntax enough for this file: comments, `\` continuations, one instruction a line. */
function parseDockerfile(text: string): Stage[] {
  const logical = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword, args] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (!keyword) throw new Error(`cannot read: ${line}`);
    const kw = keyword.toUpperCase();
    if (kw === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args.trim());
      if (!m) throw new Error(`bad FROM: ${line}`);
      stages.push({ from: m[1], name: m[2] ?? null, instructions: [] });
      continue;
    }
    if (!stages.length) throw new Error(`${kw} before FROM`);
    stages.at(-1)!.instructions.push({ keyword: kw, args: args.trim() });
  }
  return stages;
}

const args = (stage: Stage, keyword: string) =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

/** ENV a=b c=d, or ENV a b. */
function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const a of args(stage, 'ENV')) {
    if (!a.includes('=')) {
      const [k, ...v] = a.split(/\s+/);
      env[k] = v.join(' ');
      continue;
    }
    for (const m of a.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g)) env[m[1]] = m[2].replace(/^"|"$/g, '');
  }
  return env;
}

describe('Dockerfile', () => {
  const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  const runtime = stages.at(-1)!;
  const defaults = new AppConfig();

  it('is multi-stage: a build, the production dependencies, and a runtime that copies only from them', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages.map((s) => s.name)).toEqual(['build', 'deps', 'runtime']);
    for (const s of stages) expect(s.from).toMatch(/^node:20[.-]/); // the engines' Node
    const copiedFrom = args(runtime, 'COPY').flatMap((a) => /--from=(\S+)/.exec(a)?.[1] ?? []);
    expect(new Set(copiedFrom)).toEqual(new Set(['build', 'deps']));
    expect(args(runtime, 'RUN').join(' ')).not.toMatch(/npm (ci|install)/);
    expect(args(runtime, 'RUN').join(' ')).not.toMatch(/g\+\+|make/);
  });

  it('installs the runtime’s node_modules with npm ci --omit=dev', () => {
    const deps = stages.find((s) => s.name === 'deps')!;
    expect(args(deps, 'RUN').some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(args(runtime, 'COPY')).toContainEqual(expect.stringMatching(/--from=deps\s.*\/app\/node_modules/));
  });

  it('runs as a user that is not root', () => {
    const users = args(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    // Nothing after USER switches back.
    const lastUser = runtime.instructions.map((i) => i.keyword).lastIndexOf('USER');
    expect(runtime.instructions.slice(lastUser + 1).map((i) => i.keyword)).not.toContain('RUN');
  });

  it('exposes the default port, and sets it', () => {
    expect(args(runtime, 'EXPOSE')).toEqual([String(defaults.PORT)]);
    expect(envOf(runtime).PORT).toBe(String(defaults.PORT));
    expect(envOf(runtime).NODE_ENV).toBe('production');
  });

  it('checks health on /health/live, a route the service has', () => {
    const [check] = args(runtime, 'HEALTHCHECK');
    expect(check).toMatch(/--interval=\d+s/);
    expect(check).toMatch(/--timeout=\d+s/);
    expect(check).toMatch(/\bCMD\b.*\/health\/live/);
    expect(Reflect.getMetadata(PATH_METADATA, HealthController)).toBe('health');
    expect(Reflect.getMetadata(PATH_METADATA, HealthController.prototype.live)).toBe('live');
  });

  it('starts with the command `npm start` and .ci/run use, on SIGTERM', () => {
    expect(JSON.parse(args(runtime, 'CMD')[0])).toEqual(['node', 'dist/src/main.js']);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toContain('node dist/src/main.js');
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toContain('node dist/src/main.js');
    expect(args(runtime, 'STOPSIGNAL')).toEqual(['SIGTERM']);
  });
});

describe('deploy/thresholds.service', () => {
  const unit = readFileSync(join(ROOT, 'deploy', 'thresholds.service'), 'utf8');
  const value = (key: string) =>
    unit
      .split('\n')
      .filter((l) => l.startsWith(`${key}=`))
      .map((l) => l.slice(key.length + 1));

  it('runs the same command as an unprivileged user, and gives SIGTERM time to finish', () => {
    expect(value('ExecStart')).toEqual(['/usr/bin/node dist/src/main.js']);
    expect(value('User')[0]).toMatch(/^(?!root$)\w+/);
    expect(value('KillSignal')).toEqual(['SIGTERM']);
    const defaults = new AppConfig();
    const needed = (defaults.SHUTDOWN_TIMEOUT_MS + defaults.MAIL_SMTP_TIMEOUT_MS) / 1000;
    expect(Number(value('TimeoutStopSec')[0])).toBeGreaterThan(needed);
    expect(value('Environment')).toContain('NODE_ENV=production');
  });
});
