/**
 * firestore.rules read as text, against the model and the SQL policies: every collection of the
 * model has its match block, server-only collections deny everything, every match names the seed
 * policies it implements (and those exist), the generated document shapes are the model's, and
 * every block that lets a client write checks the document's shape.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ALL_COLLECTIONS,
  handWrittenRules,
  leadForms,
  leadSchema,
  regenerateRuleShapes,
  shapeCollectionsFor,
  shapeFunctionName,
  leads,
  writeFunctionName,
} from '@zhengrowth/model';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const rules = fs.readFileSync(path.join(root, 'firestore.rules'), 'utf8');
const rlsSql = fs.readFileSync(path.join(root, 'migration', 'supabase', 'migrations', '20250101000200_rls.sql'), 'utf8');
const sqlPolicies = new Set([...rlsSql.matchAll(/^CREATE POLICY (\w+) ON/gm)].map((m) => m[1] as string));

interface MatchBlock {
  /** The path as written, e.g. `/users/{uid}/goals/{goalId}`. */
  path: string;
  /** The same with every wildcard written `{}`: what a model template is compared with. */
  pattern: string;
  body: string;
  comment: string;
}

/** The match blocks under /databases/{database}/documents (the rules nest no further). */
function matchBlocks(text: string): MatchBlock[] {
  const lines = text.split('\n');
  const blocks: MatchBlock[] = [];
  lines.forEach((line, i) => {
    const m = /^\s*match (\/\S+) \{\s*$/.exec(line);
    if (!m || m[1] === '/databases/{database}/documents') return;
    let depth = 0;
    const body: string[] = [];
    for (let j = i; j < lines.length; j++) {
      const l = lines[j] ?? '';
      depth += (l.match(/\{/g) ?? []).length - (l.match(/\}/g) ?? []).length;
      if (j > i) body.push(l);
      if (depth <= 0) break;
    }
    const comment: string[] = [];
    for (let j = i - 1; j >= 0 && /^\s*\/\//.test(lines[j] ?? ''); j--) comment.unshift((lines[j] ?? '').replace(/^\s*\/\/\s?/, ''));
    const p = m[1] as string;
    blocks.push({ path: p, pattern: p.replace(/\{[^}]+\}/g, '{}'), body: body.slice(0, -1).join('\n'), comment: comment.join(' ') });
  });
  return blocks;
}

const blocks = matchBlocks(rules);
const templatePattern = (template: string): string => `/${template}`.replace(/\{[^}]+\}/g, '{}');

