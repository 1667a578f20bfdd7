import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ContentPartSchema, type ContentPart } from '../../shared/content.js';
import { WardenError, type ErrorCode as WardenCode } from '../../shared/errors.js';
import type { JsonValue } from '../../shared/json.js';
import type { McpConfig } from '../../shared/roster.js';
import { expandText, expandVariables } from './expand.js';
import { RedactingLog } from './log.js';
import { describeExit, lendPackagesArgs, WatchedStdioTransport } from './stdio.js';

/** One server's entry in mcp.json. */
export type ServerConfig = McpConfig['mcpServers'][string];

/** A tool as a server describes it. */
export interface ToolInfo {
  name: string;
  description: string;
  inputSchema: JsonValue;
  outputSchema?: JsonValue;
}

/** What a tool call returned: MCP content (text, images, audio, resources and links to them), structured content when the tool has an output schema, and whether the tool reported an error. */
export interface ToolResult {
  content: ContentPart[];
  structuredContent?: JsonValue;
  isError: boolean;
}

/** A failure of a server, for the ledger: the runtime writes it as an event. */
export interface ServerFailure {
  server: string;
  phase: 'start' | 'call' | 'exit';
  code: WardenCode;
  message: string;
}

/**
 * What a connection asks about the tools a server lists, which are untrusted input (the
 * gateway's ToolVetting): told of every list, at start and after each change.
 */
export interface ToolScreen {
  /** Checks a server's tools as listed, recording what it finds; never rejects. */
  observe(server: string, tools: readonly ToolInfo[]): Promise<void>;
  /** Why a tool may not be called or shown to a model as its server describes it, or null. */
  refusal(server: string, tool: ToolInfo): string | null;
}

/** Where a connection puts what it cannot return: the server's stderr, its failures. */
export interface ConnectionEnv {
  /** Folder for `mcp-<server>.log`, the server's stderr. */
  logDir: string;
  /** Environment `${VAR}` in env and headers expands from. */
  env: NodeJS.ProcessEnv;
  /** The roster folder: a stdio server's cwd is relative to it, and it is the default cwd. */
  baseDir?: string;
  onFailure?: (failure: ServerFailure) => void;
  /**
   * A transport of the caller's own for a server, or undefined for the one mcp.json says:
   * tests and benchmarks run servers in-process this way (the SDK's in-memory linked pair).
   */
  transport?: (server: string) => Transport | undefined;
  /** Takes secrets out of what the server writes to its log (its stderr), a whole line at a time. */
  redact?: (text: string) => string;
  /** Checks each tool list a server sends. */
  screen?: ToolScreen;
  /** Largest message a server may send, bytes. */
  maxMessageBytes?: number;
  startTimeoutMs?: number;
}

/** The connection's state, as `warden mcp tools` and the console show it. */
export type ServerStatus = 'idle' | 'starting' | 'ready' | 'failed' | 'closed';

const DEFAULT_MAX_MESSAGE = 4 * 1024 * 1024;
const DEFAULT_START_TIMEOUT = 15_000;
/** Non-JSON-RPC lines a stdio server may write to stdout before it is cut off. */
const MAX_GARBAGE_LINES = 3;

/**
 * One MCP server: started on first use, kept warm, restarted on the next call after it dies.
 * Every way a server can misbehave (never answering, exiting mid-call, flooding, oversized or
 * garbled messages) ends the call with a coded error and a reported failure; nothing hangs.
 */
export class McpConnection {
  status: ServerStatus = 'idle';
  lastError: { code: WardenCode; message: string } | null = null;
  private client: Client | null = null;
  private starting: Promise<Client> | null = null;
  private tools: ToolInfo[] | null = null;
  private listing: Promise<ToolInfo[]> | null = null;
  /** Goes up when the server says its tools changed: a list asked for before then is not kept. */
  private listGeneration = 0;
  private stderrLog: RedactingLog | null = null;
  /** Why the transport is closing, when this side decided it. */
  private closeReason: { code: WardenCode; message: string } | null = null;

  constructor(
    readonly name: string,
    private readonly config: ServerConfig,
    private readonly env: ConnectionEnv,
  ) {}

  /** The server's tools (listed once per process start, and again after the server says they changed). */
  async listTools(): Promise<ToolInfo[]> {
    const client = await this.ensure();
    if (this.tools) return this.tools;
    this.listing ??= this.list(client).finally(() => (this.listing = null));
    return this.listing;
  }

  /** Why a tool of this server is refused (its definition is flagged and not accepted), or null; a server that will not list its tools refuses nothing here (its calls fail on their own). */
  async refusal(tool: string): Promise<string | null> {
    if (!this.env.screen) return null;
    const found = (await this.listTools().catch(() => [])).find((t) => t.name === tool);
    return found ? this.env.screen.refusal(this.name, found) : null;
  }

