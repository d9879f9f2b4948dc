import * as fs from 'node:fs';
import * as path from 'node:path';
import { isStatusError } from '@kubeling/api';
import { decodeObjectBody, decodePatchBody } from './body';
import { encodeProtobufObject } from '../protobuf';

const protobuf = 'application/vnd.kubernetes.protobuf';

function statusOf(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('no error');
}

describe('decodeObjectBody', () => {
  it('decodes JSON and YAML as before', () => {
    expect(decodeObjectBody('application/json', Buffer.from('{"kind":"Pod"}'))).toEqual({
      kind: 'Pod',
    });
    expect(decodeObjectBody('application/yaml; charset=utf-8', Buffer.from('kind: Pod\n'))).toEqual(
      {
        kind: 'Pod',
      },
    );
    expect(decodeObjectBody(protobuf, Buffer.alloc(0))).toBeUndefined();
  });

  it('decodes a protobuf body kubectl sent into the JSON object it stands for', () => {
    const hex = fs.readFileSync(
      path.join(__dirname, '..', 'protobuf', 'testdata', 'create-configmap.hex'),
      'utf8',
    );
    expect(decodeObjectBody(protobuf, Buffer.from(hex.trim(), 'hex'))).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { a: 'b' },
    });
    const scale = {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name: 'web' },
      spec: { replicas: 3 },
    };
    expect(decodeObjectBody(`${protobuf}; charset=binary`, encodeProtobufObject(scale))).toEqual({
      ...scale,
      status: { replicas: 0 },
    });
    const del = { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' };
    expect(decodeObjectBody(protobuf, encodeProtobufObject(del))).toEqual(del);
  });

  it('answers malformed protobuf with 400 and names the endpoint kind when given', () => {
    expect(statusOf(() => decodeObjectBody(protobuf, Buffer.from('{}')))).toEqual({
      code: 400,
      message:
        'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    });
    expect(
      statusOf(() =>
        decodeObjectBody(protobuf, Buffer.from('{}'), {
          group: 'apps',
          version: 'v1',
          kind: 'Deployment',
        }),
      ).message,
    ).toBe(
      'the object provided is unrecognized (must be of type Deployment): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] ({})',
    );
  });

  it('lists protobuf among the accepted media types of a 415', () => {
    expect(statusOf(() => decodeObjectBody('application/cbor', Buffer.from('x')))).toEqual({
      code: 415,
      message:
        'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    });
  });

  it('does not take protobuf as a patch', () => {
    expect(statusOf(() => decodePatchBody(protobuf, Buffer.from('k8s\0'))).code).toBe(415);
  });
});
