/**
 * Which typed message a `runtime.Unknown` envelope carries, by its TypeMeta: every kind
 * kubeling serves, DeleteOptions (DELETE bodies) and autoscaling/v1 Scale (the scale
 * subresource). Also the protobufjs reflection root built from the message tables.
 */
import protobuf from 'protobufjs';
import type { MessageDef, MessageDefs } from './fields';
import { isScalar } from './fields';
import { metaMessages } from './meta';
import { coreMessages } from './core';
import { appsMessages } from './apps';
import { discoveryMessages } from './discovery';
import { coordinationMessages } from './coordination';
import { autoscalingMessages } from './autoscaling';
import { schedulingMessages } from './scheduling';
import { coreMoreMessages } from './coreMore';
import { batchMessages } from './batch';

export const messages: MessageDefs = {
  ...metaMessages,
  ...coreMessages,
  ...appsMessages,
  ...discoveryMessages,
  ...coordinationMessages,
  ...autoscalingMessages,
  ...schedulingMessages,
  ...coreMoreMessages,
  ...batchMessages,
};

/** `apiVersion/kind` → top-level message. */
const topLevel: Readonly<Record<string, string>> = {
  'v1/Pod': 'core.Pod',
  'v1/Node': 'core.Node',
  'v1/Namespace': 'core.Namespace',
  'v1/Event': 'core.Event',
  'v1/ConfigMap': 'core.ConfigMap',
  'v1/Secret': 'core.Secret',
  'v1/Service': 'core.Service',
  'v1/Endpoints': 'core.Endpoints',
  'v1/ReplicationController': 'core.ReplicationController',
  'v1/ResourceQuota': 'core.ResourceQuota',
  'apps/v1/ReplicaSet': 'apps.ReplicaSet',
  'apps/v1/Deployment': 'apps.Deployment',
  'discovery.k8s.io/v1/EndpointSlice': 'discovery.EndpointSlice',
  'coordination.k8s.io/v1/Lease': 'coordination.Lease',
  'autoscaling/v1/Scale': 'autoscaling.Scale',
  'scheduling.k8s.io/v1/PriorityClass': 'scheduling.PriorityClass',
  'v1/ServiceAccount': 'core.ServiceAccount',
  'v1/PodTemplate': 'core.PodTemplate',
  'apps/v1/ControllerRevision': 'apps.ControllerRevision',
  'apps/v1/DaemonSet': 'apps.DaemonSet',
  'batch/v1/Job': 'batch.Job',
  'batch/v1/CronJob': 'batch.CronJob',
};

/**
 * The message for a TypeMeta, or undefined for a kind kubeling does not decode.
 * DeleteOptions is registered in every group-version (metav1.AddToGroupVersion) as well as in
 * meta.k8s.io/v1, so any apiVersion is taken for it.
 */
export function messageForKind(apiVersion: string, kind: string): string | undefined {
  if (kind === 'DeleteOptions') return 'meta.DeleteOptions';
  return topLevel[`${apiVersion}/${kind}`];
}

/** Every apiVersion/kind pair with a message (DeleteOptions as meta.k8s.io/v1). */
export function decodableKinds(): Array<{ apiVersion: string; kind: string; message: string }> {
  const out = Object.entries(topLevel).map(([key, message]) => {
    const i = key.lastIndexOf('/');
    return { apiVersion: key.slice(0, i), kind: key.slice(i + 1), message };
  });
  out.push({ apiVersion: 'meta.k8s.io/v1', kind: 'DeleteOptions', message: 'meta.DeleteOptions' });
  return out;
}

export function messageDef(name: string): MessageDef {
  const def = messages[name];
  if (!def) throw new Error(`protobuf: no message ${name}`);
  return def;
}

function buildRoot(defs: MessageDefs): protobuf.Root {
  const root = new protobuf.Root();
  for (const [name, def] of Object.entries(defs)) {
    const [pkg, local] = name.split('.') as [string, string];
    const ns = (root.lookup(pkg) as protobuf.Namespace | null) ?? root.define(pkg);
    const type = new protobuf.Type(local);
    for (const [field, f] of Object.entries(def)) {
      const t = isScalar(f.type) ? f.type : `.${f.type}`;
      if (f.rule === 'map') type.add(new protobuf.MapField(field, f.id, 'string', t));
      else if (f.rule === 'list')
        // proto2 repeated scalars are not packed: gogo writes one tag per element.
        type.add(
          new protobuf.Field(
            field,
            f.id,
            t,
            'repeated',
            undefined,
            isScalar(f.type) ? { packed: false } : undefined,
          ),
        );
      else type.add(new protobuf.Field(field, f.id, t, 'optional'));
    }
    ns.add(type);
  }
  root.resolveAll();
  return root;
}

let root: protobuf.Root | undefined;

/** The reflected type of a message, built once on first use. */
export function protoType(name: string): protobuf.Type {
  root ??= buildRoot(messages);
  return root.lookupType(`.${name}`);
}
