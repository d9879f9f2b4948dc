/**
 * apps/v1 ControllerRevision: an immutable snapshot of state (DaemonSets and StatefulSets keep
 * their template history in them). ValidateControllerRevisionCreate / ...Update: data is
 * mandatory and immutable, revision is not negative.
 */
import { z } from 'zod';
import type { FieldError } from '../../meta/fieldErrors';
import { invalidValue, path, required } from '../../meta/fieldErrors';
import { ObjectMeta, immutableDetail } from '../../meta/objectMeta';
import { semanticEqual } from '../../meta/equality';
import type { KindInfo } from '../../scheme';
import { validateNonnegativeField } from '../../core/v1/container';
import { goLiteral } from '../../core/v1/goSyntax';

export const ControllerRevision = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.default({}),
    /** runtime.RawExtension: any embedded object. */
    data: z.record(z.unknown()).optional(),
    revision: z.number().int().default(0),
  })
  .strict();
export type ControllerRevision = z.infer<typeof ControllerRevision>;

function validateControllerRevision(cr: ControllerRevision): FieldError[] {
  const errs: FieldError[] = [];
  if (cr.data === undefined) errs.push(required(path('data'), 'data is mandatory'));
  errs.push(...validateNonnegativeField(cr.revision, path('revision')));
  return errs;
}

function validateControllerRevisionUpdate(
  cr: ControllerRevision,
  old: ControllerRevision,
): FieldError[] {
  const errs = validateControllerRevision(cr);
  if (!semanticEqual(cr.data, old.data))
    errs.push(invalidValue(path('data'), goLiteral(JSON.stringify(cr.data)), immutableDetail));
  return errs;
}

export const controllerRevisionKind: KindInfo<ControllerRevision> = {
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  resource: 'controllerrevisions',
  singular: 'controllerrevision',
  namespaced: true,
  shortNames: [],
  categories: [],
  schema: ControllerRevision,
  validate: validateControllerRevision,
  validateUpdate: validateControllerRevisionUpdate,
  subresources: [],
  tracksGeneration: false,
};
