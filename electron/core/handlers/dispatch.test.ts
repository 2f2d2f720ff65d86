import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/test-app';
import { dispatchRequest } from './dispatch';

const apps: TestApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));
const app = () => {
  const a = createTestApp();
  apps.push(a);
  return a;
};

describe('dispatchRequest', () => {
  it('answers a valid request', async () => {
    const { handlers } = app();
    const res = await dispatchRequest(handlers, 'settings:update', { language: 'ja' });
    expect(res).toMatchObject({ ok: true, value: { language: 'ja', allowSelfApproval: false } });
  });

  it('refuses an unknown channel with a typed error', async () => {
    const res = await dispatchRequest(app().handlers, 'fs:deleteEverything', {});
    expect(res).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await dispatchRequest(app().handlers, 42, {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
  });

  it('refuses wrong types, missing or extra fields, naming the field', async () => {
    const { handlers } = app();
    const wrongType = await dispatchRequest(handlers, 'jobs:get', { id: 'seven' });
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(!wrongType.ok && wrongType.error.message).toMatch(/id/);
    expect(await dispatchRequest(handlers, 'jobs:get', {})).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await dispatchRequest(handlers, 'settings:update', { language: 'xx' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
    expect(await dispatchRequest(handlers, 'settings:update', { language: 'en', admin: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
    expect(await dispatchRequest(handlers, 'jobs:startSelfCheck', { passes: -1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
    expect(await dispatchRequest(handlers, 'jobs:list', 'not an object')).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });

  it('refuses a huge payload without parsing it', async () => {
    const res = await dispatchRequest(app().handlers, 'settings:update', { language: 'x'.repeat(2_000_000) });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_payload', message: expect.stringMatching(/larger than/) } });
  });

  it('turns a handler error into a typed error and keeps working', async () => {
    const { handlers } = app();
    expect(await dispatchRequest(handlers, 'jobs:get', { id: 999 })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: 'No job with id 999.' },
    });
    expect(await dispatchRequest(handlers, 'settings:get', {})).toMatchObject({ ok: true });
  });
});
