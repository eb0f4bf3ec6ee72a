import { expect } from 'vitest';
import { requirement } from '../../harness/requirement.js';
import type { MatrixUser } from '../../harness/client/matrix-user.js';

requirement('PRES-VIS-LEAVE', ({ test }) => {
  test.for(['bob', 'alice'] as const)(
    'after %s leaves the last room alice and bob share, her updates stop and GET is refused',
    async (leaver, { server }) => {
      const [alice, bob, dave] = await server.users('alice', 'bob', 'dave');
      const [first, second] = [await server.sharedRoom(alice, bob), await server.sharedRoom(alice, bob)];
      await server.sharedRoom(dave, bob);
      await bob.sync();
      const leaving: MatrixUser = leaver === 'bob' ? bob : alice;

      // Leaving one of two shared rooms changes nothing.
      await leaving.leave(first);
      const away = server.statusMessage();
      await alice.setPresence('unavailable', away);
      await bob.seesPresence(alice, (p) => p.status_msg === away, { deadline: server.soon(), what: `unavailable, "${away}"` });
      const stillShared = await bob.getPresence(alice);
      expect(stillShared.status, stillShared.evidence).toBe(200);

      await leaving.leave(second);
      const back = server.statusMessage();
      await alice.setPresence('online', back);
      // Bob's stream still delivers: dave's change, made after alice's, reaches him.
      const daves = server.statusMessage();
      await dave.setPresence('unavailable', daves);
      await bob.seesPresence(dave, (p) => p.status_msg === daves, { deadline: server.soon(), what: `unavailable, "${daves}"` });
      await bob.syncThroughout({
        until: server.soon(),
        what: `for ${alice}'s update after the leave`,
        violates: (body) => {
          const leaked = body.presence?.events?.filter((e) => e.sender === alice.userId && e.content.status_msg === back);
          return leaked?.length ? `received ${JSON.stringify(leaked)}` : undefined;
        },
      });

      expect(bob.receivedFrom(alice).filter((r) => r.event.content.status_msg === back).map((r) => r.event)).toEqual([]);
      const refused = await bob.getPresence(alice);
      expect([403, 404], refused.evidence).toContain(refused.status);
    },
  );
});
