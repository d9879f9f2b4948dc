/** DefaultBinder: binds through the pods/binding subresource, as upstream. */
import type { Pod } from '@kubeling/api';
import type { BindPlugin, CycleState, Handle, PluginFactory } from '../../framework/interface';
import { asError, success } from '../../framework/status';

export const Name = 'DefaultBinder';

export class DefaultBinder implements BindPlugin {
  readonly name = Name;
  constructor(private readonly handle: Handle) {}

  async bind(_s: CycleState, pod: Pod, nodeName: string) {
    const client = this.handle.client;
    if (!client) return asError('no client to bind with');
    try {
      await client.bind({
        metadata: {
          name: pod.metadata.name,
          namespace: pod.metadata.namespace,
          uid: pod.metadata.uid,
        },
        target: { kind: 'Node', name: nodeName },
      });
      return success;
    } catch (e) {
      return asError((e as Error).message);
    }
  }
}

export const factory: PluginFactory = (_args, handle) => new DefaultBinder(handle);
