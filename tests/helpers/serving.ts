import http from 'node:http';
import net from 'node:net';
import { recipeSpecSchema, type DataTable } from '../../shared/datasets';
import { tableToDataset, tableToRecipeDataset } from '../../electron/core/training/data-matrix';
import { serializeModel, type TrainedModel } from '../../electron/core/training/model';
import { Rng } from '../../electron/core/training/random';
import { trainModel } from '../../electron/core/training/train';
import { csvTextToTable } from './training-table';

/** CSV of a small mixed-type table: numbers (some missing), a category, a boolean, a class label and a price. */
export function mixedCsv(n: number, seed = 3): string {
  const rng = new Rng(seed);
  const lines = ['x1,x2,color,flag,label,price'];
  const colors = ['red', 'green', 'blue'];
  for (let i = 0; i < n; i++) {
    const x1 = rng.nextFloat() * 10;
    const x2 = rng.nextFloat() < 0.1 ? '' : (rng.nextFloat() * 4).toFixed(3);
    const color = colors[rng.nextInt(3)];
    const flag = rng.nextFloat() < 0.5 ? 'true' : 'false';
    const score = x1 + (color === 'red' ? 3 : 0) + (flag === 'true' ? 1 : 0) + rng.nextFloat() * 3;
    const label = score > 9 ? 'high' : score > 6 ? 'mid' : 'low';
    lines.push(`${x1.toFixed(4)},${x2},${color},${flag},${label},${(score * 10).toFixed(2)}`);
  }
  return lines.join('\n');
}

/**
 * A model trained in-process on {@link mixedCsv} (x1, x2, color, flag → label;
 * or → price for regression; `recipe` trains through a preprocessing recipe).
 */
export async function trainMixedModel(
  kind: 'classification' | 'regression' | 'recipe' = 'classification',
  seed = 3,
): Promise<TrainedModel> {
  const table = csvTextToTable(mixedCsv(300, seed));
  const features = ['x1', 'x2', 'color', 'flag'];
  if (kind === 'recipe') {
    const data: DataTable = {
      columns: table.columns.map((c) => ({ name: c.name, type: c.type })),
      rows: table.columns[0].values.map((_, r) => table.columns.map((c) => c.values[r] ?? null)),
    };
    const ds = tableToRecipeDataset(data, recipeSpecSchema.parse({ target: 'label', drop: ['price'] }), { target: 'label' });
    return (await trainModel(ds, { algorithm: 'rf', params: { nEstimators: 10 }, seed, testSize: 0 })).model;
  }
  const ds = tableToDataset(table, { target: kind === 'regression' ? 'price' : 'label', features });
  return (await trainModel(ds, { algorithm: 'rf', params: { nEstimators: 10 }, seed, testSize: 0 })).model;
}

/** {@link trainMixedModel} as the model file's JSON. */
export async function mixedModelJson(kind: 'classification' | 'regression' | 'recipe' = 'classification', seed = 3): Promise<string> {
  return serializeModel(await trainMixedModel(kind, seed));
}

/** A port nobody listens on right now (bound and released), within the contract's range. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    if (port >= 1024) return port;
  }
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: () => unknown;
}

/** One HTTP request with a raw body (any bytes, any headers), on a fresh connection. */
export function rawRequest(
  port: number,
  options: { method?: string; path?: string; body?: string | Buffer; headers?: Record<string, string | number> },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'POST',
        path: options.path ?? '/predict',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.end(options.body);
    else req.end();
  });
}

/** POSTs JSON (fetch, keep-alive) and returns the status and parsed answer. */
export async function postJson(port: number, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
