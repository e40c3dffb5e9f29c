// kernel.test.mjs — the page's process kernel (www/kernel.js) on its own,
// in Node worker threads standing in for engine instances: pipes (order,
// blocking, end of file, EPIPE), semaphores (blocking, timeouts, too many
// releases; freed by the program that made them), what the table holds,
// and a spawn that claims a warm child, hands it its pipes, and
// whose exit code the parent reaps; every error reply in one shape.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { createKernel, allocProcess, processEnded, runEnded, KernelClient, FD_BASE, childSupply, takeKills, kernelUsage } from '../../www/kernel.js';
import { BLOCKING_OPS } from '../../www/protocol.js';

const client = (k, slot) => new KernelClient(k.buffer, slot, 2, () => {});

/** Runs `body(k, slot, args)` in a worker thread, as another engine instance would. */
function inWorker(k, slot, body, args = {}) {
  const source = `
    const { workerData, parentPort } = require('node:worker_threads');
    import(${JSON.stringify(new URL('../../www/kernel.js', import.meta.url).href)}).then(({ KernelClient }) => {
      const kc = new KernelClient(workerData.kernel, workerData.slot, 2, () => {});
      const body = ${body.toString()};
      parentPort.postMessage(body(kc, workerData.args));
    });`;
  return new Promise((resolve, reject) => {
    const w = new Worker(source, { eval: true, workerData: { kernel: k.buffer, slot, args } });
    w.once('message', (m) => {
      resolve(m);
      w.terminate();
    });
    w.once('error', reject);
  });
}

test('a pipe carries bytes in order, blocks the reader, and ends when the writers close', async () => {
  const k = createKernel(2);
  const slot = allocProcess(k, { root: true });
  const me = client(k, slot);
  const { r, w } = me.call({ op: 'pipe' });
  assert.ok(r >= FD_BASE && w >= FD_BASE && r !== w);
  // A reader in another thread of the process blocks until the bytes come.
  const reading = inWorker(k, slot, (kc, { r }) => {
    const chunks = [];
    for (;;) {
      const { bytes } = kc.read(r, 50000);
      if (bytes.length === 0) return chunks.reduce((n, c) => n + c.length, 0) + ':' + chunks.map((c) => c[0]).join(',');
      chunks.push(bytes);
    }
  }, { r });
  const big = new Uint8Array(100000).fill(7);
  big[0] = 1;
  assert.deepEqual(me.write(w, big), { n: 100000 }); // more than the pipe holds: waits for the reader
  assert.equal(me.close(w), 0);
  const got = await reading;
  assert.equal(Number(got.split(':')[0]), 100000);
  assert.equal(got.split(':')[1].split(',')[0], '1');
  // The read end is left: a write to a pipe without readers fails (EPIPE).
  const { r: r2, w: w2 } = me.call({ op: 'pipe' });
  me.close(r2);
  assert.deepEqual(me.write(w2, new Uint8Array(3)), { errno: 64 });
  assert.equal(me.readiness(r, false).hangup, true);
});

test('semaphores block, time out, and refuse too many releases', async () => {
  const k = createKernel(2);
  const slot = allocProcess(k, { root: true });
  const me = client(k, slot);
  const { handle } = me.call({ op: 'sem_open', value: 1, max: 1 });
  assert.deepEqual(me.call({ op: 'sem_acquire', handle, timeout: null }), { ok: true });
  const t0 = performance.now();
  assert.deepEqual(me.call({ op: 'sem_acquire', handle, timeout: 0.05 }), { ok: false });
  assert.ok(performance.now() - t0 >= 45);
  const waiter = inWorker(k, slot, (kc, { handle }) => kc.call({ op: 'sem_acquire', handle, timeout: 10 }).ok, { handle });
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(me.call({ op: 'sem_release', handle }), {});
  assert.equal(await waiter, true);
  me.call({ op: 'sem_release', handle });
  assert.equal(me.call({ op: 'sem_release', handle }).kind, 'value');
  assert.deepEqual(me.call({ op: 'sem_value', handle }), { value: 1 });
});

test('the kernel counts what is held; a program frees its semaphores, a process end its pipes', () => {
  const k = createKernel(2);
  const empty = { pipes: 0, semaphores: 0, processes: { starting: 0, warm: 0, running: 0, exited: 0 } };
  assert.deepEqual(kernelUsage(k), empty);
  const slot = allocProcess(k, { root: true });
  const me = client(k, slot);
  me.call({ op: 'pipe' });
  const { handle: a } = me.call({ op: 'sem_open', value: 1, max: 1 });
  const { handle: b } = me.call({ op: 'sem_open', value: 0, max: 5 });
  assert.deepEqual(kernelUsage(k), { pipes: 1, semaphores: 2, processes: { ...empty.processes, running: 1 } });
  // Another run's semaphore is not this program's to free.
  const other = client(k, allocProcess(k, { root: true }));
  const { handle: c } = other.call({ op: 'sem_open', value: 1, max: 1 });
  assert.deepEqual(me.call({ op: 'sem_free', handles: [a, b, c, -1, 99999] }), {});
  assert.equal(kernelUsage(k).semaphores, 1);
  // A handle freed is handed out again.
  assert.ok([a, b].includes(me.call({ op: 'sem_open', value: 1, max: 1 }).handle));
  processEnded(k, slot, 0);
  runEnded(k, slot);
  assert.deepEqual(kernelUsage(k), { pipes: 0, semaphores: 1, processes: { ...empty.processes, running: 1 } });
  assert.equal(other.call({ op: 'sem_value', handle: c }).value, 1);
});

