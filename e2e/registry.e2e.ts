import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RegisteredModelDetail } from '../shared/contracts/registry';
import type { JobRecord } from '../shared/jobs';
import type { AuditEntry, ModelVersion } from '../shared/registry';
import { download, e2eScope, invoke, screenshot, waitForJob } from './fixtures';

const scope = e2eScope('registry');

/** Imports the sample and trains two quick runs (a forest, a boosting model); gives their run ids. */
async function trainTwo(page: Page): Promise<[string, string]> {
  const imported = await waitForJob(page, (await invoke<JobRecord>(page, 'datasets:importSample', {})).id);
  const versionId = (imported.result as { versionId: number }).versionId;
  const launched = await invoke<{ jobs: JobRecord[] }>(page, 'runs:launch', {
    experimentId: 0,
    settings: { versionId, target: 'churned', testSize: 0.25, cvFolds: 3, seed: 7 },
    models: [
      { algorithm: 'rf', params: { nEstimators: 10 }, runName: 'forest 10' },
      { algorithm: 'gbm', params: { maxIter: 20 }, runName: 'boosting 20' },
    ],
  });
  const ids: string[] = [];
  for (const job of launched.jobs) {
    const done = await waitForJob(page, job.id);
    expect(done.status, done.error ?? '').toBe('succeeded');
    ids.push((done.result as { runId: string }).runId);
  }
  return [ids[0], ids[1]];
}

const go = (page: Page, hash: string) => page.evaluate((h) => (window.location.hash = h), hash);
const model = (page: Page, name: string) => invoke<RegisteredModelDetail>(page, 'registry:model', { name });
const stageOf = async (page: Page, name: string, version: number) =>
  (await invoke<ModelVersion>(page, 'registry:version', { name, version })).stage;
const card = (page: Page, version: number) => page.locator(`.reg-card[data-version="${version}"]`);
const column = (page: Page, stage: string) => page.locator(`.reg-column[data-stage="${stage}"]`);

/** Opens a run's page and registers its model through the dialog (name typed, optional gates set by `gates`). */
async function openRegister(page: Page, runId: string, name: string): Promise<void> {
  await go(page, `#/experiments/run/${runId}`);
  await page.locator(`.run-page[data-run-id="${runId}"]`).waitFor();
  await page.getByRole('button', { name: 'Register model' }).click();
  await page.getByTestId('register-dialog').waitFor();
  await page.getByLabel('Model name').fill(name);
}

