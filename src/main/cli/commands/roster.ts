import { UsageError } from '../../../shared/errors.js';
import { formatProblem, loadRoster } from '../../roster/load.js';
import { parse, str } from '../args.js';
import { EXIT, type CommandRun } from '../io.js';

const NAME = 'warden roster check';

/** `warden roster check R` (or `--roster R`): validate a roster folder against its schemas. */
export const rosterCheck: CommandRun = async (argv, io) => {
  const parsed = parse(NAME, argv, { roster: { type: 'string' }, json: { type: 'boolean' } }, 1);
  // The folder, as the other commands take it (--roster R) or on its own.
  const flag = str(parsed, 'roster', NAME);
  if (flag !== undefined && parsed.positionals.length > 0)
    throw new UsageError(`${NAME}: name the roster folder once, as R or as --roster R`);
  const dir = flag ?? parsed.positionals[0];
  if (!dir) throw new UsageError(`${NAME}: name the roster folder`);
  const result = loadRoster(dir);
  if (parsed.values.json === true) {
    io.out(
      JSON.stringify(
        result.ok
          ? { ok: true, agents: result.roster.agents.map((a) => a.id) }
          : { ok: false, problems: result.problems },
      ),
    );
  } else if (result.ok) {
    const { agents, mcp } = result.roster;
    io.out(
      `Roster ${dir} is valid: ${agents.length} agent(s) (${agents.map((a) => a.id).join(', ')}), ${Object.keys(mcp.mcpServers).length} MCP server(s).`,
    );
  } else {
    for (const problem of result.problems) {
      // Problems name files inside the roster; one about the folder itself names it alone.
      io.err(problem.file === dir ? formatProblem(problem) : `${dir}/${formatProblem(problem)}`);
    }
  }
  return result.ok ? EXIT.ok : EXIT.badInput;
};
