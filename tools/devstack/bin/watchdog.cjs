#!/usr/bin/env node
// Sidecar started by the devstack: when the parent process disappears (even by kill -9), stop the
// services it started and remove their scratch folders, so that nothing is left running.
// Plain CommonJS so that it needs no build step.
'use strict';
const fs = require('node:fs');

const parent = Number(process.argv[2]);
const { groups = [], pids = [], dirs = [] } = JSON.parse(process.argv[3] || '{}');

function exists(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function cleanup() {
  for (const g of groups) {
    try {
      process.kill(-g, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  for (const p of pids) {
    try {
      // SIGQUIT is PostgreSQL's immediate shutdown; other services treat it as a kill.
      process.kill(p, 'SIGQUIT');
    } catch {
      /* gone */
    }
  }
  setTimeout(() => {
    for (const p of pids) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    process.exit(0);
  }, 1500);
}

const timer = setInterval(() => {
  if (!exists(parent)) {
    clearInterval(timer);
    cleanup();
    return;
  }
  const anything = groups.some((g) => exists(-g)) || pids.some(exists);
  if (!anything) {
    clearInterval(timer);
    process.exit(0);
  }
}, 500);
