/**
 * The controller-manager's own flags: `--controllers`, and each controller's flags (from its
 * descriptor), merged. Two descriptors declaring the same flag is a programming error.
 */
import type { FlagSet } from '@kubeling/runtime';
import type { ControllerDescriptor } from './controllerContext';
import { controllersFlag } from './controllersFlag';

export function controllerManagerFlags(descriptors: readonly ControllerDescriptor[]) {
  const merged: FlagSet = {};
  for (const d of descriptors)
    for (const [name, f] of Object.entries(d.flags ?? {})) {
      if (name in merged) throw new Error(`flag --${name} declared by two controllers`);
      merged[name] = f;
    }
  return { controllers: controllersFlag(descriptors), ...merged };
}
