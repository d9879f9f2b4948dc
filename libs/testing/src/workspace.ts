/** The repository root, found from this file, so tests work from any working directory. */
import * as fs from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

export function workspaceRoot(): string {
  if (cached !== undefined) return cached;
  const start = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      const json = JSON.parse(fs.readFileSync(pkg, 'utf8')) as { workspaces?: unknown };
      if (json.workspaces !== undefined) return (cached = dir);
    }
    if (path.dirname(dir) === dir) throw new Error(`no npm workspace root above ${start}`);
  }
}
