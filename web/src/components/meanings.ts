/**
 * One colour per meaning, across every chart and legend of the app: Connects
 * issued are always green, spent always blue, expired (or expiring) always
 * amber; purchase revenue purple, Plus revenue teal. Each meets 3:1 contrast
 * against the white panel (WCAG 1.4.11 for graphics).
 */
export const meanings = {
  issued: { label: 'Issued', color: '#15803d' },
  spent: { label: 'Spent', color: '#1d4ed8' },
  expired: { label: 'Expired', color: '#b45309' },
  expiring: { label: 'Expiring', color: '#b45309' },
  purchases: { label: 'Purchases', color: '#7e22ce' },
  plus: { label: 'Plus', color: '#0f766e' },
  // A simulation's two runs: the timeline as it stands (drawn dashed) and the candidate.
  baseline: { label: 'Baseline', color: '#4b5563' },
  candidate: { label: 'Candidate', color: '#be185d' },
} as const;

export type Meaning = keyof typeof meanings;

/** How many labels of `longest` characters fit side by side in `width` pixels: show every `step`-th. */
export function labelStep(count: number, longest: number, width: number, charPx = 7.5): number {
  if (count <= 0 || width <= 0) return 1;
  const fit = Math.max(1, Math.floor(width / (longest * charPx + 10)));
  return Math.max(1, Math.ceil(count / fit));
}
