// The dashboard's input check (src/client/input-check.ts) against the API's own: for every model plugin (the zoo
// and the competition tasks), the input_schema the API serves, read back in the client, must accept exactly what
// the server accepts and name the same fields — on each plugin's example and on random mutations of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { inputJsonSchema } from '../../src/api/views.js';
import { inputSchemaFromMetadata, parseOrBadRequest } from '../../src/api/input-schema.js';
import { zooModelAdapter } from '../../src/api/zoo-models.js';
import { checkInputText, inputChecker } from '../../src/client/input-check.js';
import { allPlugins } from '../../src/models/plugins.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The server's verdict: the fields its 400 names, or [] when it accepts. */
function serverFields(schema: Parameters<typeof parseOrBadRequest>[0], value: unknown): string[] {
  try {
    parseOrBadRequest(schema, value, 'input');
    return [];
  } catch (e) {
    const details = (e as { details?: { issues?: Array<{ field: string }> } }).details;
    return (details?.issues ?? []).map((i) => i.field);
  }
}

/** Every path into a JSON value (containers and leaves). */
function paths(v: Json, at: Array<string | number> = []): Array<Array<string | number>> {
  const here = [at];
  if (Array.isArray(v)) return here.concat(...v.map((x, i) => paths(x, [...at, i])));
  if (v && typeof v === 'object') return here.concat(...Object.entries(v).map(([k, x]) => paths(x, [...at, k])));
  return here;
}

type Mutation = { kind: 'set'; value: Json } | { kind: 'delete' } | { kind: 'extra'; key: string; value: Json };

function mutate(v: Json, path: Array<string | number>, m: Mutation): Json {
  const copy = structuredClone(v);
  if (path.length === 0) return m.kind === 'set' ? m.value : copy;
  const parent = path.slice(0, -1).reduce<Json>((o, k) => (o as Record<string, Json>)[k as string]!, copy) as Record<string, Json> | Json[];
  const last = path.at(-1)!;
  if (m.kind === 'set') (parent as Record<string, Json>)[last as string] = m.value;
  else if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last as string];
  } else {
    const target = (parent as Record<string, Json>)[last as string];
    if (target && typeof target === 'object' && !Array.isArray(target)) target[m.key] = m.value;
  }
  return copy;
}

const leaf = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-1, 0, 1e9, 'stETH', 'high', '2026-02-30', '2026-03-01', null, true), fc.string({ maxLength: 4 }));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), value: fc.oneof(leaf, fc.array(leaf, { maxLength: 3 }), fc.constant({})) }),
  fc.constant({ kind: 'delete' as const }),
  fc.record({ kind: fc.constant('extra' as const), key: fc.constantFrom('extra', 'x'), value: leaf }),
);

for (const plugin of allPlugins()) {
  test(`input check in the client = the API's for ${plugin.name} (example + random mutations)`, () => {
    const adapter = zooModelAdapter({ name: plugin.name, inputs: [{ name: 'input', signal: 'input', shape: plugin.inputShape, scaleBits: 12, rangeBits: 40 }] });
    assert.ok(adapter, plugin.name);
    // exactly what travels: the served JSON Schema through JSON
    const served = JSON.parse(JSON.stringify(inputJsonSchema(adapter.schema))) as Record<string, unknown>;
    const check = inputChecker(served);
    const example = JSON.parse(JSON.stringify(adapter.example)) as Json;
    assert.deepEqual(check(example), [], 'the example passes');
    assert.deepEqual(serverFields(adapter.schema, example), []);
    const all = paths(example);
    const seed = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);
    fc.assert(
      fc.property(fc.nat({ max: all.length - 1 }), mutation, (i, m) => {
        const v = mutate(example, all[i]!, m);
        const client = check(v).map((x) => x.field);
        assert.deepEqual(client, serverFields(adapter.schema, v), `${JSON.stringify(all[i])} ${JSON.stringify(m)}`);
      }),
      { numRuns: 150, seed },
    );
  });
}

test('circuit tensors without a plugin: the client accepts a superset (the range refinement stays on the server)', () => {
  const schema = inputSchemaFromMetadata({ inputs: [{ name: 'x', signal: 'x', shape: [3], scaleBits: 12, rangeBits: 40 }] });
  const check = inputChecker(JSON.parse(JSON.stringify(inputJsonSchema(schema))) as Record<string, unknown>);
  assert.deepEqual(check({ x: [1, 2, 3] }), []);
  assert.deepEqual(check({ x: [1, 'two', 3] }).map((i) => i.field), ['input.x[1]']);
  assert.deepEqual(check({ x: [1, 2], y: 1 }).map((i) => i.field).sort(), ['input.x', 'input.y']);
  // 1e9 passes here (JSON Schema cannot carry the fixed-point range) and is refused by the server: the page shows that answer
  assert.deepEqual(check({ x: [1e9, 0, 0] }), []);
  assert.deepEqual(serverFields(schema, { x: [1e9, 0, 0] }), ['input.x[0]']);
  assert.deepEqual(checkInputText(check, '{"x": [1,').issues.map((i) => i.field), ['input']);
});
