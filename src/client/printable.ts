/**
 * Server-supplied text made safe to print on a terminal: ESC sequences (CSI, OSC, …) removed, every other control
 * character (C0, DEL, C1 — newlines included) and bidi override shown as `\xNN`/`\uNNNN`, so a server cannot forge
 * lines or hide the CLI's own (docs/security.md).
 */
export function printable(s: string): string {
  return s
    .replace(/\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[PX^_][^\u001b]*(?:\u001b\\)?|[ -/]*[0-~]?)/g, '')
    .replace(/\u009b[0-?]*[ -/]*[@-~]?/g, '')
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
      const n = c.charCodeAt(0);
      return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
    });
}

/** JSON text (from JSON.stringify) with the characters JSON leaves raw but a terminal interprets (DEL, C1, bidi) escaped as \uNNNN; still the same JSON. */
export function printableJson(json: string): string {
  return json.replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
