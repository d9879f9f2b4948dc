/**
 * @kubeling/api — Kubernetes object types, their zod schemas, defaulting and validation; label
 * and field selectors, quantities, int-or-percent; the Status error shape. Uses nothing else of
 * kubeling, so every component and tool can depend on it.
 *
 *   import { scheme, decode, validateCreate, parseLabelSelector } from '@kubeling/api';
 *   const info = scheme.byResource('apps', 'deployments')!;
 *   const { object } = decode(info, JSON.parse(body), 'Strict');
 *   parseLabelSelector('env in (production,qa),tier notin (frontend)').matches(object.metadata.labels);
 */
export * from './meta/status';
export * from './meta/fieldErrors';
export * from './meta/names';
export * from './meta/objectMeta';
export * from './meta/labelSelector';
export * from './meta/fieldSelector';
export * from './meta/quantity';
export * from './meta/intOrString';
export * from './meta/time';
export * from './meta/equality';
export * from './meta/request';
export * from './meta/watchEvent';
export * from './meta/encodedList';
export * from './scheme';
export * from './decode';
export * from './core/v1/pod';
export * from './core/v1/node';
export * from './core/v1/taints';
export * from './core/v1/resourceHelpers';
export * from './core/v1/nodeSelector';
export * from './core/v1/namespace';
export * from './core/v1/event';
export * from './core/v1/configMap';
export * from './core/v1/secret';
export * from './core/v1/service';
export * from './core/v1/endpoints';
export * from './core/v1/replicationController';
export * from './core/v1/resourceQuota';
export * from './apps/v1/replicaSet';
export * from './apps/v1/deployment';
export * from './discovery/v1/endpointSlice';
export * from './coordination/v1/lease';
export * from './scheduling/v1/priorityClass';
export * from './core/v1/serviceAccount';
export * from './core/v1/podTemplate';
export * from './apps/v1/controllerRevision';
export * from './apps/v1/daemonSet';
export * from './batch/v1/job';
export * from './batch/v1/cronJob';
export * from './batch/v1/cronSchedule';
export * from './register';
export * from './patch';
