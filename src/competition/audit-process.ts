/**
 * Audits a downloaded submission (audit.ts) in a child process with a time limit (docs/competitions.md, "Auditing a
 * submission"). The submitted model is untrusted: recompiling it can take far longer, or far more memory, than its
 * size suggests (a 312-byte ONNX whose Expand feeds 80,000 values to one full ReduceSum quantizes in 65 s), and on the
 * validator's own thread that would stop its axon, API and weight setting. In a process of its own the audit ends
 * with a verdict, at `timeoutS` (the process is killed), or with the process's death (memory); the validator keeps
 * serving throughout, and whatever the audit left open (snarkjs's `zkey verify` leaves files open) goes with it.
 */
import { forkModule } from '../zkml/prove/spawn-worker.js';
import type { AuditInput } from './audit.js';

/** Default time limit of one audit, seconds (the shipped tasks audit in seconds). */
export const DEFAULT_AUDIT_TIMEOUT_S = 300;

/**
 * Default memory cap of one audit process, MiB (docs/competitions.md "Auditing a submission"): 8 × the float64 size of
 * the compiler's total bound on a model's tensors (2^26 elements, 512 MiB); the shipped task's audit peaks near 165 MiB.
 */
export const DEFAULT_AUDIT_MEMORY_MIB = 4096;

/** Why the submission is not the circuit zkinfer compiles from its source (undefined when it is), from a child process. */
export function auditInChild(a: AuditInput, o: { timeoutS?: number; memoryMiB?: number; signal?: AbortSignal } = {}): Promise<string | undefined> {
  const timeoutS = o.timeoutS ?? DEFAULT_AUDIT_TIMEOUT_S;
  const memoryMiB = o.memoryMiB ?? DEFAULT_AUDIT_MEMORY_MIB;
  if (o.signal?.aborted) return Promise.reject(o.signal.reason);
  // the input goes over IPC (structured clone)
  const child = forkModule(import.meta.url, 'audit-child', { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }, { memoryMiB });
  return new Promise<string | undefined>((resolve, reject) => {
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      child.removeAllListeners();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      settle();
    };
    const timer = setTimeout(() => finish(() => resolve(`the audit did not finish within ${timeoutS} s on this validator `
      + '(recompiling the submitted model and checking its proving key); a submission that takes longer is not accepted')), timeoutS * 1000);
    const onAbort = (): void => finish(() => reject(o.signal!.reason));
    o.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('message', (m: { problem?: string | null; error?: string }) => finish(() => (m.error !== undefined ? reject(new Error(m.error)) : resolve(m.problem ?? undefined))));
    child.on('error', (e) => finish(() => reject(e)));
    child.on('exit', (code, signal) => finish(() => resolve(`the audit process ended without a verdict (${signal ?? `exit code ${code}`}): `
      + `recompiling the submitted model ran out of memory (the audit may use ${memoryMiB} MiB) or crashed on this validator`)));
    child.send(a);
  });
}
