/**
 * apps/v1 (k8s.io/api/apps/v1): ReplicaSet and Deployment.
 *
 * Hand-written, in our own words; see catalogue.ts for what belongs here and how to extend it.
 */
import type { FieldEntry, TypeEntry } from './catalogue';
import { definitions } from './catalogue';
import { conditionStatuses, objectHeader } from './metaV1';

const replicas: FieldEntry = 'How many pods should run; 1 by default.';

const minReadySeconds: FieldEntry =
  'Seconds a new pod must stay ready, with no container crashing, before it counts as available; 0 by default.';

const observedGeneration: FieldEntry = {
  type: 'int64',
  description: 'The generation of the spec the controller last acted on.',
};

function condition(of: string, types: string, extra: Record<string, FieldEntry> = {}): TypeEntry {
  return {
    description: `One condition of a ${of}.`,
    fields: {
      type: `The aspect the condition describes: ${types}.`,
      status: { description: 'Whether the condition holds.', enum: conditionStatuses },
      ...extra,
      lastTransitionTime: { type: 'meta.Time', description: 'When status last changed.' },
      reason: 'A CamelCase, machine-readable reason for the last change.',
      message: 'A human-readable account of the last change.',
    },
  };
}

export const appsV1 = definitions('apps', {
  DaemonSet: {
    description: 'Runs one copy of a pod on every node (or every node a selector picks).',
    fields: {
      ...objectHeader,
      spec: { type: 'DaemonSetSpec', description: 'The pods to run and how to update them.' },
      status: {
        type: 'DaemonSetStatus',
        description: 'How many nodes run the pod, and in what state.',
      },
    },
  },

  DaemonSetSpec: {
    description: 'The desired state of a DaemonSet.',
    required: ['selector', 'template'],
    fields: {
      selector: {
        type: 'meta.LabelSelector',
        description:
          "Which pods belong to the daemon set. It must match the template's labels, and cannot be changed.",
      },
      template: {
        type: 'core.PodTemplateSpec',
        description: 'The pod to run on each node; its restartPolicy may only be Always.',
      },
      updateStrategy: {
        type: 'DaemonSetUpdateStrategy',
        description: 'How pods are replaced when the template changes.',
      },
      minReadySeconds,
      revisionHistoryLimit: 'How many old revisions to keep for rolling back; 10 by default.',
    },
  },

  DaemonSetUpdateStrategy: {
    description: 'How a DaemonSet replaces its pods.',
    fields: {
      type: {
        description:
          '`RollingUpdate` (the default) replaces pods node by node; `OnDelete` only when a pod is deleted.',
        enum: ['OnDelete', 'RollingUpdate'],
      },
      rollingUpdate: {
        type: 'RollingUpdateDaemonSet',
        description: 'The pace of a rolling update.',
      },
    },
  },

  RollingUpdateDaemonSet: {
    description: 'The pace of a DaemonSet rolling update.',
    fields: {
      maxUnavailable:
        'How many nodes may be without an available pod during the update: a number or a percentage; 1 by default.',
      maxSurge:
        'How many nodes may run an old and a new pod at once: a number or a percentage; 0 by default.',
    },
  },

  DaemonSetStatus: {
    description: 'The observed state of a DaemonSet.',
    required: [
      'currentNumberScheduled',
      'numberMisscheduled',
      'desiredNumberScheduled',
      'numberReady',
    ],
    fields: {
      currentNumberScheduled: 'Nodes running the pod that should.',
      numberMisscheduled: 'Nodes running the pod that should not.',
      desiredNumberScheduled: 'Nodes that should run the pod.',
      numberReady: 'Nodes whose pod is ready.',
      observedGeneration,
      updatedNumberScheduled: 'Nodes running the current template.',
      numberAvailable: 'Nodes whose pod has been ready for minReadySeconds.',
      numberUnavailable: 'Nodes that should run an available pod and do not.',
      collisionCount: 'How many times the revision hash collided.',
      conditions: { type: '[]DaemonSetCondition', description: 'Conditions of the daemon set.' },
    },
  },

  DaemonSetCondition: condition('DaemonSet', 'no type is defined yet'),

  ControllerRevision: {
    description:
      'An immutable snapshot of state a controller keeps to roll back to: DaemonSets and StatefulSets record their pod templates in them.',
    required: ['revision'],
    fields: {
      ...objectHeader,
      data: { type: 'runtime.RawExtension', description: 'The recorded state, any object.' },
      revision: { type: 'int64', description: 'The revision number of this state.' },
    },
  },

  ReplicaSet: {
    description:
      'Keeps a given number of identical pods, chosen by a label selector, running at all times. Deployments manage ReplicaSets; they are seldom created by hand.',
    fields: {
      ...objectHeader,
      spec: {
        type: 'ReplicaSetSpec',
        description: 'How many pods to keep, which pods count, and what new ones look like.',
      },
      status: {
        type: 'ReplicaSetStatus',
        description: 'How many pods there are and in what state.',
      },
    },
  },

  ReplicaSetSpec: {
    description: 'The desired state of a ReplicaSet.',
    fields: {
      replicas,
      minReadySeconds,
      selector: {
        type: 'meta.LabelSelector',
        description:
          "Which pods count towards replicas. It must match the template's labels, and cannot be changed.",
      },
      template: {
        type: 'core.PodTemplateSpec',
        description: 'What the pods created to make up the count look like.',
      },
    },
  },

  ReplicaSetStatus: {
    description: 'The observed state of a ReplicaSet.',
    required: ['replicas'],
    fields: {
      replicas: 'How many pods it has now, terminating ones aside.',
      fullyLabeledReplicas: 'How many of them carry every label of the template.',
      readyReplicas: 'How many of them are ready.',
      availableReplicas: 'How many of them have been ready for at least minReadySeconds.',
      terminatingReplicas:
        'How many of its pods are shutting down (they have a deletionTimestamp).',
      observedGeneration,
      conditions: {
        type: '[]ReplicaSetCondition',
        description: 'Conditions, such as a failure to create pods.',
      },
    },
  },

  ReplicaSetCondition: condition('ReplicaSet', '`ReplicaFailure`'),

  Deployment: {
    description:
      'Runs a set of identical pods and updates them declaratively: a change to the pod template rolls out by bringing up a new ReplicaSet and scaling the old ones down.',
    fields: {
      ...objectHeader,
      spec: {
        type: 'DeploymentSpec',
        description: 'The pods to run, how many, and how to roll out changes.',
      },
      status: {
        type: 'DeploymentStatus',
        description: 'How the rollout is going and how many pods are in which state.',
      },
    },
  },

  DeploymentSpec: {
    description: 'The desired state of a Deployment.',
    required: ['selector', 'template'],
    fields: {
      replicas,
      selector: {
        type: 'meta.LabelSelector',
        description:
          "Which pods belong to the deployment. It must match the template's labels, and cannot be changed.",
      },
      template: {
        type: 'core.PodTemplateSpec',
        description:
          'The pods to run; changing it starts a rollout. Its restartPolicy may only be Always.',
      },
      strategy: {
        type: 'DeploymentStrategy',
        description: 'How old pods are replaced by new ones.',
        retainKeys: true,
      },
      minReadySeconds,
      revisionHistoryLimit:
        'How many old ReplicaSets to keep, scaled to zero, for rolling back; 10 by default.',
      paused: 'Holds rollouts: template changes wait until the deployment is resumed.',
      progressDeadlineSeconds:
        'Seconds a rollout may go without progress before the deployment reports it failed (reason ProgressDeadlineExceeded); 600 by default. The rollout is not stopped.',
    },
  },

  DeploymentStrategy: {
    description: 'How a Deployment replaces old pods with new ones.',
    fields: {
      type: {
        description:
          '`RollingUpdate` (the default) replaces pods a few at a time; `Recreate` stops every old pod before starting new ones.',
        enum: ['Recreate', 'RollingUpdate'],
      },
      rollingUpdate: {
        type: 'RollingUpdateDeployment',
        description: 'The pace of a rolling update; only with type RollingUpdate.',
      },
    },
  },

  RollingUpdateDeployment: {
    description: 'The pace of a rolling update.',
    fields: {
      maxUnavailable:
        'How many of the desired pods may be unavailable during the update: a number, or a percentage of replicas rounded down. 25% by default; not 0 when maxSurge is 0.',
      maxSurge:
        'How many pods may exist above the desired number during the update: a number, or a percentage of replicas rounded up. 25% by default; not 0 when maxUnavailable is 0.',
    },
  },

  DeploymentStatus: {
    description: 'The observed state of a Deployment.',
    fields: {
      observedGeneration,
      replicas: 'How many pods its ReplicaSets have, terminating ones aside.',
      updatedReplicas: 'How many of them run the current template.',
      readyReplicas: 'How many of them are ready.',
      availableReplicas: 'How many of them have been ready for at least minReadySeconds.',
      unavailableReplicas:
        'How many more available pods the deployment needs: missing ones and ones not available yet.',
      terminatingReplicas:
        'How many of its pods are shutting down (they have a deletionTimestamp).',
      conditions: {
        type: '[]DeploymentCondition',
        description: 'Conditions: Available, Progressing and ReplicaFailure.',
      },
      collisionCount:
        'How many times the hash naming a new ReplicaSet collided; the controller mixes it into the next hash.',
    },
  },

  DeploymentCondition: condition('Deployment', '`Available`, `Progressing` or `ReplicaFailure`', {
    lastUpdateTime: { type: 'meta.Time', description: 'When the condition was last updated.' },
  }),
});
