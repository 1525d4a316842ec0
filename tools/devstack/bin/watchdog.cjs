#!/usr/bin/env node
// Sidecar started by the devstack: when the parent process disappears (even by kill -9), stop the
// services it started and remove their scratch folders, so that nothing is left running.
// `watch` lists more processes whose end means the same (npm start: the npm process above the
// start script, which ends on SIGHUP or SIGKILL without telling its child): then the parent is
// stopped too (SIGTERM, then SIGKILL).
// firebase-tools starts each Java emulator in a process group of its own, so killing the
// firebase-tools group is not enough: every tick records the whole process tree under the
// tracked processes, and cleanup kills everything it has seen.
// Plain CommonJS so that it needs no build step.
'use strict';
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

const parent = Number(process.argv[2]);
const { groups = [], pids = [], dirs = [], watch = [] } = JSON.parse(process.argv[3] || '{}');
const seen = new Set();

function exists(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function recordTree() {
  let table;
  try {
    table = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' });
  } catch {
    return;
  }
  const children = new Map();
  for (const line of table.split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (!pid) continue;
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  const stack = [...groups];
  while (stack.length) {
    const p = stack.pop();
    for (const c of children.get(p) || []) {
      if (!seen.has(c)) {
        seen.add(c);
        stack.push(c);
      }
    }
  }
}

function kill(pid, sig) {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone */
  }
}

function cleanup() {
  // A parent that outlived a watched process must not stay behind either. (Only then: once the
  // parent is gone, its pid may belong to someone else.)
  const stopParent = watch.length > 0 && exists(parent);
  if (stopParent) kill(parent, 'SIGTERM');
  for (const g of groups) kill(-g, 'SIGKILL');
  for (const p of seen) kill(p, 'SIGKILL');
  // SIGQUIT is PostgreSQL's immediate shutdown.
  for (const p of pids) kill(p, 'SIGQUIT');
  setTimeout(() => {
    for (const p of pids) kill(p, 'SIGKILL');
    if (stopParent) kill(parent, 'SIGKILL');
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    process.exit(0);
  }, 1500);
}

recordTree();
const timer = setInterval(() => {
  if (!exists(parent) || watch.some((p) => !exists(p))) {
    clearInterval(timer);
    cleanup();
    return;
  }
  recordTree();
  const anything = groups.some((g) => exists(-g)) || pids.some(exists) || [...seen].some(exists);
  if (!anything) {
    clearInterval(timer);
    process.exit(0);
  }
}, 500);
