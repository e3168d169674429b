// Runs `npm ci` here unless node_modules already holds exactly what package-lock.json pins (a stamp of its hash), so
// only a fresh checkout or a changed lock pays for the install. Uses the machine's npm; no Node download.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const lock = createHash('sha256').update(readFileSync(path.join(here, 'package-lock.json'))).digest('hex');
const stamp = path.join(here, 'node_modules', '.installed-lock-sha256');
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === lock) {
  console.log('node_modules matches package-lock.json: no install');
  process.exit(0);
}
const started = Date.now();
const npm = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
  { cwd: here, stdio: 'inherit' });
if (npm.status !== 0) {
  console.error(`npm ci failed (exit ${npm.status ?? npm.error})`);
  process.exit(1);
}
writeFileSync(stamp, lock);
console.log(`npm ci took ${((Date.now() - started) / 1000).toFixed(1)} s`);
