/** A dependency-free SVG line plot: GB/s against n on a log axis, one line per series. */

export interface Series {
  name: string;
  points: { n: number; gbps: number }[];
  dashed?: boolean;
}

const COLORS = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f"];

export function plotSvg(title: string, subtitle: string, series: Series[]): string {
  const width = 860;
  const height = 480;
  const margin = { left: 64, right: 200, top: 56, bottom: 48 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const all = series.flatMap((s) => s.points);
  const maxN = Math.max(...all.map((p) => p.n));
  const maxG = Math.ceil(Math.max(...all.map((p) => p.gbps)) / 10) * 10;
  const x = (n: number) => margin.left + (Math.log2(n) / Math.log2(maxN)) * plotW;
  const y = (g: number) => margin.top + plotH - (g / maxG) * plotH;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="100%" height="100%" fill="white"/>`);
  parts.push(`<text x="${margin.left}" y="22" font-size="15" font-weight="bold">${escape(title)}</text>`);
  parts.push(`<text x="${margin.left}" y="40" fill="#555">${escape(subtitle)}</text>`);
  for (let g = 0; g <= maxG; g += maxG / 5) {
    parts.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y(g)}" y2="${y(g)}" stroke="#eee"/>`);
    parts.push(`<text x="${margin.left - 8}" y="${y(g) + 4}" text-anchor="end">${g}</text>`);
  }
  for (let e = 0; 2 ** e <= maxN; e += 2) {
    const label = 2 ** e >= 1 << 20 ? `${2 ** (e - 20)}M` : 2 ** e >= 1024 ? `${2 ** (e - 10)}K` : `${2 ** e}`;
    parts.push(`<line x1="${x(2 ** e)}" x2="${x(2 ** e)}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#f3f3f3"/>`);
    parts.push(`<text x="${x(2 ** e)}" y="${margin.top + plotH + 16}" text-anchor="middle">${label}</text>`);
  }
  parts.push(`<text x="${margin.left + plotW / 2}" y="${height - 10}" text-anchor="middle">n (float32 elements per array, log scale)</text>`);
  parts.push(`<text transform="translate(16 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">GB/s (12 bytes moved per element)</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const path = s.points.map((p, j) => `${j === 0 ? "M" : "L"}${x(p.n).toFixed(1)},${y(p.gbps).toFixed(1)}`).join(" ");
    parts.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`);
    const ly = margin.top + 10 + i * 20;
    parts.push(`<line x1="${width - margin.right + 16}" x2="${width - margin.right + 40}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`);
    parts.push(`<text x="${width - margin.right + 46}" y="${ly + 4}">${escape(s.name)}</text>`);
  });
  parts.push(`</svg>`);
  return parts.join("\n");
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
