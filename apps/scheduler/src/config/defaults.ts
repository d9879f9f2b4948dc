/**
 * The default profile (upstream's config/v1 getDefaultPlugins, MultiPoint): every in-tree plugin
 * at each extension point it implements, in upstream's order, with upstream's score weights.
 */
import type { PluginSet } from '../framework/framework';

export const defaultMultiPoint: Array<{ name: string; weight?: number }> = [
  { name: 'NodeUnschedulable' },
  { name: 'NodeName' },
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'NodePorts' },
  { name: 'NodeResourcesFit', weight: 1 },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'DefaultPreemption' },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'ImageLocality', weight: 1 },
  { name: 'DefaultBinder' },
];

export const extensionPoints = [
  'preFilter',
  'filter',
  'postFilter',
  'preScore',
  'score',
  'reserve',
  'bind',
] as const satisfies ReadonlyArray<keyof PluginSet>;
export type ExtensionPoint = (typeof extensionPoints)[number];

/** The method a plugin has for each extension point. */
export const methodOf: Record<ExtensionPoint, string> = {
  preFilter: 'preFilter',
  filter: 'filter',
  postFilter: 'postFilter',
  preScore: 'preScore',
  score: 'score',
  reserve: 'reserve',
  bind: 'bind',
};
