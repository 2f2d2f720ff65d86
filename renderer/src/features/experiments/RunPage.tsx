/** Placeholder while the page is written (issue 10). */
export default function RunPage(props: Record<string, unknown>) {
  return <div className="page">RunPage {JSON.stringify(props)}</div>;
}
