// The explicit command map, for the single binary (inside a SEA, oclif cannot find command
// files on disk). npm installs find the same commands through the manifest in dist/commands.
import Apply from './commands/apply.js';
import Create from './commands/create.js';
import Destroy from './commands/destroy.js';
import Help from './commands/help.js';
import Machines from './commands/machines.js';
import Plan from './commands/plan.js';
import Promote from './commands/promote.js';
import Rollback from './commands/rollback.js';
import Serve from './commands/serve.js';
import Sim from './commands/sim.js';
import Status from './commands/status.js';
import Task from './commands/task.js';

export const COMMANDS = {
  apply: Apply,
  create: Create,
  destroy: Destroy,
  help: Help,
  machines: Machines,
  plan: Plan,
  promote: Promote,
  rollback: Rollback,
  serve: Serve,
  sim: Sim,
  status: Status,
  task: Task,
};
