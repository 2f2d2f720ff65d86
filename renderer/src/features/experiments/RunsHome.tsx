/** Placeholder while the page is written (issue 10). */
export default function RunsHome(props: Record<string, unknown>) {
  return <div className="page">RunsHome {JSON.stringify(props)}</div>;
}
