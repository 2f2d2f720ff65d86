/** Placeholder while the page is written (issue 10). */
export default function ComparePage(props: Record<string, unknown>) {
  return <div className="page">ComparePage {JSON.stringify(props)}</div>;
}
