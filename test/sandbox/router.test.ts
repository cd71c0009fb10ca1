import { describe, expect, it } from 'vitest';
import { json } from '../../src/sandbox/http.js';
import { Router, type Route } from '../../src/sandbox/router.js';

const route = (method: Route['method'], path: string): Route => ({ method, path, handle: () => json(200, path) });

describe('the sandbox router', () => {
  const routes = [
    route('GET', '/1.0/sms/rates/destinations'),
    route('GET', '/1.0/sms/:service'),
    route('GET', '/1.0/sms/:service/batches/:id'),
  ];
  const router = new Router(routes);

  it('matches literal segments and decodes parameters', () => {
    const found = router.match('GET', '/1.0/sms/sms-ab%2F1/batches/b%201');
    expect(found?.route).toBe(routes[2]);
    expect([...found!.params]).toEqual([
      ['service', 'sms-ab/1'],
      ['id', 'b 1'],
    ]);
  });

  it('tries routes in order, so a literal path listed first wins over a parameter', () => {
    expect(
      new Router([routes[1]!, route('GET', '/1.0/sms/:service/destinations'), routes[0]!]).match('GET', '/1.0/sms/rates/destinations')
        ?.route.path,
    ).toBe('/1.0/sms/:service/destinations');
    expect(router.match('GET', '/1.0/sms/rates/destinations')?.route).toBe(routes[0]);
  });

  it('matches neither another method, another length, nor a malformed escape', () => {
    expect(router.match('POST', '/1.0/sms/x')).toBeNull();
    expect(router.match('GET', '/1.0/sms/x/batches')).toBeNull();
    expect(router.match('GET', '/1.0/sms/%E0%A4%A')).toBeNull();
  });

  it('matches an empty segment as an empty parameter, as OVH paths with a trailing slash reach the handler', () => {
    expect(router.match('GET', '/1.0/sms/')?.params.get('service')).toBe('');
  });
});