  private async list(client: Client): Promise<ToolInfo[]> {
    const generation = this.listGeneration;
    const listed = await this.guard(
      'call',
      client.listTools(undefined, { timeout: this.env.startTimeoutMs ?? DEFAULT_START_TIMEOUT }),
      'tools/list',
    );
    const tools = listed.tools.map((t) => ({
      name: t.name,
      description: t.description ?? '',
      inputSchema: t.inputSchema as JsonValue,
      ...(t.outputSchema ? { outputSchema: t.outputSchema as JsonValue } : {}),
    }));
    // Checked before anyone sees them: a flagged definition is on record before its first use.
    await this.env.screen?.observe(this.name, tools);
    if (this.client === client && generation === this.listGeneration) this.tools = tools;
    return tools;
  }

  /** Calls a tool; rejects with a coded WardenError on timeout, exit, protocol or schema failures. */
  async callTool(
    tool: string,
    args: Record<string, JsonValue>,
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<ToolResult> {
    const client = await this.ensure();
    // The SDK checks structured results against output schemas it has seen in tools/list.
    if (!this.tools) await this.listTools();
    const timeout = options.timeoutMs ?? 30_000;
    const result = await this.guard(
      'call',
      client.callTool({ name: tool, arguments: args }, undefined, { timeout, signal: options.signal }),
      `tools/call ${tool}`,
      timeout,
    );
    // Checked again, part by part, in Warden's own terms: what the gateway records and hands on.
    const content = z.array(ContentPartSchema).safeParse(result.content ?? []);
    if (!content.success) {
      const issue = content.error.issues[0]!;
      throw this.fail(
        'call',
        'E_MCP_PROTOCOL',
        `server ${this.name}: tools/call ${tool} returned content Warden cannot read: content.${issue.path.join('.')}: ${issue.message}`,
      );
    }
    return {
      content: content.data,
      ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent as JsonValue } : {}),
      isError: result.isError === true,
    };
  }

  /** Stops the server process (or HTTP session). */
  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.tools = null;
    this.status = 'closed';
    this.closeReason = { code: 'E_MCP_CLOSED', message: `server ${this.name} was closed` };
    await client?.close().catch(() => undefined);
    const log = this.stderrLog;
    this.stderrLog = null;
    await log?.close();
  }

  private ensure(): Promise<Client> {
    if (this.client && this.status === 'ready') return Promise.resolve(this.client);
    this.starting ??= this.start().finally(() => (this.starting = null));
    return this.starting;
  }

  private async start(): Promise<Client> {
    this.status = 'starting';
    this.closeReason = null;
    this.tools = null;
    let transport: Transport;
    try {
      transport = this.transport();
    } catch (error) {
      throw this.fail('start', error instanceof WardenError ? error.code : 'E_MCP_START', (error as Error).message);
    }
    const client = new Client({ name: 'warden', version: '0.1.0' }, { capabilities: {} });
    // A changed tool list is checked when it changes, not when a tool is next called: the
    // definitions a model is shown and the calls the gateway allows follow the new list.
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      if (this.client !== client) return;
      this.tools = null;
      this.listing = null;
      this.listGeneration += 1;
      void this.listTools().catch(() => undefined);
    });
    let garbage = 0;
    transport.onerror = (error) => {
      // A line on stdout that is not JSON-RPC: a few are forgiven (a stray banner), more are
      // a server that does not speak the protocol, cut off before it wedges a call.
      if (
        /JSON|Unexpected token|invalid_union|ZodError|Invalid input/i.test(error.message) &&
        ++garbage > MAX_GARBAGE_LINES
      ) {
        this.closeReason = {
          code: 'E_MCP_PROTOCOL',
          message: `server ${this.name} writes things that are not JSON-RPC to stdout`,
        };
        void transport.close();
      }
      if (/exceeded maximum size/.test(error.message)) {
        this.closeReason = {
          code: 'E_MCP_TOO_LARGE',
          message: `server ${this.name} sent a message over ${Math.round((this.env.maxMessageBytes ?? DEFAULT_MAX_MESSAGE) / 1024 / 1024)} MB`,
        };
      }
    };
    transport.onclose = () => {
      if (this.client !== client) return;
      this.client = null;
      if (this.status === 'closed') return;
      this.status = 'failed';
      const exit = transport instanceof WatchedStdioTransport && transport.exit;
      const reason = this.closeReason ?? {
        code: 'E_MCP_CLOSED' as const,
        message: `server ${this.name} ${exit ? describeExit(exit) : 'exited'}; it restarts on the next call`,
      };
      this.lastError = reason;
      this.env.onFailure?.({ server: this.name, phase: 'exit', ...reason });
    };
    try {
      await client.connect(transport, { timeout: this.env.startTimeoutMs ?? DEFAULT_START_TIMEOUT });
    } catch (error) {
      const timedOut =
        error instanceof McpError && error.code === ErrorCode.RequestTimeout
          ? `it did not answer initialize within ${Math.round((this.env.startTimeoutMs ?? DEFAULT_START_TIMEOUT) / 1000)} s`
          : null;
      // Asked before closing: closing kills a process that is still running.
      const why = transport instanceof WatchedStdioTransport ? await transport.whyNotStarted(error, timedOut) : null;
      await client.close().catch(() => undefined);
      const message = why ?? timedOut ?? (error as Error).message;
      throw this.fail('start', 'E_MCP_START', `server ${this.name} did not start: ${message}`);
    }
    this.client = client;
    this.status = 'ready';
    this.lastError = null;
    return client;
  }

  private transport(): Transport {
    const own = this.env.transport?.(this.name);
    if (own) return own;
    const maxBufferSize = this.env.maxMessageBytes ?? DEFAULT_MAX_MESSAGE;
    if ('url' in this.config) {
      const url = new URL(expandText(this.name, 'url', this.config.url, this.env.env));
      const requestInit = { headers: expandVariables(this.name, 'headers', this.config.headers, this.env.env) };
      // `sse` is the transport MCP had before Streamable HTTP; servers that still speak only it are common.
      return this.config.type === 'sse'
        ? new SSEClientTransport(url, { requestInit })
        : new StreamableHTTPClientTransport(url, { requestInit });
    }
    // Its stderr goes to its log file in the data folder, redacted, never to the terminal.
    const logPath = join(this.env.logDir, `mcp-${this.name}.log`);
    this.stderrLog ??= new RedactingLog(logPath, this.env.redact);
    const env = expandVariables(this.name, 'env', this.config.env, this.env.env);
    const command = expandText(this.name, 'command', this.config.command, this.env.env);
    const node = command === 'node';
    const cwd = this.env.baseDir ? resolve(this.env.baseDir, this.config.cwd ?? '.') : this.config.cwd;
    const args = (this.config.args ?? []).map((arg, i) => expandText(this.name, `args[${i}]`, arg, this.env.env));
    const params = {
      // `node` means the Node that runs Warden, whatever PATH says.
      command: node && !process.versions.electron ? process.execPath : command,
      // ...and it may import the MCP SDK and zod without installing them: see lendPackagesArgs.
      args: [...(node ? lendPackagesArgs(cwd) : []), ...args],
      env: { ...(this.env.env.PATH ? { PATH: this.env.env.PATH } : {}), ...env },
      cwd,
      maxBufferSize,
    };
    return new WatchedStdioTransport(params, logPath, this.stderrLog);
  }

  /** Runs a request and turns every failure into a coded error. */
  private async guard<T>(phase: 'call', request: Promise<T>, what: string, timeoutMs?: number): Promise<T> {
    try {
      return await request;
    } catch (error) {
      if (this.closeReason && this.closeReason.code !== 'E_MCP_CLOSED')
        throw this.fail(phase, this.closeReason.code, this.closeReason.message);
      if (error instanceof McpError) {
        if (error.code === ErrorCode.RequestTimeout) {
          throw this.fail(
            phase,
            'E_MCP_TIMEOUT',
            `server ${this.name} did not answer ${what} within ${Math.round((timeoutMs ?? 0) / 1000)} s`,
          );
        }
        if (error.code === ErrorCode.ConnectionClosed) {
          throw this.fail(
            phase,
            'E_MCP_CLOSED',
            `server ${this.name} exited during ${what}; it restarts on the next call`,
          );
        }
        if (error.code === ErrorCode.MethodNotFound || /Tool .* not found|Unknown tool/i.test(error.message)) {
          throw new WardenError('E_MCP_UNKNOWN_TOOL', `server ${this.name}: ${error.message}`);
        }
        if (error.code === ErrorCode.InvalidParams && /output schema|structured content/i.test(error.message)) {
          throw this.fail(
            phase,
            'E_MCP_PROTOCOL',
            `server ${this.name}: ${what} broke the tool's output schema: ${error.message}`,
          );
        }
        throw new WardenError('E_MCP_TOOL', `server ${this.name}: ${what} failed: ${error.message}`);
      }
      if ((error as Error).name === 'AbortError')
        throw new WardenError('E_CANCELLED', `${what} on ${this.name} was cancelled`);
      throw this.fail(phase, 'E_MCP_PROTOCOL', `server ${this.name}: ${what} failed: ${(error as Error).message}`);
    }
  }

  private fail(phase: ServerFailure['phase'] | 'call', code: WardenCode, message: string): WardenError {
    this.lastError = { code, message };
    if (phase === 'start') this.status = 'failed';
    this.env.onFailure?.({ server: this.name, phase, code, message });
    return new WardenError(code, message);
  }
}
