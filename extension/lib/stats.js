// Turns GET /v1/stats?days=N into chart series: one value per day, oldest first, with
// missing days filled with zeros.

export const SERIES = Object.freeze([
  { key: 'analysed', label: 'statAnalysed', color: '#9aa0a6', chart: false, aliases: ['analyzed'] },
  { key: 'flagged', label: 'statFlagged', color: '#f29900', chart: true },
  { key: 'folded', label: 'statFolded', color: '#0b57d0', chart: true },
  { key: 'blocked', label: 'statBlocked', color: '#b3261e', chart: true },
  { key: 'nudges_shown', label: 'statNudges', color: '#8430ce', chart: true, aliases: ['nudges'] },
  { key: 'nudges_heeded', label: 'statHeeded', color: '#188038', chart: false },
  { key: 'notices', label: 'statNotices', color: '#e37400', chart: false },
  { key: 'lockdowns', label: 'statLockdowns', color: '#137333', chart: false },
  { key: 'reports', label: 'statReports', color: '#5f6368', chart: true },
]);

function valueOf(row, s) {
  if (!row) return 0;
  for (const k of [s.key, ...(s.aliases || [])]) if (typeof row[k] === 'number') return row[k];
  return 0;
}

export function lastDays(n, today = new Date()) {
  const out = [];
  const base = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  for (let i = n - 1; i >= 0; i--) out.push(new Date(base - i * 86400000).toISOString().slice(0, 10));
  return out;
}

export function dailySeries(stats, n = 30, today = new Date()) {
  const rows = (stats && (stats.days || stats.daily)) || [];
  const byDay = new Map();
  for (const r of rows) if (r && typeof (r.date || r.day) === 'string') byDay.set((r.date || r.day).slice(0, 10), r);
  const days = lastDays(n, today);
  const series = SERIES.map((s) => ({ ...s, values: days.map((d) => valueOf(byDay.get(d), s)) }));
  const totals = {};
  for (const s of series) {
    const fromServer = stats && stats.totals ? valueOf(stats.totals, s) : null;
    totals[s.key] = fromServer ?? s.values.reduce((a, b) => a + b, 0);
  }
  return { days, series, totals };
}
