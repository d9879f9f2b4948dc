/**
 * The DefaultTolerationSeconds admission plugin (kubernetes plugin/pkg/admission/
 * defaulttolerationseconds): every pod created gets NoExecute tolerations of the
 * `node.kubernetes.io/not-ready` and `node.kubernetes.io/unreachable` taints for
 * --default-not-ready-toleration-seconds / --default-unreachable-toleration-seconds (300 s
 * each), unless it already tolerates that taint — so when a node goes away the node lifecycle
 * controller's NoExecute eviction waits five minutes before moving its pods.
 *
 * Upstream's test of "already tolerates" is its own, not ToleratesTaint: a toleration with that
 * key (or no key) and effect NoExecute (or no effect) counts, whatever its operator.
 */
import type { KindInfo, KubeObject, Pod, Toleration } from '@kubeling/api';
import type { Admission } from './resource';

export const TaintNodeNotReady = 'node.kubernetes.io/not-ready';
export const TaintNodeUnreachable = 'node.kubernetes.io/unreachable';

export interface DefaultTolerationSecondsOptions {
  notReadySeconds?: number;
  unreachableSeconds?: number;
}

export class DefaultTolerationSeconds implements Admission {
  private readonly notReady: number;
  private readonly unreachable: number;

  constructor(opts: DefaultTolerationSecondsOptions = {}) {
    this.notReady = opts.notReadySeconds ?? 300;
    this.unreachable = opts.unreachableSeconds ?? 300;
  }

  async admitCreate(info: KindInfo, obj: KubeObject): Promise<void> {
    if (info.group !== '' || info.resource !== 'pods') return;
    const pod = obj as Pod;
    const tolerations: Toleration[] = pod.spec.tolerations ?? [];
    const tolerates = (key: string) =>
      tolerations.some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute'));
    const added: Toleration[] = [];
    if (!tolerates(TaintNodeNotReady))
      added.push({
        key: TaintNodeNotReady,
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: this.notReady,
      });
    if (!tolerates(TaintNodeUnreachable))
      added.push({
        key: TaintNodeUnreachable,
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: this.unreachable,
      });
    if (added.length) pod.spec.tolerations = [...tolerations, ...added];
  }
}
