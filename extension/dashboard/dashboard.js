// "My protection": the last 30 days as a canvas chart, the user's reports with the hash chain's
// verification, and exports. Server text only reaches the page through textContent.

import { MSG, STORAGE, normalizeSettings } from '../lib/messages.js';
import { loadTranslator, applyTranslations, uiLanguage } from '../lib/i18n.js';
import { call, el, clear } from '../lib/ui.js';
import { dailySeries, SERIES } from '../lib/stats.js';
import { reportRow } from './reports.js';

async function screenshotOf(id) {
  try {
    return (await call(MSG.REPORT_GET, { id })).screenshot || null;
  } catch {
    return null;
  }
}

const $ = (id) => document.getElementById(id);
let t = (k) => k;
let locale = 'en';

function showError(err) {
  $('error').hidden = !err;
  $('error').textContent = err ? `${t('errServerDown')} ${err.message || ''}` : '';
}

function drawChart(canvas, days, series) {
  const ctx = canvas.getContext('2d');
  const W = canvas.width; const H = canvas.height;
  const pad = { l: 40, r: 10, t: 12, b: 28 };
  ctx.clearRect(0, 0, W, H);
  // the canvas follows the page's font size (the browser's setting), not a fixed pixel size
  const rootPx = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  ctx.font = `${Math.round(rootPx * 0.75)}px system-ui, sans-serif`;
  const step = Math.max(1, Math.ceil(Math.max(1, ...series.flatMap((s) => s.values)) / 4));
  const max = step * 4; // whole-number ticks
  const plotW = W - pad.l - pad.r; const plotH = H - pad.t - pad.b;
  // grid
  ctx.strokeStyle = '#e0e0e0'; ctx.fillStyle = '#5f6368';
  for (let i = 0; i <= 4; i++) {
    const y = pad.t + plotH - (plotH * i) / 4;
    ctx.beginPath(); ctx.moveTo(pad.l, y); ctx.lineTo(W - pad.r, y); ctx.stroke();
    ctx.fillText(String(step * i), 4, y + 4);
  }
  const groupW = plotW / Math.max(1, days.length);
  const barW = Math.max(1, (groupW - 2) / series.length);
  days.forEach((day, d) => {
    series.forEach((s, k) => {
      const v = s.values[d] || 0;
      const h = (plotH * v) / max;
      ctx.fillStyle = s.color;
      ctx.fillRect(pad.l + d * groupW + 1 + k * barW, pad.t + plotH - h, barW, h);
    });
    if (d % 5 === 0 || d === days.length - 1) {
      ctx.fillStyle = '#5f6368';
      ctx.fillText(day.slice(5), pad.l + d * groupW, H - 8);
    }
  });
}

async function loadStats() {
  const stats = await call(MSG.STATS, { days: 30 });
  const { days, series, totals } = dailySeries(stats, 30);
  const totalsBox = clear($('totals'));
  for (const s of SERIES) {
    totalsBox.appendChild(el('div', { dataset: { series: s.key } }, [el('b', { text: totals[s.key] ?? 0 }), el('span', { text: t(s.label) })]));
  }
  const shown = series.filter((s) => s.chart);
  drawChart($('chart'), days, shown);
  const legend = clear($('legend'));
  for (const s of shown) legend.appendChild(el('span', {}, [el('i', { style: `background:${s.color}` }), t(s.label)]));
  $('chart').dataset.days = String(days.length);
}

async function loadReports() {
  const data = await call(MSG.REPORTS_LIST);
  const reports = Array.isArray(data) ? data : (data.reports || data.items || []);
  const rows = clear($('report-rows'));
  $('no-reports').hidden = reports.length > 0;
  for (const r of reports) {
    rows.appendChild(reportRow(r, { t, locale, onScreenshot: screenshotOf }));
  }
}

async function verify() {
  const out = $('verify-result');
  out.textContent = '…';
  try {
    const v = await call(MSG.REPORTS_VERIFY);
    out.dataset.ok = String(Boolean(v.ok));
    out.textContent = v.ok ? t('dashVerifyOk', [String(v.checked)]) : t('dashVerifyBad', [String(v.first_bad)]);
  } catch (err) {
    out.dataset.ok = 'false';
    out.textContent = err.message;
  }
}

async function exportReports(format) {
  try {
    const { body } = await call(MSG.REPORTS_EXPORT, { format });
    const blob = new Blob([body], { type: format === 'csv' ? 'text/csv' : 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = el('a', { href: url, download: `kindshield-reports-${new Date().toISOString().slice(0, 10)}.${format}` });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (err) {
    showError(err);
  }
}

async function main() {
  const got = await chrome.storage.local.get(STORAGE.SETTINGS);
  const settings = normalizeSettings(got[STORAGE.SETTINGS]);
  t = await loadTranslator(settings.language);
  locale = uiLanguage(settings.language, chrome.i18n.getUILanguage());
  document.documentElement.lang = locale;
  applyTranslations(document, t);
  $('verify').addEventListener('click', verify);
  $('export-json').addEventListener('click', () => exportReports('json'));
  $('export-csv').addEventListener('click', () => exportReports('csv'));
  const results = await Promise.allSettled([loadStats(), loadReports()]);
  const failed = results.find((r) => r.status === 'rejected');
  showError(failed ? failed.reason : null);
  document.body.dataset.ready = '1';
}

main();
