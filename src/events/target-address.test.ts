import { describe, expect, it } from 'vitest';
import { checkEndpointUrl } from './endpoints.ts';
import { internalTarget, isInternalAddress } from './target-address.ts';

describe('internal webhook targets', () => {
  it('knows loopback, link-local, private and reserved addresses, IPv4 and IPv6', () => {
    const inside = [
      '127.0.0.1',
      '127.255.0.9',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      'fc12:3456::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:a9fe:a9fe',
      '64:ff9b::a00:1',
      '2002:c0a8:101::1',
    ];
    const outside = ['8.8.8.8', '172.32.0.1', '100.128.0.1', '1.1.1.1', '2606:4700::1111', '::ffff:8.8.8.8'];
    expect(inside.filter((a) => !isInternalAddress(a))).toEqual([]);
    expect(outside.filter((a) => isInternalAddress(a))).toEqual([]);
  });

  it('refuses internal literals at registration unless allowed', () => {
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]:3000/',
      'http://[::ffff:127.0.0.1]/',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://10.0.0.7/',
      'http://localhost:3000/',
      'http://api.localhost/',
    ]) {
      const refused = checkEndpointUrl(url);
      expect(refused.ok, url).toBe(false);
      if (!refused.ok) expect(refused.error.message).toContain('CONNECTS_WEBHOOK_ALLOW_PRIVATE=1');
      expect(checkEndpointUrl(url, { allowInternalTargets: true }).ok, url).toBe(true);
    }
    expect(checkEndpointUrl('https://hooks.example.com/x').ok).toBe(true);
  });

  it('refuses a public name that resolves inside, at delivery', async () => {
    const resolveTo = (addresses: string[]) => () => Promise.resolve(addresses);
    expect(await internalTarget('https://hooks.example.com/', resolveTo(['93.184.215.14']))).toBeUndefined();
    expect(await internalTarget('https://hooks.example.com/', resolveTo(['93.184.215.14', '10.0.0.5']))).toBe(
      'hooks.example.com resolves to 10.0.0.5, a loopback, link-local or private address',
    );
  });
});
