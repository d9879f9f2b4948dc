/**
 * Every controller the controller-manager knows, by upstream's name. A new controller is one
 * line here and a folder beside this file exporting its ControllerDescriptor.
 */
import type { ControllerDescriptor } from '../controllerContext';
import { deploymentControllerDescriptor } from './deployment';
import { replicaSetControllerDescriptor } from './replicaset';
import { replicationControllerDescriptor } from './replicationcontroller';

export const controllerDescriptors: readonly ControllerDescriptor[] = [
  deploymentControllerDescriptor,
  replicaSetControllerDescriptor,
  replicationControllerDescriptor,
];
