/**
 * JSON with numbers kept as their decimal text. Airwallex sends and expects amounts in major units
 * as JSON numbers (16.66); a float would round them, so they never pass through one.
 */

/** Parse JSON, turning every number into the string of its source text ("16.66", "5000"). */
export function parseJsonNumbersAsText(text: string): unknown {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i] as string;
    if (ch === '"') {
      // Copy a string literal through, escapes included.
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      const m = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
      if (!m) throw new SyntaxError(`bad number at position ${i}`);
      out += `"${m[0]}"`;
      i += m[0].length;
    } else {
      out += ch;
      i += 1;
    }
  }
  return JSON.parse(out) as unknown;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A decimal to be written into JSON as a number, exactly as given ("12.345", never 12.344999…). */
export class RawDecimal {
  constructor(readonly text: string) {
    if (!DECIMAL.test(text)) throw new Error(`not a plain decimal: ${JSON.stringify(text)}`);
  }
}

/** JSON.stringify that writes RawDecimal values as bare JSON numbers with their exact digits. */
export function stringifyWithDecimals(value: unknown): string {
  const raws: string[] = [];
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawDecimal) {
      raws.push(v.text);
      return `\u0000raw${raws.length - 1}\u0000`;
    }
    return v;
  });
  return json.replace(/"\\u0000raw(\d+)\\u0000"/g, (_m, idx: string) => raws[Number(idx)] as string);
}
