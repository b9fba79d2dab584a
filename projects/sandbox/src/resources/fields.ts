// Request fields and lookups that several resources share: labels, names, ids in paths, and the
// project-wide uniqueness of names.
import { z } from 'zod';
import { ApiError, invalidField, notFound, uniquenessError } from '../http/api-error';
import { labelKeyProblem, labelValueProblem } from '../listing/label-selector';
import type { Labels } from '../world/world';

export const labelsField = z.record(z.string(), z.string()).superRefine((labels, check) => {
  for (const [key, value] of Object.entries(labels)) {
    const problem = labelKeyProblem(key) ?? labelValueProblem(value);
    if (problem) check.addIssue({ code: 'custom', message: problem });
  }
});

export const idField = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** Names of networks, firewalls, keys and groups: any non-blank text of at most 128 characters. */
export const plainName = z.string().trim().min(1, 'must not be empty').max(128, 'is too long');

/** Server names must be valid host names (RFC 1123), as Hetzner requires. */
export const hostName = z
  .string()
  .max(253, 'is too long')
  .regex(
    /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/,
    'must be a valid hostname',
  );

export const volumeName = z
  .string()
  .regex(
    /^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,62}[a-zA-Z0-9])?$/,
    'must be at most 64 alphanumerics, dashes, underscores and dots, starting and ending alphanumerically',
  );

/** A path `{id}`: a positive integer, else invalid input. */
export function pathId(raw: string | undefined, name = 'id'): number {
  const value = Number(raw);
  if (raw === undefined || !/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1)
    throw invalidField(name, `must be a positive integer, not "${raw}"`);
  return value;
}

/** The record with the path's id, or 404 naming the resource. */
export function recordAt<T>(table: Record<string, T>, raw: string | undefined, what: string): T {
  const id = pathId(raw);
  const record = table[id];
  if (!record) throw notFound(what, id);
  return record;
}

/** A record a request body refers to by id; a missing one is invalid input in that field. */
export function referenced<T>(table: Record<string, T>, id: number, field: string, what: string): T {
  const record = table[id];
  if (!record) throw invalidField(field, `${what} with ID ${id} not found`);
  return record;
}

/** Names are unique per resource type and project; 409 `uniqueness_error` otherwise. */
export function assertUniqueName(
  table: Record<string, { id: number; name: string }>,
  name: string,
  what: string,
  except?: number,
): void {
  for (const record of Object.values(table))
    if (record.name === name && record.id !== except)
      throw uniquenessError('name', `${what} with the name "${name}" already exists`);
}

export function copyLabels(labels: Labels | undefined): Labels {
  return { ...(labels ?? {}) };
}

export function protectedAgainst(what: string, operation: string): ApiError {
  return new ApiError(423, 'protected', `${what} is protected against ${operation}; change its protection first`);
}
