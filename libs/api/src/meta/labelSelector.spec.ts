import { formatFieldError, path } from './fieldErrors';
import {
  everythingSelector,
  labelSelectorAsSelector,
  nothingSelector,
  parseLabelSelector,
  selectorFromSet,
  validateLabelSelector,
} from './labelSelector';
import { isStatusError } from './status';

/** The 400 message parseLabelSelector throws for `text`. */
function parseError(text: string): string {
  try {
    parseLabelSelector(text);
  } catch (e) {
    if (!isStatusError(e)) throw e;
    expect(e.status.code).toBe(400);
    expect(e.status.reason).toBe('BadRequest');
    return e.status.message ?? '';
  }
  throw new Error(`parsed unexpectedly: ${text}`);
}

describe('parseLabelSelector', () => {
  it('parses set-based requirements', () => {
    const s = parseLabelSelector('env in (production,qa)');
    expect(s.requirements).toEqual([{ key: 'env', operator: 'in', values: ['production', 'qa'] }]);
    expect(s.matches({ env: 'qa' })).toBe(true);
    expect(s.matches({ env: 'production', tier: 'x' })).toBe(true);
    expect(s.matches({ env: 'dev' })).toBe(false);
    expect(s.matches({})).toBe(false);
    expect(s.matches(undefined)).toBe(false);
  });

  it('notin matches objects without the key', () => {
    const s = parseLabelSelector('tier notin (frontend)');
    expect(s.matches({ tier: 'backend' })).toBe(true);
    expect(s.matches({})).toBe(true);
    expect(s.matches({ tier: 'frontend' })).toBe(false);
    expect(s.toString()).toBe('tier notin (frontend)');
  });

  it('parses existence and non-existence', () => {
    const has = parseLabelSelector('partition');
    expect(has.requirements).toEqual([{ key: 'partition', operator: 'exists', values: [] }]);
    expect(has.matches({ partition: '' })).toBe(true);
    expect(has.matches({ other: 'x' })).toBe(false);
    const hasNot = parseLabelSelector('!partition');
    expect(hasNot.requirements).toEqual([
      { key: 'partition', operator: 'doesnotexist', values: [] },
    ]);
    expect(hasNot.matches({ other: 'x' })).toBe(true);
    expect(hasNot.matches({ partition: 'a' })).toBe(false);
    expect(hasNot.toString()).toBe('!partition');
  });

  it('ANDs comma-joined equality requirements', () => {
    const s = parseLabelSelector('a=b,c!=d');
    expect(s.requirements).toEqual([
      { key: 'a', operator: 'equals', values: ['b'] },
      { key: 'c', operator: 'notequals', values: ['d'] },
    ]);
    expect(s.matches({ a: 'b' })).toBe(true);
    expect(s.matches({ a: 'b', c: 'e' })).toBe(true);
    expect(s.matches({ a: 'b', c: 'd' })).toBe(false);
    expect(s.matches({ c: 'e' })).toBe(false);
    expect(parseLabelSelector('a==b').requirements).toEqual([
      { key: 'a', operator: 'equals', values: ['b'] },
    ]);
  });

  it('tolerates whitespace and keeps kubectl label keys', () => {
    const s = parseLabelSelector(
      '  env  in ( qa , prod ) ,\t!canary , kubernetes.io/cluster-service = true ',
    );
    expect(s.toString()).toBe('!canary,env in (prod,qa),kubernetes.io/cluster-service=true');
    expect(s.matches({ env: 'qa', 'kubernetes.io/cluster-service': 'true' })).toBe(true);
  });

  it('treats the empty string as everything', () => {
    for (const text of ['', '   ']) {
      const s = parseLabelSelector(text);
      expect(s.empty()).toBe(true);
      expect(s.matches({ any: 'thing' })).toBe(true);
      expect(s.toString()).toBe('');
    }
  });

  it('renders canonically: requirements sorted by key, set values sorted and deduplicated', () => {
    expect(parseLabelSelector('z=1,a in (y,x,y),m').toString()).toBe('a in (x,y),m,z=1');
    expect(parseLabelSelector('x in (in,notin)').toString()).toBe('x in (in,notin)');
    expect(parseLabelSelector('in=notin').toString()).toBe('in=notin');
  });

  it('reads empty values as the empty string', () => {
    expect(parseLabelSelector('a=').requirements).toEqual([
      { key: 'a', operator: 'equals', values: [''] },
    ]);
    expect(parseLabelSelector('a=').matches({ a: '' })).toBe(true);
    expect(parseLabelSelector('a in ()').requirements).toEqual([
      { key: 'a', operator: 'in', values: [''] },
    ]);
    expect(parseLabelSelector('x in (foo,,baz),y,z notin ()').toString()).toBe(
      'x in (,baz,foo),y,z notin ()',
    );
  });

  it('compares integers with > and <', () => {
    const s = parseLabelSelector('weight>5');
    expect(s.matches({ weight: '6' })).toBe(true);
    expect(s.matches({ weight: '5' })).toBe(false);
    expect(s.matches({ weight: 'x' })).toBe(false);
    expect(parseLabelSelector('weight<5').matches({ weight: '-1' })).toBe(true);
  });

  it('answers requiresExactMatch', () => {
    const s = parseLabelSelector('a=b,c in (d),e in (f,g),h!=i');
    expect(s.requiresExactMatch('a')).toBe('b');
    expect(s.requiresExactMatch('c')).toBe('d');
    expect(s.requiresExactMatch('e')).toBeUndefined();
    expect(s.requiresExactMatch('h')).toBeUndefined();
    expect(s.requiresExactMatch('zz')).toBeUndefined();
  });

  it('reports syntax errors with labels.Parse wording', () => {
    expect(parseError('a in')).toBe("unable to parse requirement: found '' expected: '('");
    expect(parseError('a b')).toBe(
      "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt",
    );
    expect(parseError('a=b,')).toBe("found '', expected: identifier after ','");
    expect(parseError('a=b c')).toBe("found 'c', expected: ',' or 'end of string'");
    expect(parseError('=b')).toBe("found '=', expected: !, identifier, or 'end of string'");
    expect(parseError('!')).toBe("unable to parse requirement: found '', expected: identifier");
    expect(parseError('a in (x')).toBe(
      "unable to parse requirement: found '', expected: ',' or ')'",
    );
    expect(parseError('a in (=')).toBe(
      "unable to parse requirement: found '=', expected: ',', ')' or identifier",
    );
    expect(parseError('a=(')).toBe("unable to parse requirement: found '(', expected: identifier");
    expect(parseError('!a=b')).toBe("found '=', expected: ',' or 'end of string'");
  });

  it('validates keys and values, reporting as field errors without a path', () => {
    expect(parseError('app:monolith')).toBe(
      `unable to parse requirement: <nil>: Invalid value: "app:monolith": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    );
    expect(parseError('a/b/c=d')).toMatch(
      /^unable to parse requirement: <nil>: Invalid value: "a\/b\/c": a qualified name must consist of/,
    );
    expect(parseError('env=-bad')).toBe(
      `unable to parse requirement: values[0][env]: Invalid value: "-bad": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    );
    expect(parseError('weight>x')).toBe(
      `unable to parse requirement: values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`,
    );
  });
});

