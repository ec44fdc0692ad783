#!/usr/bin/env node
// `npm start`'s build step: runs `nest build` only when something it compiles has changed since the
// last build (a file or folder under src/, migrations/, scripts/ or views/ newer than the stamp
// dist/.build-stamp, or the compiler settings, package.json or package-lock.json; shell scripts and
// notes do not count). A removed or added file counts too: it changes its folder's time. Plain
// JavaScript, so the check itself costs milliseconds. `--force` builds whatever the times say.
'use strict';
const { existsSync, readdirSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const stamp = join(root, 'dist', '.build-stamp');
const trees = ['src', 'migrations', 'scripts', 'views'];
const files = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'];
const entry = join(root, 'dist', 'src', 'main.js');
/** Files in those folders that the build neither compiles nor copies (shell scripts, notes). */
const NOT_BUILT = /\.(sh|md)$/;

/** The newest modification time (ms) of a file, or of a folder and everything in it. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  let latest = stat.mtimeMs;
  if (stat.isDirectory()) {
    for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  } else if (NOT_BUILT.test(path)) {
    return 0;
  }
  return latest;
}

function builtAt() {
  if (!existsSync(stamp) || !existsSync(entry)) return -1;
  return statSync(stamp).mtimeMs;
}

const sources = Math.max(...[...trees, ...files].map((p) => newest(join(root, p))));
const built = builtAt();
if (!process.argv.includes('--force') && built >= sources) process.exit(0);

process.stderr.write(built < 0 ? 'Building the service (first start)…\n' : 'Sources changed: building the service…\n');
const started = Date.now();
// The time before the build: a file saved during the build is newer than the stamp, so builds next time.
const result = spawnSync(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js'), 'build'], {
  cwd: root,
  stdio: 'inherit',
});
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stamp, `${new Date(started).toISOString()}\n`);
utimesSync(stamp, started / 1000, started / 1000);
process.stderr.write(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
