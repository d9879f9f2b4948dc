/**
 * What a registry write returns. A module of its own because resource.ts, apply.ts and scale.ts
 * all return it, and resource.ts calls into the other two.
 */
import type { KubeObject } from '@kubeling/api';

export interface WriteResult {
  object: KubeObject;
  warnings: string[];
  /** 201 for creates (including create-on-update), 200 otherwise. */
  code: 200 | 201;
}