describe('labelSelectorAsSelector', () => {
  it('matches nothing for a nil selector and everything for an empty one', () => {
    const none = labelSelectorAsSelector(undefined);
    expect(none.matches({})).toBe(false);
    expect(none.matches({ a: 'b' })).toBe(false);
    expect(none.empty()).toBe(false);
    expect(none.toString()).toBe('');
    const all = labelSelectorAsSelector({});
    expect(all.matches({})).toBe(true);
    expect(all.empty()).toBe(true);
    expect(labelSelectorAsSelector({ matchLabels: {}, matchExpressions: [] }).empty()).toBe(true);
  });

  it('combines matchLabels and matchExpressions', () => {
    const s = labelSelectorAsSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['frontend', 'cache'] },
        { key: 'env', operator: 'NotIn', values: ['dev'] },
        { key: 'track', operator: 'Exists' },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    });
    expect(s.toString()).toBe('app=web,!canary,env notin (dev),tier in (cache,frontend),track');
    expect(s.requirements.find((r) => r.key === 'tier')?.values).toEqual(['frontend', 'cache']);
    expect(s.matches({ app: 'web', tier: 'cache', track: 'stable' })).toBe(true);
    expect(s.matches({ app: 'web', tier: 'cache', track: 'stable', env: 'dev' })).toBe(false);
    expect(s.matches({ app: 'web', tier: 'cache', track: 'stable', canary: 'true' })).toBe(false);
    expect(s.matches({ app: 'web', tier: 'db', track: 'stable' })).toBe(false);
    expect(s.matches({ app: 'api', tier: 'cache', track: 'stable' })).toBe(false);
  });

  it('renders a Deployment selector the way Scale.status.selector shows it', () => {
    expect(
      labelSelectorAsSelector({
        matchLabels: { app: 'app', 'pod-template-hash': '5d4b8' },
      }).toString(),
    ).toBe('app=app,pod-template-hash=5d4b8');
  });

  it('rejects unknown operators and invalid requirements', () => {
    expect(() =>
      labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'Equals' }] }),
    ).toThrow('"Equals" is not a valid label selector operator');
    expect(() =>
      labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }),
    ).toThrow("values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty");
  });
});

