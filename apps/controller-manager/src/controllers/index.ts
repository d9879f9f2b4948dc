/**
 * Every controller the controller-manager knows, by upstream's name. A new controller is one
 * line here and a folder beside this file exporting its ControllerDescriptor.
 */
import type { ControllerDescriptor } from '../controllerContext';
import { deploymentControllerDescriptor } from './deployment';
import { endpointControllerDescriptor } from './endpoint';
import { endpointSliceControllerDescriptor } from './endpointslice';
import { endpointSliceMirroringControllerDescriptor } from './endpointslicemirroring';
import { garbageCollectorControllerDescriptor } from './garbagecollector';
import { namespaceControllerDescriptor } from './namespace';
import { nodeLifecycleControllerDescriptor } from './nodelifecycle';
import { podGCControllerDescriptor } from './podgc';
import { replicaSetControllerDescriptor } from './replicaset';
import { replicationControllerDescriptor } from './replicationcontroller';
import { serviceAccountControllerDescriptor } from './serviceaccount';
import { taintEvictionControllerDescriptor } from './tainteviction';

export const controllerDescriptors: readonly ControllerDescriptor[] = [
  deploymentControllerDescriptor,
  endpointControllerDescriptor,
  endpointSliceControllerDescriptor,
  endpointSliceMirroringControllerDescriptor,
  garbageCollectorControllerDescriptor,
  namespaceControllerDescriptor,
  nodeLifecycleControllerDescriptor,
  podGCControllerDescriptor,
  replicaSetControllerDescriptor,
  replicationControllerDescriptor,
  serviceAccountControllerDescriptor,
  taintEvictionControllerDescriptor,
];
