import type { SocialPlatform } from '@zhengrowth/model';

/**
 * X's weighted length (twitter-text v3): code points in the Latin and common punctuation ranges
 * count 1, everything else (Chinese, Japanese, emoji…) counts 2, against 280.
 */
function xWeightedLength(text: string): number {
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const light = cp <= 4351 || (cp >= 8192 && cp <= 8205) || (cp >= 8208 && cp <= 8223) || (cp >= 8242 && cp <= 8247);
    n += light ? 1 : 2;
  }
  return n;
}

const LIMITS: Record<SocialPlatform, { max: number; length: (text: string) => number }> = {
  linkedin: { max: 3000, length: (t) => [...t].length },
  x: { max: 280, length: xWeightedLength },
};

/** The platform's limit in its own unit (what the AI is asked to keep to). */
export function postMaxLength(platform: SocialPlatform): number {
  return LIMITS[platform].max;
}

/** Null when the text fits the platform, else why not. */
export function postTooLong(platform: SocialPlatform, text: string): string | null {
  const { max, length } = LIMITS[platform];
  const n = length(text);
  return n > max ? `too long for ${platform}: ${n} of at most ${max}` : null;
}
