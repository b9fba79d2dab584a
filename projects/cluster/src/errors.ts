/**
 * An error the operator can act on. Its message is one sentence that names the field, file or
 * resource and says what is allowed or what to do; runners print it without a stack trace and
 * exit non-zero. Anything that is not a CloudError is a bug and is printed with its stack.
 */
export class CloudError extends Error {
  override name = 'CloudError';
}

export function isCloudError(error: unknown): error is CloudError {
  return error instanceof CloudError;
}
