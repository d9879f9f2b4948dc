/**
 * Patching and field ownership: JSON merge patch, strategic merge patch, managedFields (field
 * sets, Update and Apply ownership rules) and the structured merge behind server-side apply,
 * driven by one merge type per kind (kindTypes.ts).
 *
 *   const type = typeOfKind('apps', 'Deployment');
 *   const next = strategicMergePatch(live, patch, type);
 *   const managers = updateManagers(decodeManagedFields(live.metadata.managedFields), live, next,
 *     { type, ignored, manager: 'kubectl-set', apiVersion: 'apps/v1', now }, false);
 */
export type { TypeNode, StructType, MapType, ListType, ScalarType, JsonObject } from './types';
export { typeOfKind, zeroObjectOf } from './kindTypes';
export { strategicMergePatch } from './strategicMerge';
export { mergePatch } from './mergePatch';
export type { Path, Comparison } from './fieldSet';
export {
  FieldSet,
  compare as compareFields,
  pathString,
  toFieldSet,
  fieldElement,
  keyElement,
  valueElement,
} from './fieldSet';
export { mergeValues, removeItems } from './structuredMerge';
export type { Manager, Operation, ManagedWrite, Conflict, ApplyResult } from './managedFields';
export {
  applyConfiguration,
  decodeManagedFields,
  encodeManagedFields,
  managerKey,
  maxUpdateManagers,
  updateManagers,
} from './managedFields';
export { goValue } from './errors';
