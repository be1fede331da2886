// Which hidden comments fold together: runs of consecutive hidden items among a parent's
// children. Pure (works on any array), so it is tested without a DOM.

export const FOLD_MIN_RUN = 3; // two hidden comments in a row stay two labels; three or more are a pile

/**
 * Runs of consecutive `isHidden` children, each at least `min` long. `skip(child)` children
 * (our own labels and bars) neither break a run nor belong to one.
 */
export function hiddenRuns(children, isHidden, { min = FOLD_MIN_RUN, skip = () => false } = {}) {
  const runs = [];
  let run = [];
  const close = () => { if (run.length >= min) runs.push(run); run = []; };
  for (const child of children) {
    if (skip(child)) continue;
    if (isHidden(child)) run.push(child);
    else close();
  }
  close();
  return runs;
}