describe('firestore.rules', () => {
  it('has the helpers the policies are written with', () => {
    for (const f of ['isSignedIn()', 'hasRole(r)', 'isOwner(uid)', 'isStaff()', 'isAdmin()']) expect(rules).toContain(`function ${f}`);
    // Only a list claim counts (a map claim `{admin: false}` would pass `'admin' in`).
    expect(rules).toMatch(
      /function hasRole\(r\) \{\s*return isSignedIn\(\) && request\.auth\.token\.get\('roles', \[\]\) is list && r in request\.auth\.token\.get\('roles', \[\]\);/,
    );
    // An anonymous sign-in is no member: every member-only rule goes through isSignedIn().
    expect(rules).toMatch(/function isSignedIn\(\) \{\s*return request\.auth != null && request\.auth\.token\.firebase\.sign_in_provider != 'anonymous';/);
    expect(handWrittenRules(rules).match(/request\.auth != null/g)).toHaveLength(1);
  });

  it('denies by default: the last block closes every path', () => {
    const last = blocks[blocks.length - 1];
    expect(last?.path).toBe('/{document=**}');
    expect(last?.body.trim()).toBe('allow read, write: if false;');
  });

  it('has a match block for every collection of the model (ALL_COLLECTIONS)', () => {
    const patterns = new Set(blocks.map((b) => b.pattern));
    const missing = ALL_COLLECTIONS.filter((c) => !patterns.has(templatePattern(c.template))).map((c) => c.template);
    expect(missing).toEqual([]);
    // …and no block for a collection the model does not have (a typo would leave the real one closed
    // and this one open): only collection-group blocks and the catch-all are not model templates.
    const known = new Set(ALL_COLLECTIONS.map((c) => templatePattern(c.template)));
    const strays = blocks.filter((b) => !known.has(b.pattern) && !b.path.startsWith('/{path=**}/') && b.path !== '/{document=**}').map((b) => b.path);
    expect(strays).toEqual([]);
    const groups = blocks.filter((b) => b.path.startsWith('/{path=**}/')).map((b) => b.path.split('/')[2]);
    expect(groups.filter((g) => !ALL_COLLECTIONS.some((c) => c.groupId === g))).toEqual([]);
  });

  it('closes the server-only collections completely', () => {
    const serverOnly = ALL_COLLECTIONS.filter((c) => c.access === 'server-only');
    expect(serverOnly.map((c) => c.collection).sort()).toEqual(
      [
        'ai_logs',
        'anonymous_push_subscriptions',
        'email_logs',
        'email_queue',
        'migration_checkpoints',
        'migration_files',
        'migration_leases',
        'migration_rejects',
        'migration_runs',
        'migration_syncs',
        'payments',
        'social_account_tokens',
        'social_analytics',
        'deliveries',
        'rate_limits',
        'domain_events',
        'oauth_states',
        'social_publish_jobs',
        'email_suppressions',
        'push_deliveries',
        'audit_log',
        'account_deletions',
        'receipt_archive',
        'unique_keys',
        'backup_runs',
        'referral_codes',
        'lead_routing',
        'lead_forms',
        'email_consents',
        'blog_views',
        'blog_view_shards',
        'funnel_enrolments',
      ].sort(),
    );
    const open = serverOnly.filter((c) => {
      const b = blocks.find((x) => x.pattern === templatePattern(c.template));
      return b?.body.trim() !== 'allow read, write: if false;';
    });
    expect(open.map((c) => c.template)).toEqual([]);
  });

  it('names, beside each match, the seed policies it implements, and they exist in the SQL', () => {
    const unexplained: string[] = [];
    const unknown: string[] = [];
    const named = new Set<string>();
    for (const b of blocks) {
      const names = [...b.comment.matchAll(/\b([a-z0-9]+(?:_[a-z0-9]+)*_(?:select|insert|update|delete|all)(?:_[a-z0-9]+)*)\b/g)].map((m) => m[1] as string);
      for (const n of names) (sqlPolicies.has(n) ? named : new Set<string>()).add(n);
      unknown.push(...names.filter((n) => !sqlPolicies.has(n)).map((n) => `${b.path}: ${n}`));
      const says = names.length > 0 || /no policy in SQL|New in Firebase|Deny by default|no SQL policy reaches/.test(b.comment);
      if (!says) unexplained.push(b.path);
    }
    expect(unexplained).toEqual([]);
    expect(unknown).toEqual([]);
    // Every RLS policy is accounted for by some match block.
    expect([...sqlPolicies].filter((p) => !named.has(p))).toEqual([]);
  });

  it('holds the document shapes generated from the current model (npm run rules:shapes)', () => {
    expect(regenerateRuleShapes(rules, ALL_COLLECTIONS)).toBe(rules);
  });

  it('checks the document shape and the written fields wherever a client may create or update', () => {
    const byPattern = new Map(ALL_COLLECTIONS.map((c) => [templatePattern(c.template), c]));
    const wrong: string[] = [];
    for (const b of blocks) {
      for (const m of b.body.matchAll(/allow ([^:]*): if ([\s\S]*?);\n/g)) {
        const ops = m[1] as string;
        const condition = m[2] as string;
        if (!/\b(create|update|write)\b/.test(ops) || condition.trim() === 'false') continue;
        const c = byPattern.get(b.pattern);
        if (!c) {
          wrong.push(`${b.path}: a client write on no model collection`);
          continue;
        }
        // The collection's own checks, before any hand-written condition reads a field of the document.
        const own = `${shapeFunctionName(c)}(incoming()) && ${writeFunctionName(c)}(incoming(), writtenKeys())`;
        if (!condition.includes(own)) wrong.push(`${b.path} (${ops}): does not check ${own}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets clients write only collections whose model declares a client-write schema, and those only', () => {
    const written = new Set(shapeCollectionsFor(rules, ALL_COLLECTIONS).map((c) => c.template));
    const declared = ALL_COLLECTIONS.filter((c) => c.clientWrite).map((c) => c.template);
    expect(declared.filter((t) => !written.has(t))).toEqual([]);
    expect([...written].filter((t) => !declared.includes(t))).toEqual([]);
  });

  it('takes no client create of a lead: forms go through submitLead, staff entries through addLead, analytics events through track', () => {
    const keysOf = (fn: string): string[] => {
      const m = new RegExp(`function ${fn}\\(d\\) \\{[\\s\\S]*?d\\.keys\\(\\)\\.hasOnly\\(\\[([^\\]]*)\\]\\)`).exec(rules);
      if (!m) throw new Error(`no ${fn} in firestore.rules`);
      return (m[1] ?? '')
        .split(',')
        .map((s) => s.trim().replace(/^'|'$/g, ''))
        .filter(Boolean);
    };
    expect(rules).not.toContain(`function ${shapeFunctionName(leadForms)}(`);
    expect(keysOf(shapeFunctionName(leads)).sort()).toEqual(Object.keys(leadSchema.shape).sort());
    const formsBlock = blocks.find((b) => b.path === '/lead_forms/{formId}');
    const leadsBlock = blocks.find((b) => b.path === '/leads/{leadId}');
    const eventsBlock = blocks.find((b) => b.path === '/analytics_events/{eventId}');
    expect(formsBlock?.body.trim()).toBe('allow read, write: if false;');
    expect(leadsBlock?.body).toMatch(/allow create: if false;/);
    expect(eventsBlock?.body.trim()).toBe('allow read: if isAdmin();');
  });
});
