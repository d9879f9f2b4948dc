/**
 * meta/v1 (k8s.io/apimachinery/pkg/apis/meta/v1): object and list metadata, selectors,
 * conditions, times, the Status error body, and the options of list, create, update, patch and
 * delete requests (their fields are the operations' query parameters).
 *
 * Hand-written, in our own words; see catalogue.ts for what belongs here and how to extend it.
 */
import { definitions } from './catalogue';
import type { FieldEntry } from './catalogue';

/** apiVersion and kind, which every object and list starts with. */
export const typeMeta = {
  apiVersion:
    'The versioned schema this object is written in, such as `v1` or `apps/v1`. The server converts it to the version it stores.',
  kind: 'The type of object, in CamelCase, such as `Pod`. It must match the endpoint the object is sent to.',
} satisfies Record<string, FieldEntry>;

/** apiVersion, kind and metadata: the start of every kind. */
export const objectHeader = {
  ...typeMeta,
  metadata: {
    type: 'meta.ObjectMeta',
    description:
      'Standard object metadata: name, namespace, labels, annotations, owners, and what the server maintains (uid, resourceVersion, timestamps).',
    default: {},
  },
} satisfies Record<string, FieldEntry>;

/** The values of a condition's status. */
export const conditionStatuses = ['False', 'True', 'Unknown'];

const dryRun: FieldEntry = {
  type: '[]string',
  description:
    'When `All`, the request is validated and run through admission, but nothing is stored. The only value accepted.',
};

const fieldManager: FieldEntry =
  'Names the actor making the change, for managedFields. At most 128 printable characters; required for apply patches, derived from the user agent otherwise.';

const fieldValidation: FieldEntry = {
  description:
    'What to do with fields the schema does not know, and with duplicate fields: `Ignore` drops them silently, `Warn` drops them and returns a warning per field, `Strict` rejects the request.',
  enum: ['Ignore', 'Strict', 'Warn'],
};

