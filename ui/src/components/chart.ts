// Line and stacked-area charts on Apache ECharts (bundled, SVG renderer). Figures arrive
// as decimal strings: Number() only places them on the canvas; tooltips print the strings
// themselves, formatted for the locale and currency. Charts follow the window size and
// the light or dark theme.
import { init, use, type EChartsType } from "echarts/core";
import { LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";
import { h } from "../dom";
import { formatMoney } from "../format";

use([LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, SVGRenderer]);

export interface Series {
  name: string;
  values: string[];
  /** Stacked as an area (cohort layers); otherwise a line. */
  area?: boolean;
  color?: string;
  dashed?: boolean;
}

export interface ChartSpec {
  testid: string;
  /** Category labels ("Nov 2026"), one per value. */
  labels: string[];
  series: Series[];
  currency: string;
  locale: string;
  /** A month to mark with a vertical line and a label. */
  marker?: { index: number; label: string };
  /** Rows added to the tooltip after the series (e.g. the MRR total over the layers). */
  extraTooltip?: (index: number) => [string, string][];
  height?: number;
}

/** Cohort colours, the book at the start darkest; readable on light and dark panels. */
export const BAND_COLORS = ["#1f5fbf", "#3884d6", "#56a0e0", "#2896a0", "#46b2aa", "#6ec4aa", "#96ce96", "#bad680", "#dece70", "#eab060", "#e28c60"];

const live = new Set<{ chart: EChartsType; observer: ResizeObserver; render: () => void }>();
const dark = window.matchMedia("(prefers-color-scheme: dark)");
dark.addEventListener("change", () => {
  for (const c of live) c.render();
});

/** Disposes every chart no longer in the page (called when a screen is replaced). */
export function disposeDetachedCharts(): void {
  for (const c of live) {
    if (!c.chart.getDom().isConnected) {
      c.observer.disconnect();
      c.chart.dispose();
      live.delete(c);
    }
  }
}

function themeColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

/** "€12K" on the axis: short, in the currency, in the locale. Axis ticks only. */
function axisLabel(value: number, currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency, notation: "compact", maximumSignificantDigits: 3 }).format(value);
  } catch {
    return `${value} ${currency}`;
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A chart element that draws itself once it is in the page and follows its size. */
export function chart(spec: ChartSpec): HTMLElement {
  const el = h("div", { class: "chart", testid: spec.testid, style: `height:${spec.height ?? 300}px` });
  let entry: { chart: EChartsType; observer: ResizeObserver; render: () => void } | null = null;
  const render = () => {
    if (!entry) return;
    const text = themeColor("--text");
    const muted = themeColor("--muted");
    const line = themeColor("--line");
    const panel = themeColor("--panel");
    const money = (v: string) => formatMoney(v, spec.currency, spec.locale);
    entry.chart.setOption({
      backgroundColor: "transparent",
      // Redrawn on every change of the assumptions: no animation, the figures just move.
      animation: false,
      // The page's real font: ECharts measures text with it to lay out labels and legend.
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily, color: text },
      grid: { left: 8, right: 24, top: 24, bottom: 40, containLabel: true },
      legend: { type: "scroll", bottom: 0, textStyle: { color: text, fontFamily: getComputedStyle(document.body).fontFamily }, pageTextStyle: { color: muted }, icon: "roundRect", itemWidth: 14, itemHeight: 10 },
      tooltip: {
        trigger: "axis",
        confine: true,
        backgroundColor: panel,
        borderColor: line,
        textStyle: { color: text },
        formatter: (params: unknown) => {
          const items = params as { dataIndex: number; seriesIndex: number; marker: string }[];
          if (!items.length) return "";
          const i = items[0].dataIndex;
          const rows = items
            .filter((p) => spec.series[p.seriesIndex].values[i] !== undefined)
            .map((p) => `<tr><td>${p.marker}${escapeHtml(spec.series[p.seriesIndex].name)}</td><td class="num">${escapeHtml(money(spec.series[p.seriesIndex].values[i]))}</td></tr>`);
          for (const [label, value] of spec.extraTooltip?.(i) ?? []) rows.push(`<tr class="strong"><td>${escapeHtml(label)}</td><td class="num">${escapeHtml(money(value))}</td></tr>`);
          return `<div class="chart-tip"><div class="strong">${escapeHtml(spec.labels[i])}</div><table>${rows.join("")}</table></div>`;
        },
      },
      xAxis: {
        type: "category", data: spec.labels, boundaryGap: false,
        axisLine: { lineStyle: { color: muted } }, axisLabel: { color: muted, hideOverlap: true },
      },
      yAxis: {
        type: "value",
        axisLabel: { color: muted, formatter: (v: number) => axisLabel(v, spec.currency, spec.locale) },
        splitLine: { lineStyle: { color: line } },
      },
      series: spec.series.map((s, n) => ({
        name: s.name,
        type: "line",
        // Plotting only: the figures shown to people are the strings, in the tooltip.
        data: s.values.map(Number),
        stack: s.area ? "layers" : undefined,
        areaStyle: s.area ? { opacity: 0.9 } : undefined,
        showSymbol: false,
        smooth: false,
        color: s.color,
        lineStyle: { width: s.area ? 0.5 : 2.2, type: s.dashed ? "dashed" : "solid" },
        emphasis: { focus: "series" },
        markLine: n === 0 && spec.marker ? {
          silent: true, symbol: "none",
          lineStyle: { color: text, type: "dashed", width: 1.5 },
          label: { formatter: spec.marker.label, color: text, position: "end", fontWeight: "bold" },
          data: [{ xAxis: spec.marker.index }],
        } : undefined,
      })),
    }, true);
  };
  // Drawn once attached, so ECharts measures the real size.
  let tries = 0;
  requestAnimationFrame(function attach() {
    if (!el.isConnected) {
      if (++tries < 120) requestAnimationFrame(attach);
      return;
    }
    const c = init(el, undefined, { renderer: "svg" });
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el);
    entry = { chart: c, observer, render };
    live.add(entry);
    render();
  });
  return el;
}
