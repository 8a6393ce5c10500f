import { z } from 'zod';
import { method } from './define';
import { empty } from './common';
import { workspaceInfoSchema } from './system';

export const recentWorkspaceSchema = z.object({
  dir: z.string(),
  name: z.string(),
  isDemo: z.boolean(),
  /** ISO time it was last opened. */
  openedAt: z.string(),
  /** False when the folder (or its workspace.json) is gone: shown, but it cannot be opened. */
  exists: z.boolean(),
});
export type RecentWorkspace = z.infer<typeof recentWorkspaceSchema>;

export const fileEntrySchema = z.object({
  name: z.string(),
  path: z.string(),
  kind: z.enum(['dir', 'file']),
  /** Bytes for files; null for folders. */
  size: z.number().nullable(),
  modifiedAt: z.string().nullable(),
  /** A folder holding a Valley workspace (workspace.json). */
  isWorkspace: z.boolean(),
});
export type FileEntry = z.infer<typeof fileEntrySchema>;

const dirPath = z.string().min(1, 'give a folder').max(4096);

export const workspaceMethods = {
  'workspace.list': method(
    'The open workspace, the recently opened ones, where the demo lives and the home folder',
    empty,
    z.object({
      current: workspaceInfoSchema,
      recent: z.array(recentWorkspaceSchema),
      demoDir: z.string(),
      home: z.string(),
    }),
  ),
  'workspace.open': method(
    'Switch to another workspace folder (refused while a task runs); every window reloads on workspace.changed',
    z.object({ dir: dirPath }),
    z.object({ workspace: workspaceInfoSchema }),
  ),
  'workspace.create': method(
    'Create a new, empty workspace in an empty or new folder and switch to it',
    z.object({ dir: dirPath, name: z.string().trim().min(1).max(100).optional() }),
    z.object({ workspace: workspaceInfoSchema }),
  ),
  'workspace.openDemo': method(
    'Switch to the built-in demo workspace (created on first use)',
    empty,
    z.object({ workspace: workspaceInfoSchema }),
  ),
  'workspace.forget': method(
    'Remove a folder from the recent workspaces (the folder itself is untouched)',
    z.object({ dir: dirPath }),
    z.object({ recent: z.array(recentWorkspaceSchema) }),
  ),
  'fs.list': method(
    "List a folder on the backend's machine for the file browser (browser mode): folders first, with file sizes",
    z.object({
      /** Absolute path; omitted: the user's home. */
      dir: z.string().max(4096).optional(),
      hidden: z.boolean().default(false),
    }),
    z.object({
      dir: z.string(),
      parent: z.string().nullable(),
      home: z.string(),
      entries: z.array(fileEntrySchema),
      /** More entries than listed (the first 5000 are). */
      truncated: z.boolean(),
    }),
  ),
};
