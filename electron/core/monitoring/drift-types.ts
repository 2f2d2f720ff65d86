/** The drift check's types live in shared/drift.ts (the renderer and the contract use them too). */
export * from '../../../shared/drift';
