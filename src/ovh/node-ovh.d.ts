// @ovhcloud/node-ovh ships no types; we only use the factory and requestPromised.
declare module '@ovhcloud/node-ovh' {
  interface OvhClientOptions {
    endpoint?: string;
    host?: string;
    port?: number;
    basePath?: string;
    appKey?: string;
    appSecret?: string;
    consumerKey?: string;
    clientID?: string;
    clientSecret?: string;
    tokenURL?: string;
    timeout?: number;
    apiTimeDiff?: number;
  }
  interface OvhRawClient {
    requestPromised(method: string, path: string, params?: Record<string, unknown>): Promise<unknown>;
  }
  function ovh(options: OvhClientOptions): OvhRawClient;
  export default ovh;
}
