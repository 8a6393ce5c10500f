import type { z } from 'zod';
import { systemMethods } from './system';
import { taskMethods } from './tasks';
import { dataMethods } from './data';
import { runsMethods } from './runs';
import { importsMethods } from './imports';
import { resultsMethods } from './results';
import { analysisMethods } from './analysis';
import { tracesMethods } from './traces';
import { curateMethods } from './curate';
import { clusterMethods } from './cluster';
import { studyMethods } from './study';
import { workspaceMethods } from './workspace';

/**
 * The whole API: every method the renderer, the CLI and the HTTP server may call.
 * Feature files define their methods; this table is the one place they are joined.
 */
export const methods = {
  ...systemMethods,
  ...taskMethods,
  ...dataMethods,
  ...runsMethods,
  ...importsMethods,
  ...resultsMethods,
  ...analysisMethods,
  ...tracesMethods,
  ...curateMethods,
  ...clusterMethods,
  ...studyMethods,
  ...workspaceMethods,
};

export type Methods = typeof methods;
export type MethodName = keyof Methods;
/** What a caller passes (defaults may be omitted). */
export type RequestOf<M extends MethodName> = z.input<Methods[M]['request']>;
/** What a handler receives, after validation and defaults. */
export type ParsedRequestOf<M extends MethodName> = z.output<Methods[M]['request']>;
/** What a handler returns / a caller receives. */
export type ResponseOf<M extends MethodName> = z.output<Methods[M]['response']>;

export const methodNames = Object.keys(methods) as MethodName[];
export const isMethodName = (name: string): name is MethodName => Object.hasOwn(methods, name);
