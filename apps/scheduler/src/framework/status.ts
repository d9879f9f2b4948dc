/**
 * A plugin's verdict (upstream's framework.Status): plugins return one, they never throw for
 * "does not fit". Unschedulable may be fixed by preemption; UnschedulableAndUnresolvable may not
 * (preemption skips such nodes); Error aborts the attempt; Skip (from PreFilter/PreScore)
 * means the plugin has nothing to do for this pod.
 */
export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Skip';

export interface Status {
  code: Code;
  /** The reasons users read: "Insufficient cpu", "node(s) didn't match Pod's node affinity/selector". */
  reasons: string[];
  /** The plugin that returned it (filled by the framework). */
  plugin?: string;
}

export const success: Status = Object.freeze({ code: 'Success', reasons: [] }) as Status;
export const skip: Status = Object.freeze({ code: 'Skip', reasons: [] }) as Status;

export const unschedulable = (...reasons: string[]): Status => ({ code: 'Unschedulable', reasons });
export const unresolvable = (...reasons: string[]): Status => ({
  code: 'UnschedulableAndUnresolvable',
  reasons,
});
export const asError = (reason: string): Status => ({ code: 'Error', reasons: [reason] });

export const isSuccess = (s: Status | undefined): boolean => !s || s.code === 'Success';
export const isRejected = (s: Status): boolean =>
  s.code === 'Unschedulable' || s.code === 'UnschedulableAndUnresolvable';
