import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderTuwunelConfig } from './config.js';
import { TUWUNEL_LINK, tuwunelFederation } from './federation.js';

describe('tuwunel in a pair', () => {
  const setup = { serverName: '127.0.0.1:4000', federationPort: 4001, tls: { cert: 'c', key: 'k' }, ca: 'ca', domains: ['127.0.0.1:4000', '127.0.0.1:5000'], signingKey: { keyId: 'ed25519:a_pc', seed: randomBytes(32) } };
  const federation = tuwunelFederation(setup, '/run/ca.pem');

  it('is named by the proxy\'s address, listens on loopback for the clients and the proxy, federates presence, trusts the run\'s CA only', async () => {
    const text = await renderTuwunelConfig({ workDir: '/w', serverName: 'x', port: 4002, registrationToken: 't', federation });
    expect(text).toContain('server_name = "127.0.0.1:4000"');
    expect(text).toContain('port = [4002,4001]');
    expect(text).toContain('address = ["127.0.0.1"]');
    expect(text).toMatch(/^allow_federation = true$/m);
    expect(text).toMatch(/^allow_incoming_presence = true$/m);
    expect(text).toMatch(/^allow_outgoing_presence = true$/m);
    expect(text).toMatch(/^trusted_servers = \[\]$/m);
    expect(federation.env).toEqual({ SSL_CERT_FILE: '/run/ca.pem' });
  });

  it('lets outbound requests reach 127.0.0.1 alone, paired or not: the rest of IPv4 and all of IPv6 denied', async () => {
    for (const input of [{ federation }, {}]) {
      const text = await renderTuwunelConfig({ workDir: '/w', serverName: 'x', port: 4002, registrationToken: 't', ...input });
      const denied = JSON.parse(/^ip_range_denylist = (.*)$/m.exec(text)![1]!) as string[];
      expect(denied).toContain('::/0');
      expect(denied).toContain('127.0.0.0/32');
      expect(denied.some((range) => range === '127.0.0.0/8' || range === '127.0.0.1/32')).toBe(false);
    }
  });

  it('is fronted over plain HTTP, with the harness\'s key published in its name', () => {
    expect(TUWUNEL_LINK).toEqual({ upstreamScheme: 'http', publishesHarnessKey: true });
  });
});
