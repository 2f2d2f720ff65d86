/**
 * Training engine public API (pure Node + TypeScript, no dependencies).
 * See MODEL-FORMAT.md for the saved model format.
 */
export * from './errors';
export * from './data-matrix';
export * from './binning';
export * from './flat-tree';
export * from './forest';
export * from './gradient-boosting';
export * from './linear-models';
export * from './metrics';
export * from './split';
export * from './permutation-importance';
export * from './model';
export * from './train';
export { deriveSeed, Rng } from './random';
