/**
 * The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount), its defaulting
 * part: a pod created without spec.serviceAccountName runs as `default`. Not done: checking
 * that the account exists and mounting its token (kubeling has no token authentication).
 */
import type { KindInfo, KubeObject, Pod } from '@kubeling/api';
import { defaultPodServiceAccount } from '@kubeling/api';
import type { Admission } from './resource';

export class ServiceAccountAdmission implements Admission {
  async admitCreate(info: KindInfo, obj: KubeObject): Promise<void> {
    if (info.group !== '' || info.resource !== 'pods') return;
    defaultPodServiceAccount((obj as Pod).spec);
  }
}
