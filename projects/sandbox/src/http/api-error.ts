// The error envelope every Hetzner endpoint answers with: { error: { code, message, details } }.
// Handlers throw these; the dispatcher turns them into responses.

export interface FieldProblem {
  name: string;
  messages: string[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  body(): { error: { code: string; message: string; details: Record<string, unknown> } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

export function invalidInput(fields: FieldProblem[]): ApiError {
  const names = fields.map((f) => `'${f.name}'`).join(', ');
  const first = fields[0]?.messages[0];
  const message =
    fields.length === 1 && first ? `invalid input in field ${names}: ${first}` : `invalid input in fields ${names}`;
  return new ApiError(422, 'invalid_input', message, { fields });
}

export function invalidField(name: string, message: string): ApiError {
  return invalidInput([{ name, messages: [message] }]);
}

export function notFound(what: string, id: number | string): ApiError {
  return new ApiError(404, 'not_found', `${what} with ID ${id} not found`);
}

export function uniquenessError(field: string, message: string): ApiError {
  return new ApiError(409, 'uniqueness_error', message, { fields: [{ name: field }] });
}

export function protectedError(what: string, operation: string): ApiError {
  return new ApiError(423, 'protected', `${what} is protected against ${operation}`);
}

export function resourceLimitExceeded(limit: string, message: string): ApiError {
  return new ApiError(403, 'resource_limit_exceeded', message, { limits: [{ name: limit }] });
}
