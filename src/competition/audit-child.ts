// The audit process's entry (audit-process.ts): receives one audit's input (audit.ts) as its first IPC message and
// answers with the verdict; its parent then ends it (and it ends itself when its parent goes away).
import { auditSubmission, type AuditInput } from './audit.js';

process.on('disconnect', () => process.exit(0));
// a Ctrl-C in the terminal reaches the whole process group: the validator stops the audit itself (it kills this process)
process.on('SIGINT', () => {});
process.once('message', (a: AuditInput) => {
  void auditSubmission(a).then(
    (problem) => process.send!({ problem: problem ?? null }),
    (e: Error) => process.send!({ error: e.message }),
  );
});
