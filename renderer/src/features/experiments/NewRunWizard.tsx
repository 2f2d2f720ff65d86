/** Placeholder while the page is written (issue 10). */
export default function NewRunWizard(props: Record<string, unknown>) {
  return <div className="page">NewRunWizard {JSON.stringify(props)}</div>;
}
