#!/usr/bin/env node
// Runs `npm ci` when node_modules does not match package-lock.json (a fresh clone, or a lock
// file that changed since the last install), so `npm start` and `npm test` work on a fresh
// clone. A no-op right after `npm ci`.
import { createHash } from 'node:crypto';
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const stamp = join(root, 'node_modules', '.kubeling-lock-sha256');
const want = createHash('sha256').update(readFileSync(lock)).digest('hex');
const installed = existsSync(join(root, 'node_modules', '.package-lock.json'));
const have = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : installed ? want : '';
if (have !== want || !installed) {
  process.stderr.write('node_modules is missing or stale: running npm ci\n');
  execSync('npm ci', { cwd: root, stdio: 'inherit' });
}
writeFileSync(stamp, want);
