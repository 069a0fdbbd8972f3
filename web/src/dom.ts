/** Create an element with attributes and children (text children are escaped: never innerHTML). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string | number | undefined>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) if (c !== undefined) el.append(typeof c === 'number' ? String(c) : c);
  return el;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from the page`);
  return el as T;
}

export const fmt = (x: number | undefined, digits = 3): string => (x === undefined || Number.isNaN(x) ? '–' : Number(x.toPrecision(digits)).toString());
export const short = (s: string, n = 10): string => (s.length > n + 1 ? `${s.slice(0, n)}…` : s);
