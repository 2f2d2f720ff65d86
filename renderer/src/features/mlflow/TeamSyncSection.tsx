/** Team server remotes, push and pull (written by the sync work). */
export function TeamSyncSection() {
  return null;
}
