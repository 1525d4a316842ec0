import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findFirestoreEmulator, findJava, MissingToolError, stackCacheDir } from '@zhengrowth/devstack';
import { describe, expect, it } from 'vitest';

describe('finding what the emulators need', () => {
  it('finds a Java 21+ even when the java on PATH is older', () => {
    const java = findJava();
    expect(java.major).toBeGreaterThanOrEqual(21);
    const out = spawnSync(path.join(java.bin, 'java'), ['-version'], { encoding: 'utf8' });
    expect(`${out.stdout}${out.stderr}`).toMatch(new RegExp(`version "${java.major}`));
  });

  it('says what to install when no Java is new enough', () => {
    expect(() => findJava(99)).toThrow(MissingToolError);
    expect(() => findJava(99)).toThrow(/Java 99 or newer.*Install one/s);
  });

  it('wraps the Cloud SDK emulator jar in a launcher jar that java -jar can start', () => {
    const java = findJava();
    const found = findFirestoreEmulator(java, stackCacheDir());
    expect(found).not.toBeNull();
    expect(fs.existsSync(found!.path)).toBe(true);
    const res = spawnSync(path.join(java.bin, 'java'), ['-jar', found!.path, '--help'], { encoding: 'utf8', timeout: 60_000 });
    // The emulator's own usage text proves the Main-Class and Class-Path resolve.
    expect(`${res.stdout}${res.stderr}`).toMatch(/--port|--host|Usage/i);
  });
});
