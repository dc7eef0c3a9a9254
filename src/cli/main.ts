import { Command } from 'commander';
import { registerDataCommands } from './data-commands.js';
import { registerEngineCommands } from './engine-commands.js';
import { registerModelCommands } from './model-commands.js';
import { registerOpsCommands } from './ops-commands.js';
import { registerRunCommands } from './run-commands.js';

const program = new Command();
program
  .name('vigie')
  .description('Vigie: risky social-media mentions become cards in Slack, Discord or the console; every decision is a ticket.')
  .showHelpAfterError()
  .configureHelp({ sortSubcommands: false });

registerRunCommands(program);
registerDataCommands(program);
registerEngineCommands(program);
registerModelCommands(program);
registerOpsCommands(program);

await program.parseAsync(process.argv);
