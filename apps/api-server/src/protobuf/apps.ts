/**
 * apps/v1 messages: Deployment and ReplicaSet (field numbers of k8s.io/api apps/v1 `generated.proto`).
 */
import type { MessageDefs } from './fields';
import { bool, int32, int64, list, msg, string } from './fields';

export const appsMessages: MessageDefs = {
  'apps.DaemonSet': {
    metadata: msg(1, 'meta.ObjectMeta'),
    spec: msg(2, 'apps.DaemonSetSpec'),
    status: msg(3, 'apps.DaemonSetStatus'),
  },
  'apps.DaemonSetSpec': {
    selector: msg(1, 'meta.LabelSelector', 'ptr'),
    template: msg(2, 'core.PodTemplateSpec', 'req'),
    updateStrategy: msg(3, 'apps.DaemonSetUpdateStrategy'),
    minReadySeconds: int32(4),
    revisionHistoryLimit: int32(6, 'ptr'),
  },
  'apps.DaemonSetUpdateStrategy': {
    type: string(1),
    rollingUpdate: msg(2, 'apps.RollingUpdateDaemonSet', 'ptr'),
  },
  'apps.RollingUpdateDaemonSet': {
    maxUnavailable: msg(1, 'intstr.IntOrString', 'ptr'),
    maxSurge: msg(2, 'intstr.IntOrString', 'ptr'),
  },
  'apps.DaemonSetStatus': {
    currentNumberScheduled: int32(1, 'req'),
    numberMisscheduled: int32(2, 'req'),
    desiredNumberScheduled: int32(3, 'req'),
    numberReady: int32(4, 'req'),
    observedGeneration: int64(5),
    updatedNumberScheduled: int32(6),
    numberAvailable: int32(7),
    numberUnavailable: int32(8),
    collisionCount: int32(9, 'ptr'),
    conditions: list(10, 'apps.DaemonSetCondition'),
  },
  'apps.DaemonSetCondition': {
    type: string(1, 'req'),
    status: string(2, 'req'),
    lastTransitionTime: msg(3, 'meta.Time'),
    reason: string(4),
    message: string(5),
  },
  'apps.ControllerRevision': {
    metadata: msg(1, 'meta.ObjectMeta'),
    data: msg(2, 'runtime.RawExtension'),
    revision: int64(3, 'req'),
  },
  'apps.Deployment': {
    metadata: msg(1, 'meta.ObjectMeta'),
    spec: msg(2, 'apps.DeploymentSpec'),
    status: msg(3, 'apps.DeploymentStatus'),
  },
  'apps.DeploymentCondition': {
    type: string(1, 'req'),
    status: string(2, 'req'),
    lastUpdateTime: msg(6, 'meta.Time'),
    lastTransitionTime: msg(7, 'meta.Time'),
    reason: string(4),
    message: string(5),
  },
  'apps.DeploymentSpec': {
    replicas: int32(1, 'ptr'),
    selector: msg(2, 'meta.LabelSelector', 'ptr'),
    template: msg(3, 'core.PodTemplateSpec', 'req'),
    strategy: msg(4, 'apps.DeploymentStrategy'),
    minReadySeconds: int32(5),
    revisionHistoryLimit: int32(6, 'ptr'),
    paused: bool(7),
    progressDeadlineSeconds: int32(9, 'ptr'),
  },
  'apps.DeploymentStatus': {
    observedGeneration: int64(1),
    replicas: int32(2),
    updatedReplicas: int32(3),
    readyReplicas: int32(7),
    availableReplicas: int32(4),
    unavailableReplicas: int32(5),
    terminatingReplicas: int32(9, 'ptr'),
    conditions: list(6, 'apps.DeploymentCondition'),
    collisionCount: int32(8, 'ptr'),
  },
  'apps.DeploymentStrategy': {
    type: string(1),
    rollingUpdate: msg(2, 'apps.RollingUpdateDeployment', 'ptr'),
  },
  'apps.ReplicaSet': {
    metadata: msg(1, 'meta.ObjectMeta'),
    spec: msg(2, 'apps.ReplicaSetSpec'),
    status: msg(3, 'apps.ReplicaSetStatus'),
  },
  'apps.ReplicaSetCondition': {
    type: string(1, 'req'),
    status: string(2, 'req'),
    lastTransitionTime: msg(3, 'meta.Time'),
    reason: string(4),
    message: string(5),
  },
  'apps.ReplicaSetSpec': {
    replicas: int32(1, 'ptr'),
    minReadySeconds: int32(4),
    selector: msg(2, 'meta.LabelSelector', 'ptr'),
    template: msg(3, 'core.PodTemplateSpec'),
  },
  'apps.ReplicaSetStatus': {
    replicas: int32(1, 'req'),
    fullyLabeledReplicas: int32(2),
    readyReplicas: int32(4),
    availableReplicas: int32(5),
    terminatingReplicas: int32(7, 'ptr'),
    observedGeneration: int64(3),
    conditions: list(6, 'apps.ReplicaSetCondition'),
  },
  'apps.RollingUpdateDeployment': {
    maxUnavailable: msg(1, 'intstr.IntOrString', 'ptr'),
    maxSurge: msg(2, 'intstr.IntOrString', 'ptr'),
  },
};
