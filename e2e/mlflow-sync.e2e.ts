import { describe, expect, it } from 'vitest';
import { seedWorkspace } from '../electron/core/mlflow/sync/test-fixtures';
import { startTestMlflow } from '../electron/core/mlflow/test-server';
import { createStore } from '../electron/core/store';
import { e2eScope, launchApp, screenshot } from './fixtures';
import { freePort } from '../tests/helpers/serving';

const scope = e2eScope('mlflow-sync');

describe('Team server sync', () => {
  it('adds a remote, pushes an experiment with its model, shows the per-item result; a second push is all unchanged; a bad URI is refused', async () => {
    // A workspace with runs, metrics, artifacts and a registered version, and a team server (a second workbench serving MLflow's API).
    const workspaceDir = scope.dir();
    const store = createStore(workspaceDir);
    await seedWorkspace(store);
    store.close();
    const team = await startTestMlflow({ token: 'e2e-team-token' });
    const app = await launchApp({ workspaceDir });
    try {
      const { page } = app;
      await page.evaluate(() => (window.location.hash = '#/mlflow'));
      const section = page.getByTestId('team-sync');
      await section.waitFor();
      await section.getByText('No remote yet').waitFor();
      expect(await page.getByTestId('sync-token-where').textContent()).toMatch(/memory for this session only/);

      // A URI that is not http(s): refused with the reason, nothing added.
      const add = section.getByRole('form', { name: 'Add a remote' });
      await add.getByLabel('Name').fill('team');
      await add.getByLabel('Tracking URI').fill('s3://bucket/mlruns');
      await add.getByRole('button', { name: 'Add' }).click();
      await section.getByRole('alert').getByText('Only http:// and https:// tracking servers can be synced').waitFor();
      expect(await section.getByText('No remote yet').count()).toBe(1);

      await add.getByLabel('Tracking URI').fill(`${team.url}/`);
      await add.getByLabel('Token (optional)').fill('e2e-team-token');
      await add.getByRole('button', { name: 'Add' }).click();
      const row = section.getByRole('row', { name: /team/ });
      await row.getByText(team.url).waitFor();
      await row.getByText('set', { exact: true }).waitFor();

      const panel = page.getByTestId('sync-panel');
      await panel.getByLabel('All active experiments').uncheck();
      await panel.getByLabel(/churn-sync/).check();
      await panel.getByLabel(/churn-model/).check();
      await panel.getByRole('button', { name: 'Push', exact: true }).click();
      const result = page.getByTestId('sync-result');
      await result.getByText(/5 created, 0 resumed, 0 unchanged, 0 skipped, 0 failed/).waitFor({ timeout: 30_000 });
      for (const name of ['churn-sync', 'rf-deep', 'logreg', 'churn-model', 'churn-model v1'])
        await result
          .getByRole('row', { name: new RegExp(`created .* ${name}\\b`) })
          .first()
          .waitFor();
      expect(team.store.tracking.findExperimentByName('churn-sync')?.runCount).toBe(2);
      await expect.poll(() => row.getByText('never').count()).toBe(1); // pushed; never pulled
      await screenshot(page, 'mlflow-sync');

      await panel.getByRole('button', { name: 'Push', exact: true }).click();
      await result.getByText(/0 created, 0 resumed, 5 unchanged, 0 skipped, 0 failed/).waitFor({ timeout: 30_000 });
      expect(await result.locator('[data-outcome="unchanged"]').count()).toBe(5);
      expect(team.store.tracking.findExperimentByName('churn-sync')?.runCount).toBe(2);

      // A server that is not there: the push fails with the reason.
      await add.getByLabel('Name').fill('gone');
      const gone = `http://127.0.0.1:${await freePort()}`;
      await add.getByLabel('Tracking URI').fill(gone);
      await add.getByRole('button', { name: 'Add' }).click();
      await page.getByTestId('sync-panel').getByRole('heading', { name: 'Remote gone' }).waitFor();
      await page.getByTestId('sync-panel').getByRole('button', { name: 'Push', exact: true }).click();
      await page
        .getByTestId('sync-failed')
        .getByText(`Could not reach ${gone}: the connection was refused`, { exact: false })
        .waitFor({ timeout: 30_000 });
    } finally {
      await app.close();
      await team.close();
    }
  });
});
