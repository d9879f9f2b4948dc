import type { StartedServices } from '../services';

export const CONTAINERS_KEY = '__kubelingTestContainers';
export type ContainersHolder = typeof globalThis & { [CONTAINERS_KEY]?: StartedServices };
