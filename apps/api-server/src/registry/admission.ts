/**
 * The admission chain: the plugins the api-server runs on every create, in upstream's order
 * (NamespaceLifecycle, LimitRanger, ServiceAccount, Priority, ...). Each plugin decides itself
 * which kinds it acts on.
 */
import type { Admission } from './resource';

export function admissionChain(...plugins: Admission[]): Admission {
  return {
    async admitCreate(info, obj) {
      for (const p of plugins) await p.admitCreate(info, obj);
    },
  };
}
