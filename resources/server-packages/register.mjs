// Loaded by Warden into every MCP server it starts with the command `node` (as `node --import`):
// a server that imports the MCP SDK or zod, and has no copy of its own, gets Warden's. So the
// servers of a roster made by `warden init`, or of the demo copied anywhere, run without an
// `npm install` in the roster folder. A server with its own copy keeps using its own.
import * as nodeModule from 'node:module';

// A Node too old for module hooks (before 20.6, say a desktop app's PATH) lends nothing.
nodeModule.register?.('./hooks.mjs', import.meta.url);
