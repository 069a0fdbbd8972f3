import './style.css';
import { ZkinferClient, ApiRequestError, checkInputText, historySince, inputChecker, mergeHistory, type NetworkHistoryPoints, type CircuitView, type InferenceView, type InputIssue, type NetworkViewWire } from '../../src/client/index.js';
import { barChart, lineChart } from './charts.js';
import { byId, fmt, h, short } from './dom.js';

const apiKeyInput = byId<HTMLInputElement>('api-key');
apiKeyInput.value = sessionStorage.getItem('zkinfer-api-key') ?? '';
const client = (): ZkinferClient => new ZkinferClient({ url: location.origin, ...(apiKeyInput.value ? { apiKey: apiKeyInput.value } : {}) });

let circuits: CircuitView[] = [];
const circuitName = (id: string): string => circuits.find((c) => c.id === id)?.aliases.at(-1) ?? short(id);

// ---------------------------------------------------------------- network overview
/** The history kept between refreshes; each refresh after the first asks only for what changed (mergeHistory). */
let history: NetworkHistoryPoints = [];
/** The first load's history points, spread over the API's whole history: the charts are 420 px wide (docs/api.md). */
const FIRST_POINTS = 140;

async function refreshNetwork(): Promise<void> {
  const status = byId('network-status');
  let n: NetworkViewWire;
  try {
    const since = historySince(history);
    n = await client().network(since === undefined ? { points: FIRST_POINTS } : { since });
    history = mergeHistory(history, n.history, since);
    n.history = history;
  } catch (err) {
    status.textContent = err instanceof ApiRequestError && err.status === 503 ? 'This API has no view of the network (not started by a validator).' : `network unavailable: ${(err as Error).message}`;
    return;
  }
  status.textContent = `netuid ${n.netuid} · block ${n.block} · updated ${new Date().toLocaleTimeString()}`;
  const card = (label: string, value: string, id: string) => h('div', { class: 'card', id }, h('div', { class: 'value' }, value), h('div', { class: 'label' }, label));
  byId('cards').replaceChildren(
    card('miners', String(n.miners.length), 'card-miners'),
    card('verified proofs', String(n.verified), 'card-verified'),
    card('failed', String(n.failed), 'card-failed'),
    card('latency p50', `${fmt(n.latency_p50_ms)} ms`, 'card-p50'),
    card('latency p95', `${fmt(n.latency_p95_ms)} ms`, 'card-p95'),
  );
  const uids = n.miners.map((m) => String(m.uid));
  lineChart(
    byId('chart-incentive'),
    uids.map((uid) => ({ name: `uid ${uid}`, points: n.history.filter((p) => p.incentive[uid] !== undefined).map((p) => [p.at, p.incentive[uid]!] as [number, number]) })),
  );
  lineChart(byId('chart-proofs'), [
    { name: 'verified', points: n.history.map((p) => [p.at, p.verified] as [number, number]) },
    { name: 'failed', points: n.history.map((p) => [p.at, p.failed] as [number, number]) },
  ], { yLabel: (v) => String(Math.round(v)) });
  barChart(byId('chart-scores'), uids, [
    { name: 'score (normalised)', values: normalise(n.miners.map((m) => m.score)) },
    { name: 'weight', values: n.miners.map((m) => m.weight) },
    { name: 'incentive', values: n.miners.map((m) => m.incentive) },
  ]);
  byId('miners').querySelector('tbody')!.replaceChildren(
    ...n.miners.map((m) =>
      h('tr', {}, h('td', {}, m.uid), h('td', { title: m.hotkey }, short(m.hotkey, 12)), h('td', {}, fmt(m.score)), h('td', {}, fmt(m.weight)), h('td', {}, fmt(m.incentive)), h('td', {}, m.verified), h('td', {}, m.failed), h('td', {}, fmt(m.latency_p50_ms)), h('td', {}, fmt(m.latency_p95_ms))),
    ),
  );
}

function normalise(xs: number[]): number[] {
  const s = xs.reduce((a, b) => a + b, 0);
  return s > 0 ? xs.map((x) => x / s) : xs;
}

// ---------------------------------------------------------------- submit form
/** The selected model's input check (from its served input_schema); undefined when the schema is unreadable. */
let checkInput: ((value: unknown) => InputIssue[]) | undefined;
let submitting = false;

/** Check the input field against the model's schema: one message per offending field, submit only when valid. */
function validateInput(): boolean {
  const field = byId<HTMLTextAreaElement>('input');
  const issues = checkInput ? checkInputText(checkInput, field.value).issues : [];
  byId('input-issues').replaceChildren(...issues.map((i) => h('li', { 'data-field': i.field }, h('code', {}, i.field), ` ${i.message}`)));
  field.setAttribute('aria-invalid', String(issues.length > 0));
  byId<HTMLButtonElement>('submit-button').disabled = submitting || issues.length > 0;
  return issues.length === 0;
}

