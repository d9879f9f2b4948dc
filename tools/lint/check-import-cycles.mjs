#!/usr/bin/env node
// Fails (exit 1) on any import cycle among the TypeScript files of the tree, inside a project or
// between projects, type-only imports included: `import type`, `export ... from` and `import()`
// count like any import, because a cycle of types still ties two modules into one unit that
// cannot be read, tested or moved apart. Part of `npm run lint`.
//
// Files are those of tsconfig.json; specifiers are resolved the way tsc resolves them (its
// `paths` map @kubeling/<lib> to libs/<lib>/src/index.ts, so a cycle between projects shows up
// through their index files). Packages under node_modules are not followed.
//
//   node tools/lint/check-import-cycles.mjs [tsconfig.json]
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ts = require('typescript');

/** The import graph: file -> files it imports (resolved, outside node_modules). */
export function importGraph(tsconfigPath) {
  const config = ts.getParsedCommandLineOfConfigFile(
    tsconfigPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error(`cannot read ${tsconfigPath}`);
  const files = config.fileNames.filter((f) => !f.endsWith('.d.ts'));
  const host = ts.createCompilerHost(config.options);
  const cache = ts.createModuleResolutionCache(process.cwd(), (f) => f, config.options);
  const graph = new Map();
  for (const file of files) {
    const text = ts.sys.readFile(file) ?? '';
    const { importedFiles } = ts.preProcessFile(text, true, true);
    const targets = new Set();
    for (const { fileName } of importedFiles) {
      const { resolvedModule } = ts.resolveModuleName(fileName, file, config.options, host, cache);
      const target = resolvedModule?.resolvedFileName;
      if (!target || resolvedModule.isExternalLibraryImport || target.includes('/node_modules/'))
        continue;
      targets.add(path.resolve(target));
    }
    graph.set(path.resolve(file), targets);
  }
  return graph;
}

/**
 * Strongly connected components of more than one file, or a file importing itself (Tarjan's
 * algorithm, iterative so deep import chains cannot overflow the stack), each as a cycle path.
 */
export function findCycles(graph) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const components = [];
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work = [{ node: root, edges: [...(graph.get(root) ?? [])], i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.i < frame.edges.length) {
        const next = frame.edges[frame.i++];
        if (!graph.has(next)) continue;
        if (!index.has(next)) {
          index.set(next, counter);
          low.set(next, counter++);
          stack.push(next);
          onStack.add(next);
          work.push({ node: next, edges: [...(graph.get(next) ?? [])], i: 0 });
        } else if (onStack.has(next)) {
          low.set(frame.node, Math.min(low.get(frame.node), index.get(next)));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node), low.get(frame.node)));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const members = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        members.push(member);
      } while (member !== frame.node);
      const selfImport = members.length === 1 && graph.get(frame.node)?.has(frame.node);
      if (members.length > 1 || selfImport) components.push(cyclePath(graph, new Set(members)));
    }
  }
  return components;
}

/** One concrete cycle through a strongly connected set: a -> b -> ... -> a (breadth-first). */
function cyclePath(graph, members) {
  const start = [...members].sort()[0];
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const chain = [node];
        while (previous.get(chain[0]) !== undefined) chain.unshift(previous.get(chain[0]));
        return [...chain, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

function main() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const tsconfig = path.resolve(root, process.argv[2] ?? 'tsconfig.json');
  const cycles = findCycles(importGraph(tsconfig));
  if (cycles.length === 0) return 0;
  for (const cycle of cycles) {
    process.stderr.write(
      `import cycle: ${cycle.map((f) => path.relative(root, f)).join(' -> ')}\n`,
    );
  }
  process.stderr.write(
    `${cycles.length} import cycle(s), type-only imports included: move what the modules share into a module of its own.\n`,
  );
  return 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
