/** Import an mlruns folder, export to one (written by the mlruns work). */
export function MlflowFilesSection() {
  return null;
}