async function loadCircuits(): Promise<void> {
  circuits = await client().circuits();
  const select = byId<HTMLSelectElement>('circuit');
  select.replaceChildren(...circuits.map((c) => h('option', { value: c.aliases.at(-1) ?? c.id }, `${c.aliases.at(-1) ?? c.name} · ${c.constraints} constraints · ${c.security}`)));
  const show = (): void => {
    const c = circuits[select.selectedIndex];
    if (!c) return;
    byId('schema').textContent = JSON.stringify(c.input_schema, null, 2);
    byId<HTMLTextAreaElement>('input').value = JSON.stringify(c.example ?? {}, null, 2);
    try {
      checkInput = inputChecker(c.input_schema);
      byId('schema-note').textContent = '';
    } catch (err) {
      checkInput = undefined;
      byId('schema-note').textContent = `This page cannot read the model's input schema (${(err as Error).message}); the server checks the input on submit.`;
    }
    validateInput();
  };
  select.onchange = show;
  byId<HTMLTextAreaElement>('input').oninput = () => void validateInput();
  show();
}

/** `ownInput`: the input this page submitted — the only input a proof is checked against (docs/security.md). */
function showResult(target: HTMLElement, inf: InferenceView, ownInput?: unknown): Promise<void> {
  target.replaceChildren(
    h('p', {}, `status: `, h('strong', { class: `status-${inf.status}` }, inf.status), inf.miner_uid !== undefined ? ` · miner uid ${inf.miner_uid}` : '', inf.timings.total_ms !== undefined ? ` · ${inf.timings.total_ms} ms end-to-end` : ''),
    inf.error ? h('p', { class: 'error' }, inf.error) : '',
    inf.summary ? h('p', { class: 'summary' }, inf.summary) : '',
    inf.output ? h('pre', { class: 'output' }, JSON.stringify(inf.output, null, 2)) : '',
  );
  return inf.status === 'verified' ? verifyHere(target, inf, ownInput) : Promise.resolve();
}

/** Verify the proof in this browser and show each check. */
async function verifyHere(target: HTMLElement, inf: InferenceView, ownInput?: unknown): Promise<void> {
  const line = h('p', { class: 'verify pending', 'data-verified': 'pending' }, 'verifying the proof in your browser…');
  target.append(line);
  const t0 = performance.now();
  try {
    const v = await client().verify(inf, ownInput === undefined ? {} : { input: ownInput });
    const insecure = circuits.find((c) => c.id === inf.circuit_id)?.security === 'INSECURE-DEV';
    const ms = Math.round(performance.now() - t0);
    line.className = `verify ${v.valid ? 'ok' : 'bad'}`;
    line.setAttribute('data-verified', String(v.valid));
    line.textContent = v.valid ? `✓ proof verified in your browser (snarkjs, ${ms} ms)` : `✗ verification failed: ${v.problems.join('; ')}`;
    target.append(
      h('ul', { class: 'checks' },
        h('li', {}, `verification key hashes to circuit id: ${v.checks.vkMatchesCircuit ? 'yes' : 'NO'}`),
        h('li', {}, `Groth16 proof valid: ${v.checks.proof ? 'yes' : 'NO'}`),
        h('li', {}, `public inputs are your input: ${v.checks.inputsBound === undefined ? 'NOT CHECKED (not submitted from this page, or the model transforms its input)' : v.checks.inputsBound ? 'yes' : 'NO'}`),
        h('li', {}, `reported output is the proven output: ${v.checks.outputMatches ? 'yes' : 'NO'}`),
        h('li', {}, `circuit pinned: ${v.checks.circuitPinned === undefined ? 'no — the circuit and its key come from this server' : v.checks.circuitPinned ? 'yes' : 'NO'}`),
      ),
      insecure ? h('p', { class: 'error insecure-dev' }, 'INSECURE-DEV circuit: its keys come from a powers of tau with a KNOWN secret — anyone holding it can forge proofs; a valid proof here is no guarantee.') : '',
    );
  } catch (err) {
    line.className = 'verify bad';
    line.setAttribute('data-verified', 'false');
    line.textContent = `✗ could not verify: ${(err as Error).message}`;
  }
}

