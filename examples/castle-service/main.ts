/**
 * Starts castle-service from the command line:
 *   npx tsx examples/castle-service/main.ts [--port 4001] [--state-endpoint /_entente/state]
 * Prints the URL it listens on; stops on Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { startCastleService } from './service.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4001' },
    host: { type: 'string', default: '127.0.0.1' },
    'state-endpoint': { type: 'string' },
  },
});

const service = await startCastleService({
  port: Number(values.port),
  host: values.host,
  ...(values['state-endpoint'] ? { stateEndpoint: values['state-endpoint'] } : {}),
});
process.stdout.write(`castle-service listening on ${service.url}\n`);
const stop = () => {
  service.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
