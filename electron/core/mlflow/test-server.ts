/**
 * Test helper: an MLflow endpoint on a fresh temporary workspace store, on a
 * free loopback port, with the `changed` events it sent.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEventBus } from '../events';
import { createStore, type Store } from '../store';
import { createMlflowHttpServer, type MlflowServerOptions } from './server';

export interface TestMlflow {
  store: Store;
  url: string;
  dir: string;
  changes: string[];
  /** A JSON request; answers status and parsed body. */
  call(method: string, endpoint: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startTestMlflow(options: Partial<MlflowServerOptions> = {}): Promise<TestMlflow> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-mlflow-'));
  const store = createStore(dir);
  const changes: string[] = [];
  const events = createEventBus();
  events.subscribe((name, payload) => {
    if (name === 'changed') changes.push((payload as { topic: string }).topic);
  });
  const http = createMlflowHttpServer({
    store,
    changed: (t) => changes.push(t),
    registry: { store, events, runTask: () => Promise.reject(new Error('no worker pool in this test')) },
    actor: () => ({ actor: 'tester', via: 'mlflow-api' }),
    ...options,
  });
  const { port } = await http.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  return {
    store,
    url,
    dir,
    changes,
    async call(method, endpoint, body, headers = {}) {
      const res = await fetch(`${url}${endpoint.startsWith('/') ? endpoint : `/api/2.0/mlflow/${endpoint}`}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: the test sees the text
      }
      return { status: res.status, body: parsed };
    },
    async close() {
      await http.close();
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
