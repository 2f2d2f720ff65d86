/**
 * The registry endpoints over HTTP go through the workbench's registry: the
 * audit log records them via "mlflow-api", and a transition that needs an
 * approval answers MLflow's PERMISSION_DENIED with the version left where it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMessage } from './fixtures/mlflow-proto-fields';
import { startTestMlflow, type TestMlflow } from './test-server';

let t: TestMlflow;
let runId: string;
let bareRunId: string;
beforeAll(async () => {
  t = await startTestMlflow();
  // A finished run with a workbench model (what the registry registers), and one without.
  const run = t.store.tracking.createRun({ experimentId: 0, name: 'trained', userId: 'ana', source: 'app' });
  const obj = t.store.objects.writeObject('{"engine":"test"}');
  t.store.tracking.addArtifact(run.runId, { path: 'model/model.json', sha256: obj.sha256, size: obj.size });
  t.store.tracking.updateRun(run.runId, { status: 'FINISHED', endTime: Date.now() });
  runId = run.runId;
  const bare = t.store.tracking.createRun({ experimentId: 0, name: 'pickled', userId: 'ana', source: 'mlflow-client' });
  t.store.tracking.updateRun(bare.runId, { status: 'FINISHED', endTime: Date.now() });
  bareRunId = bare.runId;
});
afterAll(() => t.close());

const fields = (value: unknown, type: string) => expect(checkMessage(value, type)).toEqual([]);
const error = (res: { status: number; body: any }, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.body.error_code).toBe(code);
};

describe('model registry endpoints', () => {
  it('creates models and versions, moves stages, aliases, tags, searches, renames and deletes — audited via mlflow-api', async () => {
    const created = await t.call('POST', 'registered-models/create', {
      name: 'churn',
      description: 'd',
      tags: [{ key: 'team', value: 'risk' }],
    });
    fields(created.body, 'CreateRegisteredModel.Response');
    expect(created.body.registered_model).toMatchObject({ name: 'churn', description: 'd', tags: [{ key: 'team', value: 'risk' }] });
    error(await t.call('POST', 'registered-models/create', { name: 'churn' }), 400, 'RESOURCE_ALREADY_EXISTS');

    const v1 = await t.call('POST', 'model-versions/create', {
      name: 'churn',
      source: `runs:/${runId}/model`,
      run_id: runId,
      tags: [{ key: 'k', value: 'v' }],
    });
    fields(v1.body, 'CreateModelVersion.Response');
    expect(v1.body.model_version).toMatchObject({
      name: 'churn',
      version: '1',
      current_stage: 'None',
      run_id: runId,
      status: 'READY',
      tags: [{ key: 'k', value: 'v' }],
    });
    const refused = await t.call('POST', 'model-versions/create', { name: 'churn', run_id: bareRunId });
    error(refused, 400, 'INVALID_PARAMETER_VALUE');
    expect(refused.body.message).toMatch(/no model artifact/);
    error(await t.call('POST', 'model-versions/create', { name: 'nope', run_id: runId }), 404, 'RESOURCE_DOES_NOT_EXIST');

    const staged = await t.call('POST', 'model-versions/transition-stage', {
      name: 'churn',
      version: '1',
      stage: 'staging',
      archive_existing_versions: false,
    });
    expect(staged.status).toBe(200);
    expect(staged.body.model_version.current_stage).toBe('Staging');
    const latest = await t.call('POST', 'registered-models/get-latest-versions', { name: 'churn', stages: ['Staging'] });
    fields(latest.body, 'GetLatestVersions.Response');
    expect(latest.body.model_versions.map((v: { version: string }) => v.version)).toEqual(['1']);

    // Production needs an approval here: the API files the request and refuses as MLflow does.
    t.store.registry.updateModel('churn', { requireApproval: true });
    const prod = await t.call('POST', 'model-versions/transition-stage', { name: 'churn', version: '1', stage: 'Production' });
    error(prod, 403, 'PERMISSION_DENIED');
    expect(prod.body.message).toMatch(/needs an approval: request #\d+ was filed/);
    expect(t.store.registry.getVersion('churn', 1).stage).toBe('Staging');
    expect(t.store.registry.listRequests({ name: 'churn', status: 'pending' })).toHaveLength(1);
    error(
      await t.call('POST', 'model-versions/transition-stage', { name: 'churn', version: '1', stage: 'Live' }),
      400,
      'INVALID_PARAMETER_VALUE',
    );

    expect((await t.call('POST', 'registered-models/alias', { name: 'churn', alias: 'champion', version: '1' })).status).toBe(200);
    const byAlias = await t.call('GET', 'registered-models/alias?name=churn&alias=champion');
    fields(byAlias.body, 'GetModelVersion.Response');
    expect(byAlias.body.model_version.aliases).toEqual(['champion']);
    const got = await t.call('GET', 'registered-models/get?name=churn');
    fields(got.body, 'GetRegisteredModel.Response');
    expect(got.body.registered_model.aliases).toEqual([{ alias: 'champion', version: '1' }]);
    expect((await t.call('DELETE', 'registered-models/alias', { name: 'churn', alias: 'champion' })).status).toBe(200);
    error(await t.call('GET', 'registered-models/alias?name=churn&alias=champion'), 404, 'RESOURCE_DOES_NOT_EXIST');

    expect((await t.call('POST', 'model-versions/set-tag', { name: 'churn', version: '1', key: 'x', value: 'y' })).status).toBe(200);
    expect((await t.call('DELETE', 'model-versions/delete-tag', { name: 'churn', version: '1', key: 'x' })).status).toBe(200);
    expect(
      (await t.call('PATCH', 'model-versions/update', { name: 'churn', version: '1', description: 'v1' })).body.model_version.description,
    ).toBe('v1');
    expect(
      (await t.call('PATCH', 'registered-models/update', { name: 'churn', description: 'new' })).body.registered_model.description,
    ).toBe('new');

    const models = await t.call('GET', "registered-models/search?filter=name%20LIKE%20'ch%25'");
    fields(models.body, 'SearchRegisteredModels.Response');
    expect(models.body.registered_models.map((m: { name: string }) => m.name)).toEqual(['churn']);
    const versions = await t.call('GET', `model-versions/search?filter=run_id%3D'${runId}'`);
    fields(versions.body, 'SearchModelVersions.Response');
    expect(versions.body.model_versions.map((v: { version: string }) => v.version)).toEqual(['1']);

    const renamed = await t.call('POST', 'registered-models/rename', { name: 'churn', new_name: 'churn-v2' });
    expect(renamed.body.registered_model.name).toBe('churn-v2');
    expect((await t.call('DELETE', 'model-versions/delete', { name: 'churn-v2', version: '1' })).status).toBe(200);
    expect((await t.call('DELETE', 'registered-models/delete', { name: 'churn-v2' })).status).toBe(200);
    error(await t.call('GET', 'registered-models/get?name=churn-v2'), 404, 'RESOURCE_DOES_NOT_EXIST');

    const audit = t.store.registry.listAudit({ limit: 100 });
    expect(new Set(audit.map((a) => a.via))).toEqual(new Set(['mlflow-api']));
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'register',
        'transition',
        'approval-request',
        'alias-set',
        'alias-delete',
        'tag-set',
        'tag-delete',
        'rename',
        'delete-version',
        'delete-model',
      ]),
    );
  });
});
