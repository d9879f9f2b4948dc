/**
 * Health checks with upstream's endpoints and answers (k8s.io/apiserver pkg/server/healthz):
 * - `/livez` and `/healthz`: the liveness checks ("restart me if this fails");
 * - `/readyz`: the liveness checks, the readiness checks ("send me no traffic") and `shutdown`,
 *   which fails once the component started stopping, so a load balancer drains it first.
 * `ping` is always there and always passes. `?verbose` lists each check (`[+]ping ok`,
 * `[-]nats failed: reason withheld`); a failing endpoint lists them too, with status 500;
 * `?exclude=<name>` skips a check; `/readyz/<name>` runs one.
 */
export type HealthCheck = () => boolean | Promise<boolean>;

export type HealthEndpoint = 'healthz' | 'livez' | 'readyz';

export interface HealthReport {
  ok: boolean;
  /** `[+]ping ok` lines, in registration order. */
  lines: string[];
}

export class HealthChecks {
  private readonly liveness = new Map<string, HealthCheck>([['ping', () => true]]);
  private readonly readiness = new Map<string, HealthCheck>();
  private stopping = false;

  constructor() {
    this.readiness.set('shutdown', () => !this.stopping);
  }

  /** A liveness check: on /livez, /healthz and /readyz. */
  addLivez(name: string, check: HealthCheck): void {
    this.liveness.set(name, check);
  }

  /** A readiness check: on /readyz only. */
  addReadyz(name: string, check: HealthCheck): void {
    this.readiness.set(name, check);
  }

  /** From now on /readyz fails its `shutdown` check. */
  shutdown(): void {
    this.stopping = true;
  }

  private checksOf(endpoint: HealthEndpoint): Map<string, HealthCheck> {
    if (endpoint !== 'readyz') return this.liveness;
    return new Map([...this.liveness, ...this.readiness]);
  }

  /** Runs one check by name; undefined when the endpoint has none of that name. */
  async runOne(endpoint: HealthEndpoint, name: string): Promise<boolean | undefined> {
    const check = this.checksOf(endpoint).get(name);
    return check ? passes(check) : undefined;
  }

  async run(
    endpoint: HealthEndpoint,
    exclude: ReadonlySet<string> = new Set(),
  ): Promise<HealthReport> {
    const entries = [...this.checksOf(endpoint)];
    const results = await Promise.all(
      entries.map(([name, check]) => (exclude.has(name) ? 'excluded' : passes(check))),
    );
    let ok = true;
    const lines = entries.map(([name], i) => {
      const r = results[i];
      if (r === 'excluded') return `[+]${name} excluded: ok`;
      if (r) return `[+]${name} ok`;
      ok = false;
      return `[-]${name} failed: reason withheld`;
    });
    return { ok, lines };
  }
}

async function passes(check: HealthCheck): Promise<boolean> {
  try {
    return await check();
  } catch {
    return false;
  }
}
