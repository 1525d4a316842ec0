/**
 * The template language of email_templates: `{{name}}` (a value; `{{order.number}}` reads into an
 * object), `{{#name}}…{{/name}}` (shown when the value is truthy: not null, false, "", 0 or []),
 * `{{^name}}…{{/name}}` (shown when it is not). In HTML, values are escaped and their line breaks
 * become <br>; in the subject, line breaks become spaces (a header never takes a second line).
 *
 * A name the template uses that the item does not give (and the template declares no default for)
 * fails the whole render with that name: a customer never receives a blank where their name was.
 * `{{name}}` also refuses null; a section accepts null (that is what sections are for).
 */
import type { JsonValue } from '@zhengrowth/model';

export type Variables = { readonly [key: string]: JsonValue | undefined };
type Mode = 'html' | 'text' | 'subject';

export class MissingVariablesError extends Error {
  constructor(readonly names: string[]) {
    super(`missing template variable${names.length > 1 ? 's' : ''}: ${names.join(', ')}`);
    this.name = 'MissingVariablesError';
  }
}

export class TemplateSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

type Node = { kind: 'text'; text: string } | { kind: 'value'; name: string } | { kind: 'section'; name: string; inverted: boolean; body: Node[] };

const TAG = /\{\{\s*([#^/]?)\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}/g;

function parse(source: string): Node[] {
  const root: Node[] = [];
  const stack: Array<{ name: string; body: Node[] }> = [{ name: '', body: root }];
  let last = 0;
  for (const m of source.matchAll(TAG)) {
    const top = stack[stack.length - 1] as { name: string; body: Node[] };
    if (m.index > last) top.body.push({ kind: 'text', text: source.slice(last, m.index) });
    last = m.index + m[0].length;
    const [, sigil, name] = m as unknown as [string, string, string];
    if (sigil === '#' || sigil === '^') {
      const body: Node[] = [];
      top.body.push({ kind: 'section', name, inverted: sigil === '^', body });
      stack.push({ name, body });
    } else if (sigil === '/') {
      if (stack.length === 1 || top.name !== name) throw new TemplateSyntaxError(`{{/${name}}} closes no open section`);
      stack.pop();
    } else {
      top.body.push({ kind: 'value', name });
    }
  }
  if (stack.length > 1) throw new TemplateSyntaxError(`section {{#${stack[stack.length - 1]?.name ?? ''}}} is not closed`);
  if (last < source.length) root.push({ kind: 'text', text: source.slice(last) });
  return root;
}

function lookup(vars: Variables, name: string): JsonValue | undefined {
  let cur: JsonValue | undefined = vars as JsonValue;
  for (const part of name.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

const truthy = (v: JsonValue | undefined): boolean =>
  !(v === null || v === undefined || v === false || v === '' || v === 0 || (Array.isArray(v) && v.length === 0));

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function show(v: JsonValue, mode: Mode): string {
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (mode === 'html') return escapeHtml(s).replace(/\r?\n/g, '<br>\n');
  if (mode === 'subject') return s.replace(/[\r\n]+/g, ' ');
  return s;
}

function emit(nodes: Node[], vars: Variables, mode: Mode, missing: Set<string>): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'value') {
      const v = lookup(vars, n.name);
      if (v === undefined || v === null) missing.add(n.name);
      else out += show(v, mode);
    } else {
      const v = lookup(vars, n.name);
      if (v === undefined) missing.add(n.name);
      if (truthy(v) !== n.inverted) out += emit(n.body, vars, mode, missing);
    }
  }
  return out;
}

/** The names a template uses (values and sections), in order of first use. */
export function variablesOf(source: string): string[] {
  const names: string[] = [];
  const walk = (nodes: Node[]): void => {
    for (const n of nodes) {
      if (n.kind === 'text') continue;
      if (!names.includes(n.name)) names.push(n.name);
      if (n.kind === 'section') walk(n.body);
    }
  };
  walk(parse(source));
  return names;
}

export interface RenderInput {
  subject: string;
  html: string;
  /** null: the text part is made from the HTML. */
  text: string | null;
}

export interface Rendered {
  subject: string;
  html: string;
  text: string;
}

/** Plain text from HTML, for templates without a text part: tags dropped, breaks kept, entities decoded. */
export function textFromHtml(html: string): string {
  return html
    .replace(/<(style|script|head)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|tr|table)>/gi, '\n\n')
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_m, href: string, label: string) => (label.trim() === href ? href : `${label} (${href})`))
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Fills subject, HTML and text; throws MissingVariablesError naming every missing variable. */
export function render(template: RenderInput, vars: Variables): Rendered {
  const missing = new Set<string>();
  const subject = emit(parse(template.subject), vars, 'subject', missing).trim();
  const html = emit(parse(template.html), vars, 'html', missing);
  const text = template.text === null ? textFromHtml(html) : emit(parse(template.text), vars, 'text', missing);
  if (missing.size > 0) throw new MissingVariablesError([...missing]);
  return { subject, html, text };
}
