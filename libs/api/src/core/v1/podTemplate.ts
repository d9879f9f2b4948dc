/**
 * core/v1 PodTemplate: a stored pod template (ValidatePodTemplate: the template's own rules,
 * with the pod defaults applied as SetDefaults_PodSpec does for any template).
 */
import { z } from 'zod';
import type { FieldError } from '../../meta/fieldErrors';
import { path } from '../../meta/fieldErrors';
import { ObjectMeta } from '../../meta/objectMeta';
import type { KindInfo } from '../../scheme';
import { defaultPodTemplateSpec, PodTemplateSpec, validatePodTemplateSpec } from './podSpec';

export const PodTemplate = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.default({}),
    template: PodTemplateSpec.default({}),
  })
  .strict();
export type PodTemplate = z.infer<typeof PodTemplate>;

function validatePodTemplate(pt: PodTemplate): FieldError[] {
  return validatePodTemplateSpec(pt.template, path('template'));
}

export const podTemplateKind: KindInfo<PodTemplate> = {
  group: '',
  version: 'v1',
  kind: 'PodTemplate',
  resource: 'podtemplates',
  singular: 'podtemplate',
  namespaced: true,
  shortNames: [],
  categories: [],
  schema: PodTemplate,
  defaults: (pt) => defaultPodTemplateSpec(pt.template),
  validate: validatePodTemplate,
  validateUpdate: (pt) => validatePodTemplate(pt),
  subresources: [],
  tracksGeneration: false,
};
