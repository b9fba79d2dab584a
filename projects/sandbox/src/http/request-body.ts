// Request bodies are checked with zod; every problem becomes one entry of Hetzner's
// `invalid_input` details, named by the field's path.
import type { z } from 'zod';
import { invalidInput, type FieldProblem } from './api-error';

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  // A missing body is judged like an empty object, so the answer names the required fields.
  const result = schema.safeParse(body === undefined ? {} : body);
  if (result.success) return result.data;
  const byField = new Map<string, string[]>();
  for (const issue of result.error.issues) {
    const name = issue.path.length ? issue.path.map(String).join('.') : 'body';
    const message =
      issue.code === 'invalid_type' && /received undefined/.test(issue.message) ? 'is required' : issue.message;
    byField.set(name, [...(byField.get(name) ?? []), message]);
  }
  const fields: FieldProblem[] = [...byField].map(([name, messages]) => ({ name, messages }));
  throw invalidInput(fields);
}
