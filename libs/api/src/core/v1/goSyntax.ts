/**
 * Bad values that Kubernetes prints in Go syntax. apimachinery's field.Error prints a struct or
 * map it cannot print otherwise with `%#v`, so a 422 reads
 * `spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: ...` and
 * `spec.selector: Invalid value: v1.LabelSelector{MatchLabels:..., MatchExpressions:...}: ...`.
 *
 * A value built here carries its own rendering through `goString()` (Go's fmt.GoStringer);
 * `renderValue` in meta/fieldErrors prints it verbatim.
 *
 *   errs.push(invalidValue(p, goStringMap(labels), '`selector` does not match template `labels`'));
 */
import type { LabelSelector } from '../../meta/objectMeta';

/** Go's fmt.GoStringer: a value that knows how `%#v` prints it. */
export interface GoStringer {
  goString(): string;
}

export function isGoStringer(v: unknown): v is GoStringer {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { goString?: unknown }).goString === 'function'
  );
}

/** A bad value whose printed form is `text` exactly. */
export function goLiteral(text: string): GoStringer {
  return {
    goString: () => text,
    // Readable in test output and logs as well.
    toString: () => text,
    toJSON: () => text,
  } as GoStringer;
}

/** Go's %q for the strings Kubernetes handles (JSON escaping agrees on everything printable). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** `map[string]string{"a":"b", "c":"d"}` (fmt sorts map keys), or `map[string]string(nil)`. */
export function goStringMapText(m: Record<string, string> | undefined): string {
  if (m === undefined) return 'map[string]string(nil)';
  const entries = Object.keys(m)
    .sort()
    .map((k) => `${goQuote(k)}:${goQuote(m[k] as string)}`);
  return `map[string]string{${entries.join(', ')}}`;
}

export function goStringMap(m: Record<string, string> | undefined): GoStringer {
  return goLiteral(goStringMapText(m));
}

/** `[]string{"a", "b"}`, or `[]string(nil)`. */
export function goStringSliceText(a: readonly string[] | undefined): string {
  if (a === undefined) return '[]string(nil)';
  return `[]string{${a.map(goQuote).join(', ')}}`;
}

/** The metav1.LabelSelector a Deployment or ReplicaSet carries, as `%#v` prints it. */
export function goLabelSelector(sel: LabelSelector | undefined): GoStringer {
  if (sel === undefined) return goLiteral('null');
  const exprs =
    sel.matchExpressions === undefined
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${sel.matchExpressions
          .map(
            (r) =>
              `v1.LabelSelectorRequirement{Key:${goQuote(r.key)}, Operator:${goQuote(r.operator)}, Values:${goStringSliceText(r.values)}}`,
          )
          .join(', ')}}`;
  return goLiteral(
    `v1.LabelSelector{MatchLabels:${goStringMapText(sel.matchLabels)}, MatchExpressions:${exprs}}`,
  );
}

/** An optional int64 field as `%#v` prints a pointer inside a struct. */
export function goInt64PtrText(v: number | undefined): string {
  return v === undefined ? '(*int64)(nil)' : `(*int64)(${v})`;
}
