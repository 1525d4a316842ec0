// Preloaded into firebase-tools (NODE_OPTIONS --require) by the devstack. Since Node 19 the global
// HTTP agent keeps connections alive; the functions emulator proxies each request to a worker over
// such a connection, and a worker's server closes idle ones after 5 s. A request that reuses a
// connection the worker is closing fails with EPIPE or ECONNRESET, the emulator answers 500 and
// kills the worker. One connection per request avoids the race.
'use strict';
const http = require('node:http');
http.globalAgent = new http.Agent({ keepAlive: false });