byId<HTMLFormElement>('submit-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  void (async () => {
    sessionStorage.setItem('zkinfer-api-key', apiKeyInput.value);
    const progress = byId('progress');
    const result = byId('submit-result');
    const button = byId<HTMLButtonElement>('submit-button');
    progress.replaceChildren();
    result.replaceChildren();
    if (!validateInput()) return;
    let input: unknown;
    try {
      input = JSON.parse(byId<HTMLTextAreaElement>('input').value);
    } catch (err) {
      result.replaceChildren(h('p', { class: 'error' }, `input is not valid JSON: ${(err as Error).message}`));
      return;
    }
    submitting = true;
    button.disabled = true;
    try {
      const c = client();
      const sub = await c.submit({ model: byId<HTMLSelectElement>('circuit').value, input });
      progress.append(h('li', {}, `submitted · id ${sub.id}`));
      result.setAttribute('data-id', sub.id);
      const inf = await c.wait(sub.id, { onProgress: (e) => progress.append(h('li', { class: `status-${e.status}` }, `${new Date(e.at).toLocaleTimeString()} · ${e.status}${e.miner_uid !== undefined ? ` · miner ${e.miner_uid}` : ''}`)) });
      await showResult(result, inf, input);
      void refreshInferences();
    } catch (err) {
      const e = err as Error & { field?: string };
      result.replaceChildren(h('p', { class: 'error' }, e.message, e instanceof ApiRequestError && e.hint ? h('br') : '', e instanceof ApiRequestError && e.hint ? e.hint : ''));
    } finally {
      submitting = false;
      validateInput();
    }
  })();
});

// ---------------------------------------------------------------- proof explorer
async function refreshInferences(): Promise<void> {
  let list: InferenceView[];
  try {
    list = await client().list(25);
  } catch {
    return;
  }
  byId('inferences').querySelector('tbody')!.replaceChildren(
    ...list.map((inf) => {
      const button = h('button', { type: 'button', class: 'verify-button' }, 'verify');
      button.disabled = inf.status !== 'verified';
      button.onclick = () => void explore(inf.id);
      return h('tr', { 'data-id': inf.id }, h('td', { title: inf.id }, short(inf.id, 8)), h('td', {}, circuitName(inf.circuit_id)), h('td', {}, inf.source), h('td', { class: `status-${inf.status}` }, inf.status), h('td', {}, inf.miner_uid ?? '–'), h('td', {}, inf.timings.total_ms ?? '–'), h('td', {}, button));
    }),
  );
}

async function explore(id: string): Promise<void> {
  const target = byId('explorer-detail');
  const inf = await client().get(id);
  target.replaceChildren(h('h3', {}, `inference ${id}`), h('pre', { class: 'output' }, JSON.stringify({ input: inf.input, public_signals: inf.public_signals }, null, 2)));
  const res = h('div', {});
  target.append(res);
  await showResult(res, inf);
}

// ---------------------------------------------------------------- competitions
interface BoardEntry { rank?: number; uid?: number; hotkey: string; circuit_id: string; status: string; reason?: string; metric?: number; verified: number; failed: number; proof_bytes?: number; prove_ms_median?: number; score: number }

async function refreshCompetitions(): Promise<void> {
  const res = await fetch(`${location.origin}/v1/competitions`);
  if (!res.ok) return;
  const { competitions } = (await res.json()) as { competitions: Array<{ name: string; description: string; metric: string; deadline_block: number; evaluated_block?: number }> };
  const boards = await Promise.all(competitions.map(async (c) => {
    // only evaluated boards: a 503 would be a console error for nothing
    const r = c.evaluated_block === undefined ? undefined : await fetch(`${location.origin}/v1/competitions/${encodeURIComponent(c.name)}/leaderboard`);
    const board = r?.ok ? ((await r.json()) as { block: number; items: number; entries: BoardEntry[] }) : undefined;
    const rows = (board?.entries ?? []).map((e) =>
      h('tr', { 'data-hotkey': e.hotkey }, h('td', {}, e.rank ?? '–'), h('td', {}, e.uid ?? '–'), h('td', { title: e.hotkey }, short(e.hotkey, 12)), h('td', { title: e.circuit_id }, short(e.circuit_id, 10)), h('td', { title: e.reason ?? '' }, e.status), h('td', {}, fmt(e.metric)), h('td', {}, `${e.verified}/${e.verified + e.failed}`), h('td', {}, e.proof_bytes ?? '–'), h('td', {}, e.prove_ms_median ?? '–'), h('td', {}, fmt(e.score))),
    );
    return h('div', { class: 'competition', 'data-task': c.name },
      h('h3', {}, c.name), h('p', { class: 'muted' }, `${c.description} · deadline block ${c.deadline_block} · ${board ? `evaluated at block ${board.block} on ${board.items} hidden items` : 'not evaluated yet'}`),
      h('table', {}, h('thead', {}, h('tr', {}, ...['rank', 'uid', 'hotkey', 'circuit', 'status', c.metric, 'verified', 'bytes', 'ms', 'score'].map((t) => h('th', {}, t)))), h('tbody', {}, ...rows)));
  }));
  if (boards.length) byId('competition-boards').replaceChildren(...boards);
}

// ---------------------------------------------------------------- start
void loadCircuits().catch((err: Error) => byId('submit-result').replaceChildren(h('p', { class: 'error' }, `cannot list circuits: ${err.message}`)));
void refreshNetwork();
void refreshInferences();
setInterval(() => void refreshNetwork(), 5000);
setInterval(() => void refreshInferences(), 5000);
void refreshCompetitions().catch(() => undefined);
setInterval(() => void refreshCompetitions().catch(() => undefined), 10000);
