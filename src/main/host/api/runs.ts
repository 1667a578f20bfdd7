import { WardenError } from '../../../shared/errors.js';
import type { Handlers, HostParts } from './methods.js';
import { toolContent } from '../tool-content.js';
import { buildTrace } from '../../trace/build.js';
import { withoutInternal } from '../../trace/annotations.js';
import { agentViews, runPage } from './views.js';

/** Agents and runs: the roster, pages of runs, a run's trajectory and trace and its tool results' bytes; starting, stopping, pausing. */
export function runHandlers({
  warden,
}: HostParts): Pick<
  Handlers,
  | 'roster.organisation'
  | 'roster.list'
  | 'runs.page'
  | 'run.trajectory'
  | 'run.trace'
  | 'tool.content'
  | 'task.start'
  | 'run.stop'
  | 'agent.pause'
  | 'agent.resume'
  | 'agents.pauseAll'
> {
  const { runtime, ledger } = warden;
  return {
    'roster.organisation': () => ({ name: warden.roster.config.organisation.name }),
    'roster.list': () => agentViews(warden),
    'runs.page': (params) => runPage(warden, params),
    'run.trajectory': ({ runId }) => ledger.reader.page({ runId, limit: 1000, order: 'asc' }).events,
    // Read by the run's id (an index), however long the ledger: a run's own events and its handoffs'.
    'run.trace': ({ runId, internal }) => {
      const trace = buildTrace(ledger.reader, runId);
      if (!trace) throw new WardenError('E_USAGE', `no run ${runId} in this ledger`);
      return internal ? trace : { ...trace, root: withoutInternal(trace.root) };
    },
    'tool.content': ({ seq, index }) => toolContent(ledger, seq, index),
    'task.start': async ({ agentId, input }) => ({ runId: await runtime.start(agentId, input) }),
    'run.stop': ({ runId }) => {
      runtime.stop(runId);
      return {};
    },
    'agent.pause': async ({ agentId, reason }, by) => {
      await runtime.pause(agentId, by, reason);
      return {};
    },
    'agent.resume': async ({ agentId }, by) => {
      await runtime.resume(agentId, by);
      return {};
    },
    'agents.pauseAll': async (_, by) => {
      await runtime.pauseAll(by);
      return {};
    },
  };
}
