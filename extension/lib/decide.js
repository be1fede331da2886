// Pure decisions on the server's analysis results: blur or not, and why.

export const REASON_LABELS = Object.freeze(['threat', 'identity_attack', 'insult', 'obscene', 'targeted_person', 'toxic']);

const SEVERITY_RANK = { none: 0, low: 1, medium: 2, high: 3 };

/**
 * Should a comment be blurred, for a sensitivity of relaxed | standard | strict?
 *  - strict: anything the model calls toxic, or a score >= 0.35
 *  - standard: the model's own decision (toxic)
 *  - relaxed: toxic with medium or high severity
 * Only the toxic decision counts: a sub-label (obscene, identity_attack...) alone never
 * blurs. Swearing aimed at no one is hidden only for people who opted in (hideSwearing).
 */
export function shouldBlur(result, sensitivity = 'standard', { hideSwearing = false } = {}) {
  if (!result || typeof result !== 'object' || result.error) return false; // a per-item error: leave it visible
  if (hideSwearing && result.swearing === true && sensitivity !== 'relaxed') return true;
  const score = typeof result.score === 'number' ? result.score : 0;
  const toxic = Boolean(result.toxic);
  const sev = SEVERITY_RANK[result.severity] ?? (toxic ? 2 : 0);
  switch (sensitivity) {
    case 'strict': return toxic || score >= 0.35;
    case 'relaxed': return toxic && sev >= 2;
    default: return toxic;
  }
}

/** The label that best explains a result: the highest-scoring of the specific labels. */
export function mainReason(result) {
  const labels = (result && result.labels) || {};
  let best = 'toxic';
  let bestScore = -1;
  for (const name of REASON_LABELS) {
    const s = labels[name];
    if (typeof s !== 'number') continue;
    // prefer specific labels over the generic "toxic" when they are strong
    const adjusted = name === 'toxic' ? s - 0.15 : s;
    if (s >= 0.5 && adjusted > bestScore) {
      best = name;
      bestScore = adjusted;
    }
  }
  return best;
}

/** Fold or not, from a /v1/shield decision. */
export function shieldAction(decision) {
  const a = decision && decision.action;
  return a === 'fold' || a === 'block' ? a : 'deliver';
}

/** A short reason for a folded message from /v1/shield's reasons [{rule, labels, action, detail}]. */
export function dmReason(reasons) {
  const acting = (reasons || []).filter((r) => r && r.action && r.action !== 'deliver');
  const labels = acting.flatMap((r) => (Array.isArray(r.labels) ? r.labels : []));
  for (const l of ['threat', 'identity_attack', 'insult', 'obscene', 'targeted_person', 'toxic']) if (labels.includes(l)) return l;
  if (acting.some((r) => /stranger|audience/.test(String(r.rule)))) return 'stranger';
  return 'toxic';
}

/**
 * One /v1/analyze result as the content script needs it. An item the server could not score
 * (an `error` object instead of scores) stays an error: never a "benign" verdict, never cached.
 */
export function slimResult(r) {
  if (r && typeof r === 'object' && r.error && typeof r.error === 'object') {
    return { error: { code: String(r.error.code || 'error'), message: String(r.error.message || '') } };
  }
  r = r || {};
  return {
    toxic: Boolean(r.toxic),
    swearing: r.swearing === true,
    score: Number(r.score) || 0,
    severity: r.severity || 'none',
    labels: r.labels || {},
    language: r.language || null,
    spans: Array.isArray(r.spans) ? r.spans.map((s) => ({ start: s.start, end: s.end, score: s.score })) : [],
  };
}

/** Results of one request for `texts`: [{ text, result, cacheable }], one per text, in order. */
export function readAnalysis(texts, body) {
  const got = (body && Array.isArray(body.results)) ? body.results : [];
  return texts.map((text, k) => {
    const raw = got[k];
    if (raw === undefined || raw === null) {
      return { text, result: { error: { code: 'missing', message: 'no result for this text' } }, cacheable: false };
    }
    const result = slimResult(raw);
    return { text, result, cacheable: !result.error };
  });
}
