import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry, RegisteredModel } from '../../../shared/registry';
import { runCli } from '../../../tests/helpers/cli';
import { trainQuickRuns } from '../../../tests/helpers/registry';
import { createTestApp, type TestApp } from '../../../tests/helpers/test-app';
import { MODELS_COMMANDS } from './models';

let app: TestApp | undefined;
afterEach(() => {
  app?.cleanup();
  app = undefined;
});

const mlwb = (words: string[]) => runCli(app!, words, MODELS_COMMANDS);

describe('mlwb models', () => {
  it('registers behind a gate, promotes, aliases, rolls back and prints the audit log (CLI actions are marked "cli")', async () => {
    app = createTestApp({ shell: 'cli' });
    const [a, b] = await trainQuickRuns(app, [{ algorithm: 'logreg' }, { algorithm: 'logreg', params: { C: 4 } }]);

    const refused = await mlwb(['models', 'register', a, '--name', 'churn', '--gate', 'accuracy>=0.999']);
    expect(refused.code).toBe(3);
    expect(refused.out).toMatch(/not registered[\s\S]*FAIL {2}accuracy is/);
    expect((await mlwb(['models', 'register', a, '--name', 'churn', '--gate', 'accuracy=>0.8'])).code).toBe(2);

    expect((await mlwb(['models', 'register', a, '--name', 'churn', '--gate', 'accuracy>=0.5', '--max-cv-gap', '0.1'])).out).toMatch(
      /registered churn version 1\n {2}pass {2}accuracy/,
    );
    expect((await mlwb(['models', 'register', b, '--name', 'churn'])).code).toBe(0);
    expect((await mlwb(['models', 'promote', 'churn', '1', '--stage', 'production', '--comment', 'first'])).out).toBe(
      'churn version 1 is now in Production',
    );
    const noComment = await mlwb(['models', 'promote', 'churn', '2', '--stage', 'Production']);
    expect(noComment.code).toBe(1);
    expect(noComment.err).toMatch(/comment is required/);
    expect((await mlwb(['models', 'promote', 'churn', '2', '--stage', 'Production', '--comment', 'better'])).code).toBe(0);
    expect((await mlwb(['models', 'alias', 'churn', 'challenger', '1'])).out).toBe('churn@challenger → version 1');
    expect((await mlwb(['models', 'rollback', 'churn', '--comment', 'regression in EU'])).out).toBe(
      'churn: version 1 is back in Production',
    );

    const list = JSON.parse((await mlwb(['models', 'list', '--json'])).out) as RegisteredModel[];
    expect(list[0]).toMatchObject({ name: 'churn', production: [1], aliases: { challenger: 1 }, versionCount: 2 });
    expect((await mlwb(['models', 'show', 'churn'])).out).toMatch(/VERSION\s+STAGE[\s\S]*2\s+Archived/);
    expect((await mlwb(['models', 'show', 'nope'])).err).toMatch(/no registered model named "nope"/);

    const audit = JSON.parse((await mlwb(['models', 'audit', 'churn', '--json'])).out) as AuditEntry[];
    expect(audit[0]).toMatchObject({ action: 'rollback', version: 1, via: 'cli', comment: 'regression in EU' });
    expect(audit.map((e) => e.action)).toContain('gate-refused');
    const csv = (await mlwb(['models', 'audit', 'churn', '--csv'])).out.split('\n');
    expect(csv[0]).toBe('id,time,actor,via,action,model,version,from,to,comment,detail');
    expect(csv).toHaveLength(audit.length + 1);
  });
});
