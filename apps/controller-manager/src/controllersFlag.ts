/**
 * `--controllers` (kube-controller-manager's): a list of `*` (every controller enabled by
 * default), `foo` (enable foo) and `-foo` (disable foo). The first entry naming a controller
 * decides for it; a controller no entry names is enabled only when `*` is present and it is
 * enabled by default (upstream's IsControllerEnabled). Names are upstream's short names
 * (`replicaset`); the 1.27+ spellings (`replicaset-controller`) are accepted as aliases.
 * A name no controller has is a flag error: `"foo" is not in the list of known controllers`.
 */
import { z } from 'zod';
import { flag } from '@kubeling/runtime';

/** What the flag needs to know of a controller. */
export interface KnownController {
  name: string;
  enabledByDefault: boolean;
}

/** The canonical short name of `word` (`replicaset-controller` → `replicaset`), if known. */
function canonical(word: string, known: readonly KnownController[]): string | undefined {
  for (const c of known) if (word === c.name || word === `${c.name}-controller`) return c.name;
  return undefined;
}

/** Parses and validates the comma-separated list into canonical entries (`*`, `foo`, `-foo`). */
export function parseControllers(text: string, known: readonly KnownController[]): string[] {
  const out: string[] = [];
  for (const raw of text.split(',')) {
    const word = raw.trim();
    if (word === '') continue;
    if (word === '*') {
      out.push('*');
      continue;
    }
    const negated = word.startsWith('-');
    const name = canonical(negated ? word.slice(1) : word, known);
    if (name === undefined)
      throw new Error(
        `"${negated ? word.slice(1) : word}" is not in the list of known controllers`,
      );
    out.push(negated ? `-${name}` : name);
  }
  return out;
}

/** IsControllerEnabled. */
export function isControllerEnabled(c: KnownController, entries: readonly string[]): boolean {
  let star = false;
  for (const e of entries) {
    if (e === c.name) return true;
    if (e === `-${c.name}`) return false;
    if (e === '*') star = true;
  }
  return star && c.enabledByDefault;
}

/** The flag declaration; its value is the list of canonical entries. */
export function controllersFlag(known: readonly KnownController[]) {
  const all = known.map((c) => c.name).sort();
  const off = known
    .filter((c) => !c.enabledByDefault)
    .map((c) => c.name)
    .sort();
  return flag.custom({
    valueName: 'strings',
    default: ['*'],
    defaultText: '[*]',
    group: 'Generic',
    description:
      "A list of controllers to enable. '*' enables all on-by-default controllers, 'foo' enables the controller named 'foo', '-foo' disables the controller named 'foo'. " +
      `All controllers: ${all.join(', ')}.` +
      (off.length > 0 ? ` Disabled-by-default controllers: ${off.join(', ')}.` : ''),
    schema: z.string().transform((text, ctx) => {
      try {
        return parseControllers(text, known);
      } catch (e) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: (e as Error).message });
        return z.NEVER;
      }
    }),
  });
}