test('spawn claims a warm child, hands it its pipes, and the parent reaps its exit code', async () => {
  const k = createKernel(2);
  const parentSlot = allocProcess(k, { root: true });
  const parent = client(k, parentSlot);
  const childSlot = allocProcess(k, { root: false });
  assert.deepEqual(childSupply(k), { spare: 1, waiting: 0, wantWarm: 0 });
  // The child engine waits to be claimed, then reads what the parent sends.
  const child = inWorker(k, childSlot, (kc) => {
    const claim = kc.call({ op: 'assignment' });
    const { bytes } = kc.read(claim.pipe, 100);
    return { claim, text: new TextDecoder().decode(bytes), me: kc.call({ op: 'self' }) };
  });
  const { r, w } = parent.call({ op: 'pipe' });
  const { pid } = parent.call({ op: 'spawn', fds: [r], pipe: r });
  parent.close(r);
  parent.write(w, new TextEncoder().encode('hello'));
  const seen = await child;
  assert.equal(seen.text, 'hello');
  assert.equal(seen.claim.pipe, r);
  assert.equal(seen.me.pid, pid);
  assert.equal(seen.me.ppid, parent.call({ op: 'self' }).pid);
  assert.deepEqual(parent.call({ op: 'wait', pid, timeout: 0 }), { exitcode: null });
  // A kill is a request to the page, which ends the child.
  parent.call({ op: 'kill', pid, signal: 15 });
  assert.deepEqual(takeKills(k), [[childSlot, 15]]);
  processEnded(k, childSlot, -15);
  assert.deepEqual(parent.call({ op: 'wait', pid, timeout: null }), { exitcode: -15 });
  // Reaped: the slot is free again, and the pid is no longer a child.
  assert.equal(parent.call({ op: 'wait', pid, timeout: 0 }).errno_name, 'ECHILD');
});

test('without a kernel (no isolation) processes say they need the full playground', () => {
  const alone = new KernelClient(null, 0, 4, () => {});
  assert.deepEqual(alone.call({ op: 'self' }), { pid: 1, ppid: 0, cpus: 4, first_pipe_fd: FD_BASE, blocking_ops: BLOCKING_OPS });
  const reply = alone.call({ op: 'pipe' });
  assert.equal(reply.kind, 'unavailable');
  assert.match(reply.error, /processes need the full playground/);
});

test("an ended process's instance, still running in a slot given to the next process, takes nothing of it", async () => {
  const k = createKernel(2);
  const owner = allocProcess(k, { root: true });
  const sem = client(k, owner).call({ op: 'sem_open', value: 1, max: 1 }).handle;
  const slot = allocProcess(k, { root: true });
  const endedPid = client(k, slot).pid;
  // The page ends the process; its slot goes to the next one at once.
  processEnded(k, slot, -15);
  runEnded(k, slot);
  assert.equal(allocProcess(k, { root: true }), slot);
  const next = client(k, slot);
  const { r, w } = next.call({ op: 'pipe' });
  assert.deepEqual(next.write(w, new Uint8Array([1, 2, 3])), { n: 3 });
  // Instances of the ended process (as a terminated worker that runs on)
  // try the semaphore, the slot's pipe and a new pipe: none of it returns.
  const source = `
    const { workerData, parentPort } = require('node:worker_threads');
    import(${JSON.stringify(new URL('../../www/kernel.js', import.meta.url).href)}).then(({ KernelClient }) => {
      const kc = new KernelClient(workerData.kernel, workerData.slot, 2, () => {});
      kc.pid = workerData.pid;
      parentPort.postMessage({ [workerData.what]: workerData.what === 'sem' ? kc.call({ op: 'sem_acquire', handle: workerData.sem, timeout: null })
        : workerData.what === 'read' ? kc.read(workerData.r, 10) : kc.call({ op: 'pipe' }) });
    });`;
  const returned = [];
  const workers = ['sem', 'read', 'pipe'].map((what) => {
    const worker = new Worker(source, { eval: true, workerData: { kernel: k.buffer, slot, pid: endedPid, what, sem, r } });
    worker.on('message', (m) => returned.push(m));
    return worker;
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  await Promise.all(workers.map((worker) => worker.terminate()));
  assert.deepEqual(returned, []);
  // Everything is still the next process's.
  assert.deepEqual(next.call({ op: 'sem_acquire', handle: sem, timeout: 0 }), { ok: true });
  assert.deepEqual([...next.read(r, 10).bytes], [1, 2, 3]);
  assert.equal(kernelUsage(k).pipes, 1);
});

test('every error reply has one shape: error, kind, and errno_name for an OSError', () => {
  const k = createKernel(2);
  const me = client(k, allocProcess(k, { root: true }));
  const { handle } = me.call({ op: 'sem_open', value: 1, max: 1 });
  const replies = {
    value: me.call({ op: 'sem_release', handle }),
    ECHILD: me.call({ op: 'wait', pid: 99999, timeout: 0 }),
    EBADF: me.call({ op: 'dup', fd: FD_BASE + 3 }),
    ENOSYS: me.call({ op: 'no_such_op' }),
    unavailable: new KernelClient(null, 0, 4, () => {}).call({ op: 'pipe' }),
  };
  for (const [what, reply] of Object.entries(replies)) {
    assert.deepEqual(Object.keys(reply).sort(), ['errno_name', 'error', 'kind'], what);
    assert.equal(typeof reply.error, 'string', what);
    if (reply.kind === 'os') assert.equal(reply.errno_name, what);
    else assert.deepEqual([reply.kind, reply.errno_name], [what, null]);
  }
});
