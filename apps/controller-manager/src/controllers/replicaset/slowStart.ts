/**
 * slowStartBatch (kubernetes pkg/controller/replicaset): runs `count` calls of `fn` in batches
 * of 1, 2, 4, ... (each batch in parallel), stopping after the first batch with a failure.
 * A controller that creates 500 pods in a namespace whose quota admits none finds out after
 * one failed request, not 500 — the same calls that would fail are not sent.
 *
 * Returns how many calls succeeded and the first error, if any.
 */
export const SlowStartInitialBatchSize = 1;

export async function slowStartBatch(
  count: number,
  initialBatchSize: number,
  fn: () => Promise<void>,
): Promise<{ successes: number; error: unknown }> {
  let remaining = count;
  let successes = 0;
  for (
    let batch = Math.min(remaining, initialBatchSize);
    batch > 0;
    batch = Math.min(2 * batch, remaining)
  ) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += results.filter((r) => r.status === 'fulfilled').length;
    if (failed) return { successes, error: failed.reason as unknown };
    remaining -= batch;
  }
  return { successes, error: undefined };
}
