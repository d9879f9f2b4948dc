/**
 * PodControl (kubernetes pkg/controller/controller_utils.go RealPodControl): how workload
 * controllers create and delete pods, with the events upstream records on the owner —
 * SuccessfulCreate "Created pod: <name>", FailedCreate "Error creating: <err>",
 * SuccessfulDelete "Deleted pod: <name>", FailedDelete "Error deleting: <err>".
 */
import type { KubeObject, OwnerReference, Pod, PodTemplateSpec } from '@kubeling/api';
import { hasReason, podKind } from '@kubeling/api';
import type { Client, EventRecorder } from '@kubeling/client';

/** GetPodFromTemplate: a pod of the owner's template, named `<owner>-<random>`. */
export function podFromTemplate(
  template: PodTemplateSpec,
  owner: KubeObject,
  controllerRef: OwnerReference,
): Pod {
  const labels = { ...(template.metadata.labels ?? {}) };
  const name = owner.metadata.name ?? '';
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      // getPodsPrefix: `<name>-`, the api-server appends 5 random characters.
      generateName: `${name}-`,
      namespace: owner.metadata.namespace,
      labels,
      ownerReferences: [controllerRef],
    },
    spec: structuredClone(template.spec),
  } as Pod;
  if (template.metadata.annotations)
    pod.metadata.annotations = { ...template.metadata.annotations };
  if (template.metadata.finalizers) pod.metadata.finalizers = [...template.metadata.finalizers];
  return pod;
}

export class PodControl {
  constructor(
    private readonly client: Client,
    private readonly recorder: EventRecorder,
  ) {}

  /** CreatePods: one pod from the template, owned by `owner`; the event goes on `owner`. */
  async createPod(
    template: PodTemplateSpec,
    owner: KubeObject,
    controllerRef: OwnerReference,
  ): Promise<Pod> {
    const pod = podFromTemplate(template, owner, controllerRef);
    if (Object.keys(pod.metadata.labels ?? {}).length === 0)
      throw new Error('unable to create pods, no labels');
    let created: Pod;
    try {
      created = await this.client.resource(podKind).namespace(owner.metadata.namespace).create(pod);
    } catch (e) {
      this.recorder.eventf(owner, 'Warning', 'FailedCreate', 'Error creating: %v', messageOf(e));
      throw e;
    }
    this.recorder.eventf(
      owner,
      'Normal',
      'SuccessfulCreate',
      'Created pod: %v',
      created.metadata.name,
    );
    return created;
  }

  /** DeletePod: NotFound is returned as is, without an event (someone else deleted it). */
  async deletePod(namespace: string, name: string, owner: KubeObject): Promise<void> {
    try {
      await this.client.resource(podKind).namespace(namespace).delete(name);
    } catch (e) {
      if (!hasReason(e, 'NotFound'))
        this.recorder.eventf(owner, 'Warning', 'FailedDelete', 'Error deleting: %v', messageOf(e));
      throw e;
    }
    this.recorder.eventf(owner, 'Normal', 'SuccessfulDelete', 'Deleted pod: %v', name);
  }
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
