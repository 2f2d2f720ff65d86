/**
 * worker_threads side of bench/training.ts: bins a feature range into a
 * shared code matrix, or fits a range of tree indices with fitForestRange.
 * (The app runs the same functions in its utility-process pool.)
 */
import { parentPort } from 'node:worker_threads';
import { binColumn, computeFeatureEdges, type BinnedMatrix } from '../electron/core/training/binning';
import { fitForestRange, type ForestParams } from '../electron/core/training/forest';
import type { FlatTree } from '../electron/core/training/flat-tree';

interface BinMsg {
  type: 'bin';
  X: SharedArrayBuffer;
  codes: SharedArrayBuffer;
  nRows: number;
  from: number;
  to: number;
  maxBins: number;
}
interface FitMsg {
  type: 'fit';
  codes: SharedArrayBuffer;
  y: SharedArrayBuffer;
  nRows: number;
  nFeatures: number;
  edges: Float64Array[];
  hasMissing: Uint8Array;
  nClasses: number;
  params: ForestParams;
  seed: number;
  from: number;
  to: number;
}

parentPort!.on('message', (msg: BinMsg | FitMsg | { type: 'ping' }) => {
  if (msg.type === 'ping') return parentPort!.postMessage({ type: 'pong' });
  if (msg.type === 'bin') {
    const X = new Float64Array(msg.X);
    const codes = new Uint8Array(msg.codes);
    const edges: Float64Array[] = [];
    const hasMissing: boolean[] = [];
    for (let f = msg.from; f < msg.to; f++) {
      const e = computeFeatureEdges(X, msg.nRows, f, msg.maxBins);
      binColumn(X, msg.nRows, f, e.edges, codes);
      edges.push(e.edges);
      hasMissing.push(e.hasMissing);
    }
    return parentPort!.postMessage({ type: 'binned', edges, hasMissing });
  }
  const binned: BinnedMatrix = {
    codes: new Uint8Array(msg.codes),
    nRows: msg.nRows,
    nFeatures: msg.nFeatures,
    binning: { edges: msg.edges, nBins: Int32Array.from(msg.edges, (e) => e.length), hasMissing: msg.hasMissing },
  };
  const part = fitForestRange({ binned, y: new Float64Array(msg.y), nClasses: msg.nClasses }, msg.params, msg.seed, msg.from, msg.to);
  const transfer = part.trees.flatMap((t: FlatTree) => [
    t.feature.buffer,
    t.threshold.buffer,
    t.bin.buffer,
    t.missingLeft.buffer,
    t.left.buffer,
    t.value.buffer,
  ]);
  parentPort!.postMessage({ type: 'part', part }, transfer as ArrayBuffer[]);
});
