/** The in-tree plugins by upstream name (runtime.Registry): a config file names them. */
import type { Registry } from '../framework/interface';
import * as defaultBinder from './defaultBinder';
import * as defaultPreemption from './defaultPreemption';
import * as imageLocality from './imageLocality';
import * as interPodAffinity from './interPodAffinity';
import * as nodeAffinity from './nodeAffinity';
import * as nodeName from './nodeName';
import * as nodePorts from './nodePorts';
import * as nodeResourcesBalancedAllocation from './nodeResourcesBalancedAllocation';
import * as nodeResourcesFit from './nodeResourcesFit';
import * as nodeUnschedulable from './nodeUnschedulable';
import * as podTopologySpread from './podTopologySpread';
import * as taintToleration from './taintToleration';

export const inTreeRegistry: Registry = {
  [nodeUnschedulable.Name]: nodeUnschedulable.factory,
  [nodeName.Name]: nodeName.factory,
  [taintToleration.Name]: taintToleration.factory,
  [nodeAffinity.Name]: nodeAffinity.factory,
  [nodePorts.Name]: nodePorts.factory,
  [nodeResourcesFit.Name]: nodeResourcesFit.factory,
  [podTopologySpread.Name]: podTopologySpread.factory,
  [interPodAffinity.Name]: interPodAffinity.factory,
  [nodeResourcesBalancedAllocation.Name]: nodeResourcesBalancedAllocation.factory,
  [imageLocality.Name]: imageLocality.factory,
  [defaultPreemption.Name]: defaultPreemption.factory,
  [defaultBinder.Name]: defaultBinder.factory,
};
