import fs from 'node:fs';
import { startPostgres } from '@zhengrowth/devstack';
const pg = await startPostgres({ useEnv: false });
fs.writeFileSync('/tmp/zgdev/url', pg.url);
console.log(pg.url);
process.on('SIGTERM', () => { void pg.stop().then(() => process.exit(0)); });
setInterval(() => {}, 1 << 30);
