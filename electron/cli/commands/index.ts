import type { Command } from '../command';
import { demoCommand, serveCommand, sqlCommand } from './system';

/** Every CLI verb. Features add theirs here. */
export const commands: readonly Command[] = [serveCommand, demoCommand, sqlCommand];
