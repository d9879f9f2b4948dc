/**
 * The import-cycle check `npm run lint` runs, on small trees written for each case and on the
 * real one.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runProcess, workspaceRoot } from '@kubeling/testing';

const script = path.join(__dirname, 'check-import-cycles.mjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeling-cycles-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let trees = 0;
/** Writes files (and a tsconfig.json mapping @x/<name> to <name>/index.ts) into a fresh dir. */
function tree(files: Record<string, string>): string {
  const dir = path.join(tmp, `t${trees++}`);
  const all: Record<string, string> = {
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        module: 'preserve',
        moduleResolution: 'bundler',
        baseUrl: '.',
        paths: { '@x/one': ['one/index.ts'], '@x/two': ['two/index.ts'] },
      },
      include: ['**/*.ts'],
    }),
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return path.join(dir, 'tsconfig.json');
}

const check = (tsconfig: string) =>
  runProcess(process.execPath, [script, tsconfig], { env: process.env, timeoutMs: 60_000 });

describe('check-import-cycles', () => {
  it('passes a tree without cycles', async () => {
    const r = await check(
      tree({
        'a.ts': "import { b } from './b';\nexport const a = b + 1;\n",
        'b.ts': "import type { C } from './c';\nexport const b = 1;\nexport type B = C;\n",
        'c.ts': 'export type C = number;\n',
      }),
    );
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('fails on a cycle of type-only imports, naming it', async () => {
    const r = await check(
      tree({
        'a.ts': "import type { B } from './b';\nexport interface A { b?: B }\n",
        'b.ts': "import type { A } from './a';\nexport interface B { a?: A }\n",
      }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^import cycle: \S*\/a\.ts -> \S*\/b\.ts -> \S*\/a\.ts$/m);
    expect(r.stderr).toContain('1 import cycle(s)');
  });

  it('fails on a cycle between projects through their index files and re-exports', async () => {
    const r = await check(
      tree({
        'one/index.ts': "export * from './thing';\n",
        'one/thing.ts': "import type { U } from '@x/two';\nexport type Thing = U[];\n",
        'two/index.ts': "export type { U } from './u';\n",
        'two/u.ts': "import type { Thing } from '@x/one';\nexport interface U { t?: Thing }\n",
      }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/one\/index\.ts -> .*two\/u\.ts -> .*one\/index\.ts/);
  });

  it('fails on a module that imports itself, and counts each cycle once', async () => {
    const r = await check(
      tree({
        'self.ts': "export type { S } from './self';\nexport type S = 1;\n",
        'p.ts': "import './q';\n",
        'q.ts': "import './r';\n",
        'r.ts': "import './p';\nimport './q';\n",
      }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^import cycle: \S*\/self\.ts -> \S*\/self\.ts$/m);
    expect(r.stderr).toContain('2 import cycle(s)');
  });

  it('finds none in this repository', async () => {
    const r = await check(path.join(workspaceRoot(), 'tsconfig.json'));
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  }, 60_000);
});
