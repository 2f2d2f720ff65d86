/**
 * The few plotly.js functions the compare page calls, typed for the official
 * strict partial bundle (it ships no types of its own).
 */
declare module 'plotly.js-strict-dist-min' {
  /** A plotly trace or layout: plain JSON as plotly's reference documents it. */
  type PlotlyJson = Record<string, unknown>;
  interface PlotlyStatic {
    react(root: HTMLElement, data: PlotlyJson[], layout?: PlotlyJson, config?: PlotlyJson): Promise<HTMLElement>;
    purge(root: HTMLElement): void;
    Plots: { resize(root: HTMLElement): void };
  }
  const Plotly: PlotlyStatic;
  export default Plotly;
}
