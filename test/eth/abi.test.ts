import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderAbiModule } from '../../src/eth/gen-abi.js';
import { packageDir } from '../../src/eth/project.js';
import { compileSolidity } from '../../src/eth/solc.js';
import { SolidityCompileError } from '../../src/eth/errors.js';

test('src/eth/abi.ts matches the contracts (run `npm run eth:abi` after editing contracts/)', () => {
  assert.equal(readFileSync(join(packageDir(), 'src', 'eth', 'abi.ts'), 'utf8'), renderAbiModule());
});

test('solc errors surface as SolidityCompileError naming the problem', () => {
  assert.throws(
    () => compileSolidity({ sources: { 'Bad.sol': 'pragma solidity ^0.8.24; contract Bad { function f() public { undefinedThing(); } }' }, cacheDir: null }),
    (e: unknown) => e instanceof SolidityCompileError && /undefinedThing/.test(e.message),
  );
});
