import type { Dispatcher } from 'undici';

/**
 * Which user each access token belongs to, learnt from the registration and
 * login answers that pass through the proxy, or asked of the server
 * (`/account/whoami`) for a token the proxy has not seen issued. Kept in
 * memory only: tokens are never logged or written.
 */
export class Identities {
  private readonly users = new Map<string, Promise<string | undefined>>();
  private readonly tokens = new Map<string, string>();

  constructor(private readonly upstream: Dispatcher) {}

  /** Notes a token issued to `userId` (from a register or login answer). */
  learn(token: string, userId: string): void {
    this.users.set(token, Promise.resolve(userId));
    this.tokens.set(userId, token);
  }

  /** The user a token belongs to, or undefined if the server does not know it. */
  userOf(token: string): Promise<string | undefined> {
    let found = this.users.get(token);
    if (!found) {
      found = this.whoami(token);
      this.users.set(token, found);
    }
    return found;
  }

  /** The latest token the proxy saw issued to `userId`. */
  tokenOf(userId: string): string | undefined {
    return this.tokens.get(userId);
  }

  private async whoami(token: string): Promise<string | undefined> {
    try {
      const response = await this.upstream.request({
        method: 'GET',
        path: '/_matrix/client/v3/account/whoami',
        headers: { authorization: `Bearer ${token}` },
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      });
      const body = (await response.body.json()) as { user_id?: unknown };
      if (response.statusCode === 200 && typeof body.user_id === 'string') {
        this.tokens.set(body.user_id, token);
        return body.user_id;
      }
    } catch {
      // Unknown: mutants that need the requester simply do not apply.
    }
    this.users.delete(token);
    return undefined;
  }
}
