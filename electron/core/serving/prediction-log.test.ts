import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mixedModelJson } from '../../../tests/helpers/serving';
import { createPredictionLogBuffer } from './prediction-log-buffer';
import { encodeLogBatch } from './prediction-log-rows';
import type { PredictionLogBatch } from './protocol';
import { loadServedModel, type ServedModel } from './served-model';

let cls: ServedModel;
let reg: ServedModel;
beforeAll(async () => {
  cls = loadServedModel({ version: 4, modelJson: await mixedModelJson('classification') });
  reg = loadServedModel({ version: 5, modelJson: await mixedModelJson('regression') });
});
afterEach(() => vi.useRealTimers());

const rec = (x1: number) => ({ x1, x2: null, color: 'b"lue\n', flag: true });

describe('prediction log batches', () => {
  it('collect rows per answering version and flush on the timer or at the batch size, counting rows dropped beyond the cap', () => {
    vi.useFakeTimers();
    const sent: { batches: PredictionLogBatch[]; dropped: number }[] = [];
    const buf = createPredictionLogBuffer({
      flushMs: 100,
      batchRows: 5,
      maxPending: 6,
      send: (batches, dropped) => sent.push({ batches, dropped }),
    });
    const answer = (model: ServedModel, n: number) =>
      buf.add({
        model,
        records: Array.from({ length: n }, (_, i) => rec(i)),
        predictions: model.predict(Array.from({ length: n }, (_, i) => rec(i))),
        ids: Array.from({ length: n }, (_, i) => `id${i}`),
        at: 1000,
        latencyMs: 0.25,
      });
    answer(cls, 1);
    answer(reg, 2);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(1);
    const [a, b] = sent[0].batches;
    expect(a).toMatchObject({
      version: 4,
      columns: ['x1', 'x2', 'color', 'flag'],
      classes: ['high', 'low', 'mid'],
      predictionIds: ['id0'],
    });
    expect(a.inputs).toEqual([[0, null, 'b"lue\n', true]]);
    expect(a.probabilities![0].reduce((s, p) => s + p, 0)).toBeCloseTo(1, 9);
    expect(b).toMatchObject({ version: 5, classes: null, probabilities: null });
    expect(typeof b.predictions[0]).toBe('number');

    answer(cls, 5); // reaches batchRows: flushed on the next turn, not on the timer
    answer(cls, 3); // over maxPending: dropped and counted
    vi.advanceTimersToNextTimer();
    expect(sent).toHaveLength(2);
    expect(sent[1].batches[0].predictionIds).toHaveLength(5);
    expect(sent[1].dropped).toBe(3);
    expect(buf.pendingRows).toBe(0);
  });

  it('main writes each row as the JSON a JSON.stringify of its objects would give', () => {
    const batch: PredictionLogBatch = {
      version: 2,
      columns: ['a', 'b "q"', 'c', 'd'],
      classes: ['no', 'yes'],
      predictionIds: ['p1', 'p2'],
      at: [10, 11],
      latencyMs: [0.5, 0.75],
      inputs: [
        [1.5, 'x\ny', true, null],
        [-0, 'ü', false, 1e21],
      ],
      predictions: ['yes', 'no'],
      probabilities: [
        [0.25, 0.75],
        [1, 0],
      ],
    };
    const rows = encodeLogBatch(batch, 'churn', 9);
    expect(rows).toHaveLength(2);
    rows.forEach((r, i) => {
      const obj = Object.fromEntries(batch.columns.map((c, j) => [c, batch.inputs[i][j]]));
      expect(r.inputsJson).toBe(JSON.stringify(obj));
      expect(JSON.parse(r.inputsJson)).toEqual(JSON.parse(JSON.stringify(obj)));
      expect(r.probabilitiesJson).toBe(JSON.stringify({ no: batch.probabilities![i][0], yes: batch.probabilities![i][1] }));
      expect(r.predictionJson).toBe(JSON.stringify(batch.predictions[i]));
      expect(r).toMatchObject({
        model: 'churn',
        serverId: 9,
        version: 2,
        at: batch.at[i],
        latencyMs: batch.latencyMs[i],
        source: 'server',
      });
    });
    expect(encodeLogBatch({ ...batch, classes: null, probabilities: null, predictions: [3.5, -1] }, 'm', null)[1]).toMatchObject({
      probabilitiesJson: null,
      predictionJson: '-1',
      serverId: null,
    });
  });
});
