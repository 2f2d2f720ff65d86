import { useEffect, useRef } from 'react';
import type PlotlyStatic from 'plotly.js-strict-dist-min';

type Plotly = typeof PlotlyStatic;
/** A plotly trace or layout (plain JSON as in plotly's reference). */
export type PlotlyJson = Record<string, unknown>;

let loading: Promise<Plotly> | undefined;

/**
 * Loads plotly.js once, on first use: the strict partial bundle (no
 * `new Function`, so it runs under the app's CSP without 'unsafe-eval'; it
 * has parcoords, which the basic bundle lacks). A dynamic import keeps its
 * ~5 MB out of every bundle but the compare page's own chunk.
 */
export function loadPlotly(): Promise<Plotly> {
  loading ??= import('plotly.js-strict-dist-min').then((m) => {
    // Lets the benchmark tell loading the library from drawing.
    performance.mark('mlwb:plotly-loaded');
    return (m as { default?: Plotly }).default ?? (m as unknown as Plotly);
  });
  return loading;
}

/**
 * One plotly chart: plots (or re-plots, with `Plotly.react`) whenever the data
 * or layout change, calls `onAfterPlot` after each drawing (`Plotly.react`
 * resolves once plotly has emitted 'plotly_afterplot'), and purges the graph
 * on unmount.
 */
export function PlotlyChart({
  data,
  layout,
  label,
  className,
  onAfterPlot,
}: {
  data: PlotlyJson[];
  layout: PlotlyJson;
  label: string;
  className?: string;
  onAfterPlot?: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const afterPlot = useRef(onAfterPlot);
  afterPlot.current = onAfterPlot;
  useEffect(() => {
    let cancelled = false;
    const el = ref.current;
    loadPlotly().then(
      async (Plotly) => {
        if (cancelled || !el) return;
        await Plotly.react(
          el,
          data,
          { autosize: true, font: { family: 'inherit', size: 12 }, ...layout },
          { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['toImage', 'sendDataToCloud'] },
        );
        afterPlot.current?.();
      },
      (error: unknown) => {
        if (!cancelled && el) el.textContent = `Could not load the chart library: ${String(error)}`;
      },
    );
    return () => {
      cancelled = true;
    };
  }, [data, layout]);
  useEffect(() => {
    const el = ref.current;
    return () => {
      if (el) void loadPlotly().then((Plotly) => Plotly.purge(el));
    };
  }, []);
  return <div ref={ref} className={className} role="img" aria-label={label} />;
}
