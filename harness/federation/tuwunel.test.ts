import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TUWUNEL_LINK, tuwunelFederation } from './tuwunel.js';

describe('tuwunelFederation', () => {
  const setup = { serverName: '127.0.0.1:4000', federationPort: 4001, tls: { cert: 'c', key: 'k' }, ca: 'ca', domains: ['127.0.0.1:4000', '127.0.0.1:5000'], signingKey: { keyId: 'ed25519:a_pc', seed: randomBytes(32) } };
  const { global, env } = tuwunelFederation(setup, '/run/ca.pem', 4002);

  it('names the server by the proxy\'s address, listens on loopback for the clients and the proxy, trusts the run\'s CA only', () => {
    expect(global).toMatchObject({ server_name: '127.0.0.1:4000', address: ['127.0.0.1'], port: [4002, 4001], allow_federation: true, trusted_servers: [] });
    expect(env).toEqual({ SSL_CERT_FILE: '/run/ca.pem' });
  });

  it('lets outbound requests reach 127.0.0.1 alone: the rest of IPv4 and all of IPv6 denied', () => {
    const denied = global.ip_range_denylist as string[];
    expect(denied).toContain('::/0');
    expect(denied).toContain('127.0.0.0/32');
    expect(denied.some((range) => range === '127.0.0.0/8' || range === '127.0.0.1/32')).toBe(false);
  });

  it('is fronted over plain HTTP, with the harness\'s key published in its name', () => {
    expect(TUWUNEL_LINK).toEqual({ upstreamScheme: 'http', publishesHarnessKey: true });
  });
});
