// Charts over time, drawn by uPlot (vendor/uplot, MIT), each with its text alternative: a caption
// that sums it up, a key that tells series apart by line style as well as colour, and its numbers
// as a table. The drawing itself is hidden from screen readers: the caption and table say the same.
import uPlot from '../vendor/uplot/uPlot.esm.js';
import { h, table, uid } from './dom.js';

const HEIGHT = 220;
const DAY = 86400;

/**
 * A figure: `title` and `summary` (a sentence) as its caption; `x` times in seconds since the epoch;
 * `series` as `{label, values, style}` with `style` one of `solid`, `dashed`
 * or `bars`; values shown by `formatY`. `daily` when each point is a day (at least a week is shown). `formatX` writes a time in the table (the time axis picks its
 * own short labels). `integers` keeps the value axis to whole numbers. The chart
 * is drawn once the figure has a width, and follows it when the page is resized.
 */
export function chartFigure({ title, summary, x, formatX, xHeader, series, formatY, integers = false, daily = false,
  signal }) {
  const titleId = uid('chart-title');
  const plot = h('div', { class: 'chart-plot', 'aria-hidden': 'true' });
  const figure = h('figure', { class: 'chart panel', 'aria-labelledby': titleId },
    h('figcaption', {},
      h('h3', { id: titleId }, title),
      h('p', { class: 'chart-summary' }, summary),
      series.length > 1 ? h('ul', { class: 'chart-key', 'aria-hidden': 'true' }, series.map((one, index) =>
        h('li', {}, h('span', { class: `chart-swatch chart-swatch-${index + 1} chart-swatch-${one.style}` }), one.label)))
        : null),
    x.length ? plot : h('p', { class: 'muted' }, 'Nothing to draw yet.'),
    x.length ? h('details', { class: 'chart-data' },
      h('summary', {}, 'The numbers'),
      table(title, [xHeader, ...series.map((one) => one.label)],
        x.map((time, row) => [formatX(time), ...series.map((one) => formatY(one.values[row]))])))
      : null);
  if (x.length) drawWhenSized(plot, { x, series, formatY, integers, daily }, signal);
  return figure;
}

function drawWhenSized(plot, data, signal) {
  let chart = null;
  const observer = new ResizeObserver(() => {
    const width = Math.floor(plot.clientWidth);
    if (width <= 0) return;
    if (chart) chart.setSize({ width, height: HEIGHT });
    else chart = new uPlot(options(data, width), [data.x, ...data.series.map((one) => one.values)], plot);
  });
  observer.observe(plot);
  signal?.addEventListener('abort', () => {
    observer.disconnect();
    chart?.destroy();
  }, { once: true });
}

/** Colours from the console's stylesheet, so the charts follow its light and dark themes. */
function colour(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function options({ x, series, formatY, integers, daily }, width) {
  const axis = {
    stroke: colour('--muted'),
    grid: { stroke: colour('--border'), width: 1 },
    ticks: { stroke: colour('--border'), width: 1 },
  };
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    scales: {
      x: { time: true, range: xRange(x, daily) },
      // Values start at zero, so a small change does not look like a large one.
      y: { range: (chart, min, max) => [0, max > 0 ? max * 1.15 : 1] },
    },
    axes: [
      axis,
      { ...axis, size: 72, values: (chart, splits) => splits.map(formatY),
        ...(integers ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] } : {}) },
    ],
    series: [{}, ...series.map((one, index) => {
      const stroke = colour(`--chart-${index + 1}`);
      if (one.style === 'bars') {
        return { label: one.label, stroke, fill: stroke, width: 1, paths: uPlot.paths.bars({ size: [0.6, 24] }),
          points: { show: false } };
      }
      return { label: one.label, stroke, width: 2, dash: one.style === 'dashed' ? [8, 5] : undefined,
        points: { show: true, size: 7, stroke, fill: stroke } };
    })],
  };
}

/**
 * The time axis from the times `x` (sorted): a week of days or more, each day's point or bar in the
 * middle of its day; runs with a margin. Taken from the data, as uPlot widens a single point's range
 * to 86400 / 0.001 seconds (years) before asking.
 */
function xRange(x, daily) {
  const first = x[0];
  const last = x[x.length - 1];
  return () => {
    if (daily) return [Math.min(first, last - 6 * DAY) - DAY / 2, last + DAY / 2];
    const margin = Math.max((last - first) * 0.05, 300);
    return [first - margin, last + margin];
  };
}
