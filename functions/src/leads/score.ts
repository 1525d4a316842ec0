/**
 * Lead scoring, 0 to 100, from what the forms told us (docs/community-growth.md, "Leads", repeats these rules):
 *   10  an e-mail address (every lead)
 *  +15  a name
 *  +20  a phone number
 *  +10  a source (where the form was); +15 more for `referral`, +10 more for `webinar` or `event`
 *   +5  for each form after the first (coming back shows interest), at most +20
 * A score set higher by the staff is kept: folding a form never lowers a lead's score.
 */
export interface ScoreFacts {
  name: string | null;
  phone: string | null;
  source: string | null;
  forms: number;
}

const SOURCE_BONUS: Record<string, number> = { referral: 15, webinar: 10, event: 10 };

export function scoreLead(f: ScoreFacts): number {
  let score = 10;
  if (f.name) score += 15;
  if (f.phone) score += 20;
  if (f.source) score += 10 + (SOURCE_BONUS[f.source.trim().toLowerCase()] ?? 0);
  score += Math.min(20, 5 * Math.max(0, f.forms - 1));
  return Math.min(100, score);
}
