import { emulatorHosts } from '@zhengrowth/devstack/testing';
import { describe, expect, it } from 'vitest';

describe('health callable, through the functions emulator', () => {
  it('answers a callable request and reaches Firestore', async () => {
    const { functions, projectId } = emulatorHosts();
    expect(functions, 'the functions emulator must be running').toBeDefined();
    const res = await fetch(`${functions}/${projectId}/us-central1/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: {} }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { ok: boolean; firestore: string; caller: unknown } };
    expect(body.result).toMatchObject({ ok: true, firestore: 'reachable', caller: null });
  });

  it('rejects unexpected input with invalid-argument naming the field', async () => {
    const { functions, projectId } = emulatorHosts();
    const res = await fetch(`${functions}/${projectId}/us-central1/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { verbose: 1 } }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { status: string; message: string } };
    expect(body.error.status).toBe('INVALID_ARGUMENT');
    expect(body.error.message).toMatch(/verbose/);
  });
});