export const metaV1 = definitions('meta', {
  ObjectMeta: {
    description:
      'Metadata every persisted object carries: its identity (name, namespace, uid), its labels and annotations, its owners and finalizers, and the versions and timestamps the server maintains.',
    fields: {
      name: "The object's name, unique among objects of its kind in its namespace (or in the cluster, for cluster-scoped kinds). Required on create unless generateName is given, and cannot be changed.",
      generateName:
        'A prefix the server turns into a unique name by appending random characters, used only when name is empty.',
      namespace:
        'The namespace the object lives in; empty for cluster-scoped kinds. Defaults to the namespace of the request, and cannot be changed.',
      selfLink:
        'Deprecated: no longer set by the server. Kept so that old clients can still decode objects.',
      uid: "An identifier the server assigns on creation, unique across the cluster's lifetime, telling apart objects that had the same name at different times. Read-only.",
      resourceVersion:
        'An opaque version the server changes on every write. Sending it back on update makes the write fail with a conflict if the object changed meanwhile; list and watch accept it to say where to start. Read-only, and not to be compared or parsed.',
      generation: {
        type: 'int64',
        description:
          'A counter of changes to the desired state (usually the spec), maintained by the server for kinds that track it; controllers report the generation they acted on in status. Read-only.',
      },
      creationTimestamp: {
        type: 'meta.Time',
        description: 'When the server created the object, in UTC. Read-only.',
      },
      deletionTimestamp: {
        type: 'meta.Time',
        description:
          'Set by the server when deletion was requested of an object that must wait (for finalizers or a grace period): the object is removed once its finalizers are gone. Never unset once set. Read-only.',
      },
      deletionGracePeriodSeconds: {
        type: 'int64',
        description:
          'The grace period, in seconds, granted when deletion was requested; set together with deletionTimestamp. Read-only.',
      },
      labels:
        'Key/value pairs that identify and group objects, and that label selectors (of services, controllers and list requests) match. Keys are optionally prefixed qualified names; values are at most 63 characters.',
      annotations:
        'Key/value pairs of arbitrary, non-identifying information stored by tools and controllers, such as the last applied configuration or a change cause. Not used for selection.',
      ownerReferences: {
        type: '[]OwnerReference',
        description:
          'The objects this one depends on. The garbage collector deletes the object once all its owners are gone; at most one owner may be its managing controller.',
      },
      finalizers:
        'Cleanup steps that must finish before the object is removed. While any remain, a delete only sets deletionTimestamp; whoever performs a step removes its entry when done.',
      managedFields: {
        type: '[]ManagedFieldsEntry',
        description:
          'Which field manager owns which fields, as the server records it for server-side apply and its conflict detection. Normally left to the server.',
      },
    },
  },

  OwnerReference: {
    description:
      'Points at an object that owns this one. The owner must be in the same namespace, or cluster-scoped.',
    fields: {
      apiVersion: 'API version of the owner, such as `apps/v1`.',
      kind: 'Kind of the owner, such as `ReplicaSet`.',
      name: 'Name of the owner.',
      uid: 'UID of the owner: the reference holds only while an object with this UID exists.',
      controller:
        'True when the owner is the controller managing this object. At most one reference may set it.',
      blockOwnerDeletion:
        'When true, a foreground deletion of the owner waits until this object is gone. Setting it needs permission to delete the owner.',
    },
  },

  ManagedFieldsEntry: {
    description:
      'What one field manager owns: the fields it set, through which operation, API version and subresource.',
    fields: {
      manager: 'Name of the field manager: the client or controller that wrote these fields.',
      operation:
        'How the fields were written: `Apply` for server-side apply, `Update` for create, update and the other patches.',
      apiVersion: 'The API version the field set is written in; ownership is tracked per version.',
      time: {
        type: 'meta.Time',
        description: 'When this manager last changed any field it owns.',
      },
      fieldsType: 'The format of fieldsV1; only `FieldsV1` exists.',
      fieldsV1: { type: 'meta.FieldsV1', description: 'The set of fields owned.' },
      subresource:
        'The subresource the fields were written through, such as `status` or `scale`; empty for the object itself.',
    },
  },

  FieldsV1: {
    description:
      'A set of field paths encoded as a tree of JSON objects: `f:<name>` names a field, `k:<json>` a list item by its keys, `v:<json>` a set member, `i:<n>` an index, and `.` the node itself.',
    schema: { type: 'object' },
  },

  Time: {
    description:
      'A point in time, written as an RFC 3339 string in UTC with whole seconds, such as `2024-05-01T10:00:00Z`.',
    schema: { type: 'string', format: 'date-time' },
  },

  MicroTime: {
    description:
      'A point in time with microsecond precision, written as an RFC 3339 string in UTC, such as `2024-05-01T10:00:00.123456Z`.',
    schema: { type: 'string', format: 'date-time' },
  },

  LabelSelector: {
    description:
      'Selects objects by their labels: an object matches when every matchLabels pair and every matchExpressions requirement holds. An empty selector matches every object.',
    fields: {
      matchLabels:
        'Labels the object must carry with exactly these values; each pair is the same as an `In` requirement with a single value.',
      matchExpressions: {
        type: '[]LabelSelectorRequirement',
        description: "Requirements on the object's labels, all of which must hold.",
      },
    },
  },

  LabelSelectorRequirement: {
    description:
      'A requirement on one label: its key, an operator and, for some operators, values.',
    fields: {
      key: 'The label key the requirement tests.',
      operator:
        'How the label is tested: `In` and `NotIn` compare its value with values, `Exists` and `DoesNotExist` only look for the key.',
      values:
        'The values compared by `In` and `NotIn`, at least one; must be empty for `Exists` and `DoesNotExist`.',
    },
  },

  Condition: {
    description:
      "One aspect of an object's observed state, in the condition shape shared by many APIs.",
    fields: {
      type: 'The aspect this condition describes, in CamelCase (such as `Available`); unique in the list.',
      status: { description: 'Whether the condition holds.', enum: conditionStatuses },
      observedGeneration: {
        type: 'int64',
        description:
          'The metadata.generation the condition was computed from; lower than the current generation means it may be out of date.',
      },
      lastTransitionTime: {
        type: 'meta.Time',
        description: 'When status last changed.',
      },
      reason:
        'A CamelCase, machine-readable reason for the last change of status, for programs to act on.',
      message: 'A human-readable account of the last change; may be empty.',
    },
  },

  ListMeta: {
    description:
      'Metadata of a list: the resource version it was read at and, for a paged list, how to continue.',
    fields: {
      selfLink: 'Deprecated: no longer set by the server.',
      resourceVersion:
        'The resource version the list was read at. A watch started from it sees every later change.',
      continue:
        'An opaque token to fetch the next page when the list was limited, empty on the last page. It expires after a while; the list must then be started again.',
      remainingItemCount: {
        type: 'int64',
        description:
          'How many more items the following pages hold, when the server can tell; an estimate if the collection changes meanwhile.',
      },
    },
  },

  Status: {
    description:
      'The result of a request that returns no object, above all of a failed one: a reason, a message and the HTTP code, with details about the object and fields concerned.',
    fields: {
      ...typeMeta,
      metadata: { type: 'meta.ListMeta', description: 'List metadata; usually empty.' },
      status: 'Whether the request succeeded: `Success` or `Failure`.',
      message: 'A human-readable description of the result.',
      reason:
        'A CamelCase, machine-readable reason refining code, such as `NotFound`, `AlreadyExists`, `Conflict` or `Invalid`; empty when none applies.',
      details: {
        type: 'meta.StatusDetails',
        description:
          'More about the object concerned, such as its name and, for an invalid object, the fields at fault. What it holds depends on reason.',
      },
      code: 'The HTTP status code of the result; 0 when not set.',
    },
  },

  StatusDetails: {
    description: 'The object a result is about and, for a validation failure, each field at fault.',
    fields: {
      name: 'Name of the object concerned, when it has one.',
      group: 'API group of the object concerned.',
      kind: 'Kind (or resource) of the object concerned.',
      uid: 'UID of the object concerned, when known.',
      causes: {
        type: '[]StatusCause',
        description:
          'The individual problems, such as one per invalid field of an `Invalid` result.',
      },
      retryAfterSeconds:
        'How many seconds the client should wait before trying again, when the server says so.',
    },
  },

  StatusCause: {
    description: 'One reason a request failed, possibly tied to a field.',
    fields: {
      reason: 'A machine-readable name for the cause, such as `FieldValueInvalid`.',
      message: 'A human-readable description of the cause.',
      field:
        'The field at fault, written as a path such as `spec.containers[0].image`; empty when the cause is not about a field.',
    },
  },

  DeleteOptions: {
    description:
      'Options of a delete request: the grace period, preconditions on the object, and what becomes of its dependents.',
    fields: {
      ...typeMeta,
      gracePeriodSeconds: {
        type: 'int64',
        description:
          "Seconds the object gets to shut down before it is removed; 0 deletes at once. Unset uses the kind's default, such as a pod's terminationGracePeriodSeconds.",
      },
      preconditions: {
        type: 'meta.Preconditions',
        description: 'What the object must still match for the delete to happen.',
      },
      orphanDependents: {
        type: 'boolean',
        description:
          'Deprecated in favour of propagationPolicy: true leaves dependents in place, false lets the garbage collector delete them.',
      },
      propagationPolicy: {
        description:
          'What becomes of dependents: `Orphan` leaves them, `Background` deletes the object at once and its dependents afterwards, `Foreground` deletes the dependents first. The kind decides when unset.',
        enum: ['Background', 'Foreground', 'Orphan'],
      },
      dryRun,
      ignoreStoreReadErrorWithClusterBreakingPotential: {
        type: 'boolean',
        description:
          'Removes an object that can no longer be read from storage (corrupt or undecodable), skipping finalizers and preconditions. A last resort that may break the cluster.',
      },
    },
  },

  Preconditions: {
    description: 'What an object must still match for a request to go ahead.',
    fields: {
      uid: 'The UID the object must have.',
      resourceVersion: 'The resourceVersion the object must have.',
    },
  },

  WatchEvent: {
    description: 'One change observed by a watch: its type and the object concerned.',
    fields: {
      type: 'What happened: `ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK` or `ERROR`.',
      object: {
        type: 'runtime.RawExtension',
        description:
          'The object after the change (its last state for DELETED); a Status for ERROR; for BOOKMARK, an object of the watched kind that carries only a resourceVersion.',
      },
    },
  },

  Patch: {
    description:
      "The body of a PATCH request. Its format follows the request's content type: JSON patch, JSON merge patch, strategic merge patch or an apply configuration.",
    fields: {},
  },

  ListOptions: {
    description: 'The query parameters of list and watch requests.',
    fields: {
      allowWatchBookmarks: {
        type: 'boolean',
        description:
          'For watches: lets the server send BOOKMARK events that carry a recent resourceVersion, so that a restarted watch can resume from there. The server may send none.',
      },
      continue: 'The token from the previous page of a limited list, to fetch the next page.',
      fieldSelector:
        'Keeps only objects whose fields match, such as `spec.nodeName=node-1` or `status.phase!=Running`. Each kind supports only some fields.',
      labelSelector:
        'Keeps only objects whose labels match, such as `app=web,tier in (front,back),!canary`.',
      limit: {
        type: 'int64',
        description:
          'The most items to return. When more exist, the response carries a continue token for the next page.',
      },
      resourceVersion:
        'Where to read or watch from. For a list, what it means depends on resourceVersionMatch; for a watch, changes after this version are sent. Unset reads the latest state.',
      resourceVersionMatch: {
        description:
          'How a list applies resourceVersion: `Exact` reads at exactly that version, `NotOlderThan` at that version or any later one.',
        enum: ['Exact', 'NotOlderThan'],
      },
      sendInitialEvents: {
        type: 'boolean',
        description:
          'For watches: starts the stream with an ADDED event for every existing object, followed by a BOOKMARK marking the end of that initial state.',
      },
      timeoutSeconds: {
        type: 'int64',
        description: 'Ends the list or watch after this many seconds.',
      },
      watch: {
        type: 'boolean',
        description:
          'Streams changes as they happen (added, modified, deleted) instead of returning a list.',
      },
    },
  },

  CreateOptions: {
    description: 'The query parameters of create requests.',
    fields: { dryRun, fieldManager, fieldValidation },
  },

  UpdateOptions: {
    description: 'The query parameters of update (replace) requests.',
    fields: { dryRun, fieldManager, fieldValidation },
  },

  PatchOptions: {
    description: 'The query parameters of patch requests.',
    fields: {
      dryRun,
      fieldManager,
      fieldValidation,
      force: {
        type: 'boolean',
        description:
          'For apply patches: takes over fields that other managers own instead of failing with a conflict. Must be unset for other patch types.',
      },
    },
  },
});
