/**
 * The Priority admission plugin (plugin/pkg/admission/priority) and the built-in PriorityClasses:
 * - a pod being created gets spec.priority and spec.preemptionPolicy from the PriorityClass it
 *   names, or from the global default class (or 0), and a name that matches no class is
 *   403 Forbidden (libs/api scheduling/v1 admitPodPriority has the rules and messages);
 * - only one PriorityClass may be the global default, on create and on update;
 * - `system-node-critical` and `system-cluster-critical` exist in every cluster: the api-server
 *   creates them at start-up when missing, as upstream's scheduling bootstrap hook does.
 */
import type { KindInfo, KubeObject, Pod, PriorityClass } from '@kubeling/api';
import {
  admitPodPriority,
  defaultPriorityClassOf,
  forbidden,
  hasReason,
  systemPriorityClasses,
  systemPriorityClassObject,
} from '@kubeling/api';
import type { StorageInterface } from '@kubeling/store';
import type { Admission, KindHooks, ResourceRegistry } from './resource';

const priorityClassesGR = { group: 'scheduling.k8s.io', resource: 'priorityclasses' };
const podsGR = { group: '', resource: 'pods' };

export class PriorityAdmission implements Admission {
  constructor(private readonly store: StorageInterface) {}

  private async classes(): Promise<PriorityClass[]> {
    return (await this.store.list(priorityClassesGR, {})).items as PriorityClass[];
  }

  async admitCreate(info: KindInfo, obj: KubeObject): Promise<void> {
    if (info.group === '' && info.resource === 'pods') return this.admitPod(obj as Pod);
    if (info.group === priorityClassesGR.group && info.resource === priorityClassesGR.resource)
      return this.checkSingleDefault(obj as PriorityClass, 'create');
  }

  private async admitPod(pod: Pod): Promise<void> {
    const all = await this.classes();
    const decision = admitPodPriority(
      pod.spec,
      (name) => all.find((pc) => pc.metadata.name === name),
      () => all,
    );
    if (!decision.ok) throw forbidden(podsGR, pod.metadata.name ?? '', decision.forbidden);
    if (decision.priorityClassName) pod.spec.priorityClassName = decision.priorityClassName;
    pod.spec.priority = decision.priority;
    if (decision.preemptionPolicy) pod.spec.preemptionPolicy = decision.preemptionPolicy;
  }

  /** A second global default is refused, whether created or made so by an update. */
  async checkSingleDefault(pc: PriorityClass, op: 'create' | 'update'): Promise<void> {
    if (!pc.globalDefault) return;
    const dpc = defaultPriorityClassOf(await this.classes());
    if (!dpc) return;
    if (op === 'create' || dpc.metadata.name !== pc.metadata.name)
      throw forbidden(
        priorityClassesGR,
        pc.metadata.name ?? '',
        `PriorityClass ${dpc.metadata.name} is already marked as default. Only one default can exist`,
      );
  }
}

/** Updates of a PriorityClass go through the same single-default rule. */
export function priorityClassHooks(admission: PriorityAdmission): KindHooks {
  return {
    beforeUpdate: (obj) => admission.checkSingleDefault(obj as PriorityClass, 'update'),
  };
}

/** Creates the system PriorityClasses that are missing; safe from several replicas at once. */
export async function ensureSystemPriorityClasses(reg: ResourceRegistry): Promise<void> {
  for (const { name } of systemPriorityClasses) {
    try {
      await reg.get(undefined, name);
      continue;
    } catch (e) {
      if (!hasReason(e, 'NotFound')) throw e;
    }
    try {
      await reg.create(undefined, systemPriorityClassObject(name), {
        dryRun: false,
        fieldValidation: 'Strict',
        fieldManager: 'kube-apiserver',
      });
    } catch (e) {
      if (!hasReason(e, 'AlreadyExists')) throw e;
    }
  }
}
