/**
 * Reading a secret from the terminal without echoing it (docs/chain.md, "Coldkey passwords").
 * Where no terminal is attached, the password comes from ZKINFER_COLDKEY_PASSWORD; without it the
 * command stops with a typed error that says so.
 */
import { InvalidInputError } from '../errors/base.js';

/** The environment variable every command reads the coldkey password from when it is set. */
export const PASSWORD_ENV = 'ZKINFER_COLDKEY_PASSWORD';

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = new Set(['\u007f', '\b']);

/** Ask for a secret on stderr and read it from the stdin terminal with echo off. */
export function readSecret(question: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<string> {
  if (!input.isTTY) {
    return Promise.reject(new InvalidInputError('a coldkey password is needed but stdin is not a terminal', {
      hint: `set ${PASSWORD_ENV}=… in the environment (or run the command in a terminal to be asked)`,
    }));
  }
  return new Promise((resolve, reject) => {
    let secret = '';
    const wasRaw = input.isRaw;
    const finish = (err?: Error): void => {
      input.off('data', onData);
      input.setRawMode(wasRaw);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(secret);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n' || ch === CTRL_D) return finish();
        if (ch === CTRL_C) return finish(new InvalidInputError('password entry cancelled', { hint: 'run the command again' }));
        if (BACKSPACE.has(ch)) secret = secret.slice(0, -1);
        else if (ch >= ' ') secret += ch;
      }
    };
    // Echo off before the question shows, so an answer typed at once is never echoed by the terminal.
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.resume();
    input.on('data', onData);
    output.write(question);
  });
}

/** The coldkey password to unlock a key: the env var, else asked once on the terminal. */
export async function coldkeyPassword(walletName: string): Promise<string> {
  return process.env[PASSWORD_ENV] ?? readSecret(`password for the coldkey of wallet "${walletName}": `);
}

/** A new coldkey password: the env var, else asked twice on the terminal (at least 6 characters). */
export async function newColdkeyPassword(): Promise<string> {
  const env = process.env[PASSWORD_ENV];
  if (env !== undefined) return env;
  const a = await readSecret('new coldkey password: ');
  const b = await readSecret('repeat password: ');
  if (a !== b) throw new InvalidInputError('passwords differ', { hint: 'type the same password twice' });
  if (a.length < 6) throw new InvalidInputError('password too short', { hint: 'use at least 6 characters' });
  return a;
}
