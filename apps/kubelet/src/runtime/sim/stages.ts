/**
 * The sim runtime's stages, as data (KWOK's Stage resources, in small): how long each step of a
 * container's life takes, and how it ends. Defaults make a pod Running within ~100 ms and keep
 * it running; a `--sim-stages` file (JSON or YAML with these keys) or a pod's annotations
 * change them per pod:
 *
 *   sim.kubeling.io/pull-ms: "500"          image pull time
 *   sim.kubeling.io/start-ms: "100"         create + start time
 *   sim.kubeling.io/run-ms: "2000"          the container exits after this (default: never)
 *   sim.kubeling.io/exit-code: "1"          ...with this code (default 0)
 *   sim.kubeling.io/fail-pull: "true"       the image pull fails (ErrImagePull, ImagePullBackOff)
 *   sim.kubeling.io/not-ready: "true"       readiness probes fail
 *   sim.kubeling.io/container-<name>-...    any of the above for one container only
 */
export interface SimStages {
  pullMs: number;
  startMs: number;
  /** Undefined: runs until stopped. */
  runMs?: number;
  exitCode: number;
  failPull: boolean;
  notReady: boolean;
  /** Time a stop takes (SIGTERM honoured at once, as a well-behaved process). */
  stopMs: number;
}

export const defaultStages: SimStages = {
  pullMs: 0,
  startMs: 50,
  exitCode: 0,
  failPull: false,
  notReady: false,
  stopMs: 0,
};

const PREFIX = 'sim.kubeling.io/';

function num(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** The stages of one container: the base, then the pod's annotations, then the container's. */
export function stagesFor(
  base: SimStages,
  annotations: Record<string, string> | undefined,
  container: string,
): SimStages {
  const s = { ...base };
  const a = annotations ?? {};
  for (const prefix of [PREFIX, `${PREFIX}container-${container}-`]) {
    const get = (k: string) => a[prefix + k];
    s.pullMs = num(get('pull-ms')) ?? s.pullMs;
    s.startMs = num(get('start-ms')) ?? s.startMs;
    const run = num(get('run-ms'));
    if (run !== undefined) s.runMs = run;
    s.exitCode = num(get('exit-code')) ?? s.exitCode;
    if (get('fail-pull') !== undefined) s.failPull = get('fail-pull') === 'true';
    if (get('not-ready') !== undefined) s.notReady = get('not-ready') === 'true';
  }
  return s;
}
