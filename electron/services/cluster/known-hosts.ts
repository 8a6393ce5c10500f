import { createHash, createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** What known_hosts says about a host's key. */
export type HostKeyStatus =
  | { status: 'match'; fingerprint: string; line: number }
  | { status: 'unknown'; fingerprint: string; keyType: string }
  | { status: 'changed'; fingerprint: string; keyType: string; expected: string; line: number }
  | { status: 'revoked'; fingerprint: string; line: number };

/** OpenSSH's fingerprint of a key blob: SHA256 of the blob, base64 without padding. */
export const fingerprintOf = (blob: Buffer): string =>
  `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;

/** The key type written inside a key blob (uint32 length + name). */
export const keyTypeOf = (blob: Buffer): string => {
  if (blob.length < 4) return 'unknown';
  const n = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + n).toString('latin1');
};

/** How OpenSSH names a host in known_hosts: plain for port 22, `[host]:port` otherwise. */
export const hostEntryName = (host: string, port: number): string => (port === 22 ? host : `[${host}]:${port}`);

const globToRegExp = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    'i',
  );

const hashedMatches = (entry: string, name: string): boolean => {
  const [, kind, salt, hash] = entry.split('|');
  if (kind !== '1' || !salt || !hash) return false;
  const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return mac === hash;
};

/** Does a known_hosts host field (comma-separated patterns, negations, hashed names) cover `name`? */
export const hostFieldMatches = (field: string, name: string): boolean => {
  if (field.startsWith('|1|')) return hashedMatches(field, name);
  let matched = false;
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!');
    const p = negated ? pattern.slice(1) : pattern;
    if (globToRegExp(p).test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
};

interface Entry {
  line: number;
  marker: string | null;
  hosts: string;
  keyType: string;
  key: string;
}

const parseKnownHosts = (text: string): Entry[] => {
  const entries: Entry[] = [];
  text.split(/\r?\n/).forEach((lineText, i) => {
    const t = lineText.trim();
    if (!t || t.startsWith('#')) return;
    const parts = t.split(/\s+/);
    const marker = parts[0]?.startsWith('@') ? (parts.shift() ?? null) : null;
    const [hosts, keyType, key] = parts;
    if (hosts && keyType && key) entries.push({ line: i + 1, marker, hosts, keyType, key });
  });
  return entries;
};

/** Check a host's key against a known_hosts file (hashed entries included). A missing file means unknown. */
export const checkHostKey = async (file: string, host: string, port: number, blob: Buffer): Promise<HostKeyStatus> => {
  const fingerprint = fingerprintOf(blob);
  const keyType = keyTypeOf(blob);
  const text = existsSync(file) ? await readFile(file, 'utf8') : '';
  const name = hostEntryName(host, port);
  const mine = parseKnownHosts(text).filter((e) => e.marker !== '@cert-authority' && hostFieldMatches(e.hosts, name));
  const keyB64 = blob.toString('base64');
  const revoked = mine.find((e) => e.marker === '@revoked' && e.key === keyB64);
  if (revoked) return { status: 'revoked', fingerprint, line: revoked.line };
  const same = mine.find((e) => e.marker === null && e.key === keyB64);
  if (same) return { status: 'match', fingerprint, line: same.line };
  const other = mine.find((e) => e.marker === null && e.keyType === keyType) ?? mine.find((e) => e.marker === null);
  if (other) {
    const expected = fingerprintOf(Buffer.from(other.key, 'base64'));
    return { status: 'changed', fingerprint, keyType, expected, line: other.line };
  }
  return { status: 'unknown', fingerprint, keyType };
};

/** Add an accepted key to known_hosts (the user saw and accepted its fingerprint). */
export const addHostKey = async (file: string, host: string, port: number, blob: Buffer): Promise<void> => {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const existing = existsSync(file) ? await readFile(file, 'utf8') : '';
  const sep = existing && !existing.endsWith('\n') ? '\n' : '';
  await appendFile(file, `${sep}${hostEntryName(host, port)} ${keyTypeOf(blob)} ${blob.toString('base64')}\n`, {
    mode: 0o600,
  });
};
