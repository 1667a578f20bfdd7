/**
 * The console API's method names, with no dependencies: the sandboxed preload builds its named
 * methods from this list and cannot load zod. `api.ts` checks that this list and its schemas agree.
 */
export const API_METHODS = [
  'roster.list',
  'roster.organisation',
  'ledger.page',
  'ledger.facets',
  'ledger.seqAt',
  'runs.page',
  'run.trajectory',
  'tool.content',
  'approvals.list',
  'approvals.decide',
  'task.start',
  'run.stop',
  'agent.pause',
  'agent.resume',
  'agents.pauseAll',
  'ledger.verify',
  'ledger.checkpoint',
  'ledger.proof',
  'evals.overview',
  'evals.cases',
  'evals.run',
  'kpis.report',
  'prompts.history',
  'prompts.set',
  'prompts.rollback',
  'providers.list',
  'providers.setKey',
  'providers.removeKey',
  'providers.test',
  'secrets.set',
  'secrets.remove',
  'tools.flagged',
  'tools.accept',
] as const;

/** The most a prompt may hold, characters: a system prompt, not a document. Here so the console can say so without zod. */
export const PROMPT_MAX_CHARS = 20_000;