describe('selectorFromSet, everythingSelector, nothingSelector', () => {
  it('behave as labels.SelectorFromSet, Everything and Nothing', () => {
    const s = selectorFromSet({ b: '2', a: '1' });
    expect(s.toString()).toBe('a=1,b=2');
    expect(s.matches({ a: '1', b: '2', c: '3' })).toBe(true);
    expect(s.matches({ a: '1' })).toBe(false);
    expect(everythingSelector().matches(undefined)).toBe(true);
    expect(nothingSelector().matches({})).toBe(false);
  });
});

describe('validateLabelSelector', () => {
  const p = path('spec', 'selector');
  const messages = (errs: ReturnType<typeof validateLabelSelector>): string[] =>
    errs.map(formatFieldError);

  it('accepts valid selectors and nil', () => {
    expect(validateLabelSelector(undefined, p)).toEqual([]);
    expect(
      validateLabelSelector(
        {
          matchLabels: { app: 'web', 'app.kubernetes.io/name': 'x' },
          matchExpressions: [
            { key: 'tier', operator: 'In', values: ['a'] },
            { key: 'x', operator: 'Exists' },
          ],
        },
        p,
      ),
    ).toEqual([]);
  });

  it('reports operator/value mismatches with upstream messages', () => {
    expect(
      messages(
        validateLabelSelector(
          {
            matchExpressions: [
              { key: 'a', operator: 'In' },
              { key: 'b', operator: 'NotIn', values: [] },
              { key: 'c', operator: 'Exists', values: ['x'] },
              { key: 'd', operator: 'DoesNotExist', values: ['x'] },
              { key: 'e', operator: 'Unknown', values: ['x'] },
            ],
          },
          p,
        ),
      ),
    ).toEqual([
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[2].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      "spec.selector.matchExpressions[3].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[4].operator: Invalid value: "Unknown": not a valid selector operator',
    ]);
  });

  it('validates keys and values', () => {
    const errs = messages(
      validateLabelSelector(
        {
          matchLabels: { 'app-': 'ok', good: '-bad' },
          matchExpressions: [{ key: '-key', operator: 'In', values: ['-value'] }],
        },
        p,
      ),
    );
    expect(errs).toHaveLength(4);
    expect(errs[0]).toMatch(
      /^spec\.selector\.matchLabels: Invalid value: "app-": name part must consist of/,
    );
    expect(errs[1]).toMatch(
      /^spec\.selector\.matchLabels: Invalid value: "-bad": a valid label must be/,
    );
    expect(errs[2]).toMatch(
      /^spec\.selector\.matchExpressions\[0\]\.key: Invalid value: "-key": name part/,
    );
    expect(errs[3]).toMatch(
      /^spec\.selector\.matchExpressions\[0\]\.values\[0\]: Invalid value: "-value": a valid label/,
    );
  });
});
