import type { Command } from '../command';
import { demoCommand, serveCommand, sqlCommand } from './system';
import { datasetsCommand, importCommand, resultsImportCommand, runsCommand } from './data';
import { figureCommand, fitCommand, tableCommand } from './analysis';
import { contaminationCommand, exportCommand, partitionCommand, subsetCommand } from './curate';
import { clusterCommands } from './cluster';
import { studyCommand } from './study';
import { workspaceCommands } from './workspace';

/** Every CLI verb. Features add theirs here. */
export const commands: readonly Command[] = [
  serveCommand,
  demoCommand,
  sqlCommand,
  importCommand,
  resultsImportCommand,
  datasetsCommand,
  runsCommand,
  partitionCommand,
  subsetCommand,
  exportCommand,
  contaminationCommand,
  fitCommand,
  figureCommand,
  tableCommand,
  ...clusterCommands,
  studyCommand,
  ...workspaceCommands,
];