describe('Model registry', () => {
  it('registers from the run page (a failing gate registers nothing), promotes by drag-and-drop and keyboard, rolls back, and audits it all', async () => {
    const { page } = await scope.launch();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    const [forest, boosting] = await trainTwo(page);

    // Empty registry: the home page says how to start.
    await go(page, '#/registry');
    await page.getByText(/No models are registered yet/).waitFor();

    // Register the forest from its run page, without gates: a new model "churn" with version 1.
    await openRegister(page, forest, 'churn');
    expect(await page.getByTestId('register-name-hint').textContent()).toBe('Creates the model “churn” with version 1.');
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await expect.poll(() => page.getByTestId('register-outcome').getAttribute('data-outcome')).toBe('registered');
    expect(await page.getByTestId('register-outcome').textContent()).toContain('Registered as churn version 1.');
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('registered-versions').getByRole('link', { name: 'churn v1' }).waitFor();
    await screenshot(page, 'registry-run-page');

    // The boosting run behind a gate it cannot pass: the check says which failed and by how much; Register refuses and adds nothing.
    await openRegister(page, boosting, 'churn');
    expect(await page.getByTestId('register-name-hint').textContent()).toBe('Becomes version 2 of churn.');
    const dialog = page.getByTestId('register-dialog');
    await dialog.getByLabel('Test metric').check();
    await dialog.getByLabel('Gate metric').selectOption('accuracy');
    await dialog.getByLabel('Threshold').fill('abc');
    await dialog.getByRole('button', { name: 'Check gates' }).click();
    expect(await page.getByTestId('register-error').textContent()).toBe('Type the threshold as a number, such as 0.8.');
    await dialog.getByLabel('Threshold').fill('0.999');
    await dialog.getByLabel(/\|test − CV mean\| < 0\.1/).check();
    await dialog.getByRole('button', { name: 'Check gates' }).click();
    const metricCheck = page.locator('[data-gate="metric"]');
    await expect.poll(() => metricCheck.getAttribute('data-passed')).toBe('false');
    expect(await metricCheck.textContent()).toMatch(
      /Metric threshold.*failed.*accuracy is 0\.\d{4}, the gate needs >= 0\.999 \(short by 0\.\d{4}\)/,
    );
    expect(Number(await metricCheck.getAttribute('data-shortfall'))).toBeGreaterThan(0);
    expect(await page.locator('[data-gate="cv-gap"]').getAttribute('data-passed')).toBe('true');
    expect(await page.getByTestId('register-outcome').textContent()).toContain('A gate fails: registering would be refused.');
    await screenshot(page, 'registry-register-gate-failed');
    await dialog.getByRole('button', { name: 'Register', exact: true }).click();
    await expect.poll(() => page.getByTestId('register-outcome').getAttribute('data-outcome')).toBe('refused');
    expect(await page.getByRole('alert').filter({ hasText: 'Not registered' }).textContent()).toContain(
      'Nothing was added to the registry.',
    );
    expect((await model(page, 'churn')).model.versionCount).toBe(1);
    // Without the failing gate it registers as version 2.
    await dialog.getByLabel('Test metric').uncheck();
    await dialog.getByRole('button', { name: 'Register', exact: true }).click();
    await expect.poll(() => page.getByTestId('register-outcome').getAttribute('data-outcome')).toBe('registered');
    await page.keyboard.press('Escape');
    await page.getByTestId('register-dialog').waitFor({ state: 'detached' });

    // The home page lists it.
    await go(page, '#/registry');
    const row = page.locator('tr[data-model="churn"]');
    await row.waitFor();
    expect(await row.locator('td.num').textContent()).toBe('2');
    await screenshot(page, 'registry-home');

    // The board: both in None; cards link to their runs.
    await row.getByRole('link', { name: 'churn' }).click();
    await card(page, 1).waitFor();
    expect(await column(page, 'None').locator('.reg-card').count()).toBe(2);
    expect(await card(page, 1).getByRole('link', { name: 'forest 10' }).getAttribute('href')).toBe(`#/experiments/run/${forest}`);
    expect(await card(page, 1).locator('[data-metric="accuracy"] dd').textContent()).toMatch(/^0\.\d{4}$/);
    expect(await card(page, 1).textContent()).toContain('churn@sample');

    // Drag v1 to Staging: the dialog wants a comment; an empty one is refused with the reason and nothing moves.
    await card(page, 1).dragTo(column(page, 'Staging'));
    const move = page.getByTestId('transition-dialog');
    await move.waitFor();
    expect(await move.getByRole('heading').textContent()).toBe('Move version 1: None → Staging');
    await move.getByRole('button', { name: 'Move' }).click();
    expect(await page.getByTestId('transition-error').textContent()).toBe('Say why: a comment is required.');
    expect(await stageOf(page, 'churn', 1)).toBe('None');
    await move.getByLabel(/^Why\?/).fill('   ');
    await move.getByRole('button', { name: 'Move' }).click();
    expect(await page.getByTestId('transition-error').textContent()).toBe('Say why: a comment is required.');
    await move.getByLabel(/^Why\?/).fill('validated on the hold-out set');
    await move.getByRole('button', { name: 'Move' }).click();
    await column(page, 'Staging').locator('.reg-card[data-version="1"]').waitFor();
    expect(await page.getByTestId('board-status').textContent()).toBe('Version 1 is now in Staging.');

    // Drag v1 on to Production.
    await card(page, 1).dragTo(column(page, 'Production'));
    await move.getByLabel(/^Why\?/).fill('staging looked good');
    await move.getByRole('button', { name: 'Move' }).click();
    await column(page, 'Production').locator('.reg-card[data-version="1"]').waitFor();

    // Keyboard: focus v2, Space picks it up, → → goes None → Staging → Production, Enter drops; the dialog says v1 gets archived.
    await card(page, 2).focus();
    await page.keyboard.press('Space');
    expect(await page.getByTestId('board-status').textContent()).toMatch(/^Picked up version 2 in None/);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.getByTestId('board-status').textContent()).toBe('Over Production. Press Enter to move it here.');
    expect(await column(page, 'Production').getAttribute('class')).toContain('reg-column--target');
    await page.keyboard.press('Enter');
    await move.waitFor();
    expect(await move.getByRole('heading').textContent()).toBe('Move version 2: None → Production');
    expect(await move.textContent()).toContain('Promoting archives the current Production version (v1).');
    await page.keyboard.type('boosting beats the forest');
    await page.keyboard.press('Tab'); // → Cancel
    await page.keyboard.press('Tab'); // → Move
    await page.keyboard.press('Enter');
    await column(page, 'Production').locator('.reg-card[data-version="2"]').waitFor();
    await column(page, 'Archived').locator('.reg-card[data-version="1"]').waitFor();
    expect((await model(page, 'churn')).model.production).toEqual([2]);
    // The "Move to" menu works from the keyboard too (Escape cancels its dialog).
    await card(page, 1).getByLabel('Move version 1 to').selectOption('Staging');
    await move.waitFor();
    await page.keyboard.press('Escape');
    await move.waitFor({ state: 'detached' });
    expect(await stageOf(page, 'churn', 1)).toBe('Archived');
    await screenshot(page, 'registry-board');

    // Rollback: a comment is required; then v1 is Production again and v2 archived.
    await page.getByRole('button', { name: /Roll back/ }).click();
    const rollback = page.getByTestId('rollback-dialog');
    await rollback.getByRole('button', { name: 'Roll back' }).click();
    expect(await page.getByTestId('rollback-error').textContent()).toBe('Say why: a comment is required.');
    expect(await stageOf(page, 'churn', 2)).toBe('Production');
    await rollback.getByLabel(/^Why roll back/).fill('boosting drifts on new customers');
    await rollback.getByRole('button', { name: 'Roll back' }).click();
    await column(page, 'Production').locator('.reg-card[data-version="1"]').waitFor();
    await column(page, 'Archived').locator('.reg-card[data-version="2"]').waitFor();
    expect(await page.getByTestId('board-status').textContent()).toBe('Rolled back: version 1 is in Production again.');

    // The audit tab: every step, newest first, with who and why; no edit or delete controls.
    await page.getByRole('tab', { name: 'Audit' }).click();
    const audit = page.locator('.reg-audit__table');
    await audit.waitFor();
    const actions = await audit.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-audit-action')));
    for (const a of ['register', 'gate-refused', 'transition', 'rollback']) expect(actions).toContain(a);
    expect(actions.filter((a) => a === 'register')).toHaveLength(2);
    expect(actions.filter((a) => a === 'transition').length).toBeGreaterThanOrEqual(3);
    expect(await audit.locator('tr[data-audit-action="rollback"]').textContent()).toContain('boosting drifts on new customers');
    expect(await audit.locator('tr[data-audit-action="gate-refused"]').textContent()).toContain('metric ✗');
    expect(await page.locator('.reg-audit').getByRole('button').allTextContents()).toEqual(['Export CSV']);
    await screenshot(page, 'registry-audit-tab');

    // CSV: the same rows, a header first.
    const dir = scope.dir();
    const csvFile = await download(page, dir, () => page.getByRole('button', { name: 'Export CSV' }).click());
    const csv = fs.readFileSync(csvFile, 'utf8');
    const rows = await invoke<AuditEntry[]>(page, 'registry:audit', { model: 'churn' });
    expect(csv.split(/\r?\n/)[0]).toMatch(/action/);
    expect(csv).toContain('boosting drifts on new customers');
    expect(csv.trim().split(/\r?\n/).length).toBeGreaterThanOrEqual(rows.length + 1);
    expect(csvFile).toMatch(/audit-churn-\d{4}-\d{2}-\d{2}\.csv$/);

    // The global audit page filters by action.
    await go(page, '#/registry/audit');
    await page.getByRole('heading', { name: 'Registry audit log' }).waitFor();
    await page.getByLabel('Action').selectOption('rollback');
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toBe('1 row');
    expect(await page.locator('.reg-audit__table tbody tr').first().getAttribute('data-audit-action')).toBe('rollback');
    await page.getByLabel('Action').selectOption('');
    await page.getByLabel('Who').fill('nobody-by-this-name');
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toBe('0 rows');
    await page.getByLabel('Who').fill('');
    await expect.poll(async () => Number((await page.getByTestId('audit-count').textContent())?.split(' ')[0])).toBe(rows.length);
    await screenshot(page, 'registry-audit-page');
    expect(problems).toEqual([]);
  });

  it('shows the model card, edits its text and tags, sets aliases, runs the approval flow and refuses deleting Production', async () => {
    const { page } = await scope.launch();
    const [forest, boosting] = await trainTwo(page);
    await invoke(page, 'registry:register', { runId: forest, name: 'churn' });
    await invoke(page, 'registry:register', { runId: boosting, name: 'churn' });
    await invoke(page, 'registry:transition', { name: 'churn', version: 1, stage: 'Staging', comment: 'first look' });
    await invoke(page, 'registry:transition', { name: 'churn', version: 1, stage: 'Production', comment: 'go live' });

    // The model card of v1: facts, lineage links, metrics with CV spread, stage history.
    await go(page, '#/registry/churn/1');
    const page1 = page.locator('.reg-version-page[data-version="1"]');
    await page1.waitFor();
    expect(await page.getByTestId('version-stage').textContent()).toBe('Production');
    const lineage = page.getByRole('navigation', { name: 'Lineage' });
    expect(await lineage.getByRole('link', { name: 'churn@sample' }).getAttribute('href')).toMatch(/^#\/data\/version\/\d+$/);
    expect(await lineage.getByRole('link', { name: 'forest 10' }).getAttribute('href')).toBe(`#/experiments/run/${forest}`);
    expect(await lineage.getByRole('link', { name: 'None → Staging → Production' }).getAttribute('href')).toBe('#/registry/churn');
    expect(await page.locator('[data-testid="card-metrics"] tr[data-metric="accuracy"] td').nth(2).textContent()).toMatch(
      /^0\.\d{4} ± 0\.\d{4}$/,
    );
    const history = await page.getByTestId('stage-history').locator('tbody tr').allTextContents();
    expect(history.map((r) => /registered → None|None → Staging|Staging → Production/.exec(r)?.[0])).toEqual([
      'registered → None',
      'None → Staging',
      'Staging → Production',
    ]);
    expect(await page.getByTestId('stage-history').textContent()).toContain('go live');
    expect(await page1.textContent()).not.toMatch(/\bnull\b|undefined|NaN/);

    // Intended use and limitations are saved.
    await page.getByRole('textbox', { name: 'Intended use' }).fill('Weekly churn outreach lists.');
    await page.getByRole('textbox', { name: 'Limitations' }).fill('Not for customers under 3 months.');
    await page.locator('.reg-card-text').getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(async () => (await invoke<ModelVersion>(page, 'registry:version', { name: 'churn', version: 1 })).intendedUse)
      .toBe('Weekly churn outreach lists.');

    // Tags: add, then delete; a bad key is refused with the store's message and nothing is set.
    await page.getByLabel('Key', { exact: true }).fill('owner');
    await page.getByLabel('Value', { exact: true }).fill('growth team');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.locator('.reg-tags tr[data-tag="owner"]').waitFor();
    await page.getByLabel('Key', { exact: true }).fill('bad key!');
    await page.getByLabel('Value', { exact: true }).fill('x');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByTestId('tag-error').waitFor();
    expect(Object.keys((await invoke<ModelVersion>(page, 'registry:version', { name: 'churn', version: 1 })).tags)).toEqual(['owner']);
    await screenshot(page, 'registry-version-card');

    // Deleting the Production version is refused, with the reason.
    await page.getByRole('button', { name: 'Delete version' }).click();
    await page.getByTestId('delete-dialog').getByRole('button', { name: 'Delete' }).click();
    expect(await page.getByTestId('delete-error').textContent()).toMatch(/Production/);
    await page.keyboard.press('Escape');
    expect((await model(page, 'churn')).model.versionCount).toBe(2);

    // "Register the best" on the comparison registers the best run by the chosen metric.
    await go(page, `#/experiments/compare/${forest},${boosting}`);
    await page.getByTestId('best-run').waitFor();
    await page.locator('.compare-best-card select').selectOption('accuracy');
    const bestName = /Best: (.+) — accuracy/.exec((await page.getByTestId('best-run').textContent()) ?? '')?.[1];
    expect(bestName).toBeTruthy();
    await page.getByRole('button', { name: 'Register the best…' }).click();
    const best = page.getByTestId('register-dialog');
    expect(await best.getByRole('heading').textContent()).toBe(`Register the model of “${bestName}”`);
    expect(await best.getByLabel('Gate metric').inputValue()).toBe('accuracy');
    await best.getByLabel('Model name').fill('churn-best');
    await best.getByRole('button', { name: 'Register', exact: true }).click();
    await expect.poll(() => page.getByTestId('register-outcome').getAttribute('data-outcome')).toBe('registered');
    const bestVersion = await invoke<ModelVersion>(page, 'registry:version', { name: 'churn-best', version: 1 });
    expect(bestVersion.runName).toBe(bestName);
    await page.keyboard.press('Escape');

    // Aliases on the board tab: champion → v1, then moved to v2; an invalid name is refused.
    await go(page, '#/registry/churn');
    await card(page, 1).waitFor();
    const aliases = page.locator('.reg-aliases');
    await aliases.getByLabel('Alias', { exact: true }).fill('1st');
    await aliases.getByRole('button', { name: 'Set alias' }).click();
    expect(await page.getByTestId('alias-error').textContent()).toMatch(/must not start with a digit/);
    await aliases.getByLabel('Alias', { exact: true }).fill('champion');
    await aliases.locator('form select').selectOption('1');
    await aliases.getByRole('button', { name: 'Set alias' }).click();
    await card(page, 1).getByText('@champion').waitFor();
    await aliases.getByLabel('Version of @champion').selectOption('2');
    await card(page, 2).getByText('@champion').waitFor();
    expect((await model(page, 'churn')).model.aliases).toEqual({ champion: 2 });

    // Approvals: turn the rule on, then moving v2 to Production becomes a request; the requester may not approve it.
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByLabel('Require an approved request to move a version to Production').check();
    await expect.poll(async () => (await model(page, 'churn')).model.requireApproval).toBe(true);
    await page.getByRole('tab', { name: 'Board' }).click();
    await card(page, 2).getByLabel('Move version 2 to').selectOption('Production');
    const move = page.getByTestId('transition-dialog');
    expect(await move.textContent()).toContain('a request will be created');
    await move.getByLabel(/^Why\?/).fill('please promote the boosting model');
    await move.getByRole('button', { name: 'Request approval' }).click();
    await page.locator('.reg-request').waitFor();
    expect(await page.getByTestId('board-status').textContent()).toMatch(/^Request #\d+ for version 2 is waiting for approval\.$/);
    expect(await stageOf(page, 'churn', 2)).toBe('None');
    expect(await card(page, 2).textContent()).toContain('awaiting approval for Production');
    const request = page.locator('.reg-request');
    await request.getByRole('button', { name: 'Approve' }).click();
    expect(await page.getByTestId('approval-error').textContent()).toBe('Say why: a comment is required.');
    await request.getByLabel('Your comment (required)').fill('looks fine to me');
    await request.getByRole('button', { name: 'Approve' }).click();
    await expect
      .poll(() => page.getByTestId('approval-error').textContent())
      .toMatch(/requested this promotion and cannot also approve it/);
    expect(await stageOf(page, 'churn', 2)).toBe('None');
    await screenshot(page, 'registry-approval-refused');
    // The requester cancels it; it moves to the decided list.
    await request.getByRole('button', { name: 'Cancel request' }).click();
    await page.locator('.reg-request').waitFor({ state: 'detached' });
    await page.getByText('Decided requests (1)').click();
    expect(await page.locator('.reg-approvals tr[data-request]').textContent()).toContain('cancelled');

    // With self-approval allowed (a one-person workspace), the same requester approves and v2 goes to Production, v1 to Archived.
    await invoke(page, 'settings:update', { allowSelfApproval: true });
    await card(page, 2).getByLabel('Move version 2 to').selectOption('Production');
    await move.getByLabel(/^Why\?/).fill('promote again');
    await move.getByRole('button', { name: 'Request approval' }).click();
    await request.getByLabel('Your comment (required)').fill('self-approved: single-user workspace');
    await request.getByRole('button', { name: 'Approve' }).click();
    await column(page, 'Production').locator('.reg-card[data-version="2"]').waitFor();
    await column(page, 'Archived').locator('.reg-card[data-version="1"]').waitFor();
    const approvals = await invoke<AuditEntry[]>(page, 'registry:audit', { model: 'churn', action: 'approval-approve' });
    expect(approvals.map((a) => a.comment)).toEqual(['self-approved: single-user workspace']);

    // An archived version, no longer Production, can be deleted; the page goes back to the model.
    await go(page, '#/registry/churn/1');
    await page.getByRole('button', { name: 'Delete version' }).click();
    await page.getByTestId('delete-dialog').getByRole('button', { name: 'Delete' }).click();
    await page.locator('.reg-model-page').waitFor();
    expect(await page.evaluate(() => window.location.hash)).toBe('#/registry/churn');
    expect((await model(page, 'churn')).versions.map((v) => v.version)).toEqual([2]);

    // The board in Japanese fits its columns.
    await invoke(page, 'settings:update', { language: 'ja' });
    await page.getByRole('tab', { name: 'ボード' }).waitFor();
    await card(page, 2).waitFor();
    await screenshot(page, 'registry-board-ja');
  });
});
