/**
 * `taint-eviction-controller`: deletes pods from nodes with NoExecute taints they do not
 * tolerate, after their tolerationSeconds (./taintEvictionController.ts). Enabled by default,
 * as upstream's (kube-controller-manager 1.29+).
 */
import type { ControllerDescriptor } from '../../controllerContext';
import { TaintEvictionController } from './taintEvictionController';

export const taintEvictionControllerDescriptor: ControllerDescriptor = {
  name: 'taint-eviction-controller',
  enabledByDefault: true,
  run: (ctx) =>
    new TaintEvictionController({
      client: ctx.client,
      factory: ctx.informers,
      recorder: ctx.recorder('taint-eviction-controller'),
      clock: ctx.clock,
      onError: (key, err) => ctx.log.error(`taint eviction ${key}`, { err: String(err) }),
    }).run(ctx.signal),
};
