/**
 * `serviceaccount`: the `default` ServiceAccount in every namespace (./serviceAccountsController.ts).
 * No flags of its own (upstream runs it with one worker).
 */
import type { ControllerDescriptor } from '../../controllerContext';
import { ServiceAccountsController } from './serviceAccountsController';

export const serviceAccountControllerDescriptor: ControllerDescriptor = {
  name: 'serviceaccount',
  enabledByDefault: true,
  run: (ctx) =>
    new ServiceAccountsController({
      client: ctx.client,
      factory: ctx.informers,
      clock: ctx.clock,
      onError: (key, err) => ctx.log.error(`serviceaccount ${key}`, { err: String(err) }),
    }).run(ctx.signal),
};
