import { z } from 'zod';

/**
 * Checking a model's input against the JSON Schema the API serves as `input_schema` (docs/dashboard.md), in
 * the browser or in Node, with the field paths the API's 400 answers name (`input.days[2].apr_pct`).
 * The served schema cannot carry refinements (e.g. a circuit's fixed-point range), so an input that passes
 * here can still be refused by the server: callers must show that answer too.
 */
export interface InputIssue {
  /** The offending field, e.g. `input.x[1]`. */
  field: string;
  message: string;
}

/** `['x', 0, 3]` → `input.x[0][3]`. */
export function fieldPath(root: string, path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : `${acc}.${String(p)}`), root);
}

/**
 * zod issues as field + message, an unknown key named as its own field (what the API reports); one issue per field,
 * the first (a served `format: date` and its `pattern` both fail on one bad date: the field is named once).
 */
export function issuesOf(error: z.ZodError, root: string, max = 10): InputIssue[] {
  const out = new Map<string, InputIssue>();
  for (const i of error.issues) {
    const keys = i.code === 'unrecognized_keys' ? (i as { keys?: string[] }).keys : undefined;
    const field = fieldPath(root, keys?.length ? [...i.path, keys[0]!] : i.path);
    if (!out.has(field)) out.set(field, { field, message: i.message });
    if (out.size === max) break;
  }
  return [...out.values()];
}

/**
 * A checker for one served input schema: returns the problems of a value (empty when it conforms).
 * Throws when the document is not a JSON Schema zod can read.
 */
export function inputChecker(inputSchema: Record<string, unknown>, root = 'input'): (value: unknown) => InputIssue[] {
  const schema = z.fromJSONSchema(inputSchema as Parameters<typeof z.fromJSONSchema>[0]);
  return (value) => {
    const r = schema.safeParse(value);
    return r.success ? [] : issuesOf(r.error, root);
  };
}

/** Check the text of a JSON input: a parse error is one issue on the root field. */
export function checkInputText(check: (value: unknown) => InputIssue[], text: string, root = 'input'): { value?: unknown; issues: InputIssue[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { issues: [{ field: root, message: `not valid JSON: ${(err as Error).message}` }] };
  }
  return { value, issues: check(value) };
}
