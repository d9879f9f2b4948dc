/**
 * The scheme kubeling serves: every kind registered once, core/v1 first, then named groups.
 * Order is discovery order.
 */
import { Scheme } from './scheme';
import { podKind } from './core/v1/pod';
import { nodeKind } from './core/v1/node';
import { namespaceKind } from './core/v1/namespace';
import { eventKind } from './core/v1/event';
import { configMapKind } from './core/v1/configMap';
import { secretKind } from './core/v1/secret';
import { serviceKind } from './core/v1/service';
import { endpointsKind } from './core/v1/endpoints';
import { replicationControllerKind } from './core/v1/replicationController';
import { resourceQuotaKind } from './core/v1/resourceQuota';
import { replicaSetKind } from './apps/v1/replicaSet';
import { deploymentKind } from './apps/v1/deployment';
import { endpointSliceKind } from './discovery/v1/endpointSlice';
import { leaseKind } from './coordination/v1/lease';
import { priorityClassKind } from './scheduling/v1/priorityClass';
import { serviceAccountKind } from './core/v1/serviceAccount';
import { podTemplateKind } from './core/v1/podTemplate';
import { controllerRevisionKind } from './apps/v1/controllerRevision';
import { daemonSetKind } from './apps/v1/daemonSet';
import { jobKind } from './batch/v1/job';
import { cronJobKind } from './batch/v1/cronJob';

export const scheme = new Scheme();
scheme.register(podKind);
scheme.register(nodeKind);
scheme.register(namespaceKind);
scheme.register(eventKind);
scheme.register(configMapKind);
scheme.register(secretKind);
scheme.register(serviceKind);
scheme.register(endpointsKind);
scheme.register(replicationControllerKind);
scheme.register(resourceQuotaKind);
scheme.register(serviceAccountKind);
scheme.register(podTemplateKind);
scheme.register(replicaSetKind);
scheme.register(deploymentKind);
scheme.register(daemonSetKind);
scheme.register(controllerRevisionKind);
scheme.register(jobKind);
scheme.register(cronJobKind);
scheme.register(endpointSliceKind);
scheme.register(leaseKind);
scheme.register(priorityClassKind);
