import { parse } from 'yaml';
import { deepText, deepYaml } from '../fuzz/malformed';
import { yamlDepthEstimate } from './yamlDepth';

/** The exact depth of a parsed value: objects and lists, the outermost counting 1. */
function depthOf(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  const children = Array.isArray(v) ? v : Object.values(v);
  return 1 + Math.max(0, ...children.map(depthOf));
}

describe('yamlDepthEstimate', () => {
  it('matches the parsed depth of ordinary documents', () => {
    const docs = [
      'a: 1',
      'a:\n  b:\n    c: [1, {d: 2}]\n',
      '- a: 1\n  b: [x, y]\n- c\n',
      '- - - 1\n',
      'metadata:\n  name: x\n  labels: {app: web}\nspec:\n  containers:\n  - name: c\n    ports:\n    - containerPort: 80\n',
      '{"apiVersion":"v1","kind":"Pod","spec":{"containers":[{"name":"c","args":["a","b"]}]}}',
      '[[[[1]]]]',
    ];
    for (const d of docs) expect([d, yamlDepthEstimate(d)]).toEqual([d, depthOf(parse(d))]);
  });

  it('does not count brackets inside scalars, quotes or comments', () => {
    const doc = [
      'image: registry/foo[1]',
      `text: "${'['.repeat(300)}"`,
      `single: '${'{'.repeat(300)} it''s'`,
      `# ${'['.repeat(300)}`,
      `plain: a${'['.repeat(300)}`,
    ].join('\n');
    expect(yamlDepthEstimate(doc)).toBe(1);
  });

  it('sees deep flow and block nesting', () => {
    expect(yamlDepthEstimate(deepText(150, 'mixed'))).toBe(150);
    expect(yamlDepthEstimate(deepText(100_000, 'array'))).toBe(100_000);
    expect(yamlDepthEstimate(deepYaml(150, true))).toBe(150);
  });

  it('reads a 3 MiB document in well under a second', () => {
    const big = deepText(500_000, 'mixed');
    const started = Date.now();
    yamlDepthEstimate(big);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
