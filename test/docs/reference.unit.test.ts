/**
 * docs/functions.md and docs/configuration.md are generated from the code (`npm run docs:functions`):
 * they fail here when a function, a contract, a rate limit or a param changed without them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_COLLECTIONS } from '@zhengrowth/model';
import { CONFIGURATION_DOC, FUNCTIONS_DOC, loadFunctions, REPO, renderConfigurationDoc, renderFunctionsDoc } from '../../scripts/docs/functions-doc.js';

let loaded: Awaited<ReturnType<typeof loadFunctions>>;
beforeAll(async () => {
  loaded = await loadFunctions();
}, 60_000);

describe('the generated references', () => {
  it('docs/functions.md lists every deployed function as the code declares it (npm run docs:functions)', () => {
    const text = renderFunctionsDoc(loaded);
    for (const name of Object.keys(loaded.exports).filter((n) => (loaded.exports[n] as { __endpoint?: unknown } | undefined)?.__endpoint)) {
      expect(text).toContain(`| \`${name}\` |`);
    }
    expect(fs.readFileSync(FUNCTIONS_DOC, 'utf8')).toBe(text);
  });

  it('every Firestore trigger listens on a path template of the model', () => {
    const templates = new Set<string>(ALL_COLLECTIONS.map((c) => c.template));
    let triggers = 0;
    for (const [name, fn] of Object.entries(loaded.exports)) {
      const endpoint = (fn as { __endpoint?: { eventTrigger?: { eventFilterPathPatterns?: { document?: string } } } } | undefined)?.__endpoint;
      const document = endpoint?.eventTrigger?.eventFilterPathPatterns?.document;
      if (document === undefined) continue;
      triggers += 1;
      expect(templates.has(document), `${name} listens on ${document}`).toBe(true);
    }
    expect(triggers).toBeGreaterThanOrEqual(8);
  });

  it("checkout's return origins have no default: a deploy asks for them; only the demo project's emulators have a value", () => {
    const origins = loaded.params.find((p) => p.name === 'CHECKOUT_REDIRECT_ORIGINS');
    expect(origins).toBeDefined();
    expect(origins?.options?.default).toBeUndefined();
    const demoEnv = fs.readFileSync(path.join(REPO, 'functions', '.env.demo-zhengrowth'), 'utf8');
    expect(demoEnv).toMatch(/^CHECKOUT_REDIRECT_ORIGINS=https:\/\/zhengrowth\.com,/m);
  });

  it('docs/configuration.md lists every param and secret (npm run docs:functions)', () => {
    const text = renderConfigurationDoc(loaded);
    for (const p of loaded.params) expect(text).toContain(`| \`${p.name}\` |`);
    expect(fs.readFileSync(CONFIGURATION_DOC, 'utf8')).toBe(text);
  });
});
