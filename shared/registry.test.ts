import { describe, expect, it } from 'vitest';
import { aliasSchema, formatModelReference, modelNameSchema, parseGateExpression, parseModelReference } from './registry';

describe('model references', () => {
  it('reads NAME, NAME/STAGE, NAME/VERSION and NAME@ALIAS (an @ may be part of a name before a slash)', () => {
    expect(parseModelReference('churn')).toEqual({ name: 'churn', selector: { kind: 'stage', stage: 'Production' } });
    expect(parseModelReference('churn/staging')).toEqual({ name: 'churn', selector: { kind: 'stage', stage: 'Staging' } });
    expect(parseModelReference('churn/3')).toEqual({ name: 'churn', selector: { kind: 'version', version: 3 } });
    expect(parseModelReference('churn@champion')).toEqual({ name: 'churn', selector: { kind: 'alias', alias: 'champion' } });
    expect(parseModelReference('team@eu/2')).toEqual({ name: 'team@eu', selector: { kind: 'version', version: 2 } });
    expect(parseModelReference('churn/Nope')).toBeNull();
    expect(parseModelReference('')).toBeNull();
    for (const ref of ['churn/3', 'churn/Staging', 'churn@champion']) {
      const p = parseModelReference(ref)!;
      expect(formatModelReference(p.name, p.selector)).toBe(ref);
    }
  });

  it('parses gate expressions and refuses malformed ones; names and aliases follow their rules', () => {
    expect(parseGateExpression('accuracy>=0.8')).toEqual({ key: 'accuracy', op: '>=', threshold: 0.8 });
    expect(parseGateExpression(' rmse < 12.5 ')).toEqual({ key: 'rmse', op: '<', threshold: 12.5 });
    expect(parseGateExpression('accuracy=>0.8')).toBeNull();
    expect(parseGateExpression('accuracy>=abc')).toBeNull();
    expect(modelNameSchema.safeParse('a/b').success).toBe(false);
    expect(modelNameSchema.safeParse('  ').success).toBe(false);
    expect(aliasSchema.safeParse('champion').success).toBe(true);
    expect(aliasSchema.safeParse('v2').success).toBe(false);
    expect(aliasSchema.safeParse('latest').success).toBe(false);
    expect(aliasSchema.safeParse('2x').success).toBe(false);
  });
});
