import type { MatrixUser } from '../client/matrix-user.js';
import type { TestServer } from '../test-server.js';

/**
 * A message from `courier`, a user of the server whose presence EDU a story
 * waits for, into `room`, which a user of the other server shares: a
 * transaction goes to that server anyway. Some servers send a presence
 * change only inside the next transaction something else starts (tuwunel
 * 1.4.6: its presence EDUs are picked when a transaction is composed), so a
 * story that needs presence to cross as a PRECONDITION of another
 * requirement gives them one; PRES-FED-SHARED, whose statement is the
 * crossing itself, never does. A server that sends presence on its own
 * sends it anyway: the courier changes nothing of what is judged.
 */
export async function carryOver(server: TestServer, courier: MatrixUser, room: string): Promise<void> {
  await courier.sendMessage(room, server.message());
}
