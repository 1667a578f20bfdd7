// Stands in for an Electron utility process, which cannot start here: Node with
// `process.parentPort` (messages wrapped as `{ data }`) and no process.send, then the module
// named by the first argument, as utilityProcess.fork runs it.
import { pathToFileURL } from 'node:url';

const send = process.send!.bind(process);
const port = {
  postMessage(message: unknown): void {
    send(message);
  },
  on(event: 'message', listener: (event: { data: unknown; ports: unknown[] }) => void) {
    process.on(event, (data) => listener({ data, ports: [] }));
    return port;
  },
};
Object.defineProperty(process, 'parentPort', { value: port });
// A worker that still wrote to process.send would fail here, as it would in Electron.
process.send = undefined;
// A utility process ends with the app that started it.
process.on('disconnect', () => process.exit(0));
await import(pathToFileURL(process.argv[2]!).href);
