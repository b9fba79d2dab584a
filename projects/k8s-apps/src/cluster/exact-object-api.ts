// KubernetesObjectApi.patch serializes the body through the client's typed models, which drop
// what they do not model under its wire name: a CRD schema's `default`, `enum` and
// `x-kubernetes-*` fields, and any field newer than the client. An apply must send the object as
// rendered (or as `flux install --export` printed it), so this subclass keeps the library's
// discovery (the object's path), authentication, TLS and answer handling, and sends the JSON as is.
// Every request it makes, its own and the library's reads and lists, ends after `timeoutMs`: an API
// server that stops answering must not hang provision.
import {
  createConfiguration,
  HttpMethod,
  type KubeConfig,
  KubernetesObjectApi,
  type KubernetesObject,
  ServerConfiguration,
} from '@kubernetes/client-node';

export type NamedObject = KubernetesObject & { apiVersion: string; kind: string; metadata: { name: string } };

export class ExactObjectApi extends KubernetesObjectApi {
  /** What KubeConfig.makeApiClient builds, with a deadline on each request. `config` must have a current cluster. */
  static forConfig(config: KubeConfig, timeoutMs: number): ExactObjectApi {
    const api = new ExactObjectApi(
      createConfiguration({
        baseServer: new ServerConfiguration(config.getCurrentCluster()!.server, {}),
        authMethods: { default: config },
        promiseMiddleware: [
          {
            pre: async (request) => {
              request.setSignal(AbortSignal.timeout(timeoutMs));
              return request;
            },
            post: async (response) => response,
          },
        ],
      }),
    );
    api.setDefaultNamespace(config);
    return api;
  }

  /** A PATCH of `object` exactly as given, as server-side apply or merge patch (`contentType`). */
  async patchExact(object: NamedObject, contentType: string, query: [string, string][]): Promise<KubernetesObject> {
    // specUriPath fills in a default namespace on the object it is given: give it a copy.
    const path = await this.specUriPath(structuredClone(object), 'patch');
    const request = this.configuration.baseServer.makeRequestContext(path, HttpMethod.PATCH);
    request.setHeaderParam('Accept', 'application/json, */*;q=0.8');
    request.setHeaderParam('Content-Type', contentType);
    for (const [name, value] of query) request.setQueryParam(name, value);
    request.setBody(JSON.stringify(object));
    return this.requestPromise(request);
  }
}
