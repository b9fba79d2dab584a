// Whether an API endpoint is a sandbox: the sandbox answers GET /__sandbox/stats, Hetzner does not.
// The layers' clients (machines, the cluster's API) follow the endpoint, not the token, so a token
// pointed at a sandbox never reaches for real machines.

/** The sandbox origin behind an API endpoint (`…/v1`), or null when the endpoint is not a sandbox. */
export async function sandboxOrigin(endpoint: string, fetchImpl: typeof fetch = fetch): Promise<string | null> {
  const origin = new URL(endpoint).origin;
  try {
    const response = await fetchImpl(`${origin}/__sandbox/stats`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) return null;
    const body = (await response.json()) as { requests?: unknown };
    return body && typeof body.requests === 'object' ? origin : null;
  } catch {
    return null;
  }
}
