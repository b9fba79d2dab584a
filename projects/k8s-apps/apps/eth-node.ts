// eth-node: an execution client (geth, the config's image) and a consensus client (Lighthouse) as
// StatefulSets, sized together for one CCX23 (4 vCPU, 16 GB). The chain (100–500 GB) is on the
// config's tier and is resynced after a loss; the consensus client's keys and checkpoint are a
// separate small claim, the only one the config backs up.
import { StatefulSet } from 'kubernetes-models/apps/v1';
import type { IContainerPort } from 'kubernetes-models/v1';
import { Service } from 'kubernetes-models/v1';
import { CloudError, type ClusterConfig } from '@personal-cloud/cluster';
import { built } from '../src/manifest/manifest';
import type { AppModule } from '../src/render/app-context';
import {
  appLabels,
  appNamespace,
  claim,
  NO_PRIVILEGES,
  nonRootPod,
  placement,
  sized,
  spreadAcrossNodes,
  tierClass,
} from '../src/render/app-objects';

/** Pinned here: the config names the execution client's image; the consensus client goes with it. */
export const CONSENSUS_IMAGE = 'sigp/lighthouse:v5.3.0';
const P2P_PORT = 30303;
const ENGINE_PORT = 8551;
/** The beacon database after a checkpoint sync, with room to grow. */
const BEACON_GB = 100;
const KEYS_GB = 1;

/** The P2P ports the firewall opens to the workers: only those are exposed on the node. */
function p2pPorts(config: ClusterConfig): IContainerPort[] {
  return config.firewall.rules
    .filter(
      (rule) =>
        rule.port === P2P_PORT &&
        (rule.protocol === 'tcp' || rule.protocol === 'udp') &&
        (!rule.roles || rule.roles.includes('worker')),
    )
    .map((rule) => rule.protocol.toUpperCase() as 'TCP' | 'UDP')
    .sort()
    .map((protocol) => ({
      name: `p2p-${protocol.toLowerCase()}`,
      containerPort: P2P_PORT,
      hostPort: P2P_PORT,
      protocol,
    }));
}

const ethNode: AppModule = (context) => {
  const { app, config } = context;
  if (!app.storage || app.storage.tier === 'cold')
    throw new CloudError(`apps: ${app.name} needs storage on the hot or warm tier for the chain`);
  const chainTier = app.storage.tier;
  const namespace = app.name;
  const execution = appLabels(context, 'execution');
  const consensus = appLabels(context, 'consensus');
  const executionName = `${app.name}-execution`;
  const consensusName = `${app.name}-consensus`;
  const jwtSecret = `${app.name}-jwt`;
  const jwtVolume = { name: 'jwt', secret: { secretName: jwtSecret, defaultMode: 0o440 } };
  const jwtMount = { name: 'jwt', mountPath: '/jwt', readOnly: true };
  const keys = claim(context, 'keys', 'warm', KEYS_GB);

  return {
    objects: [
      appNamespace(context),
      keys,
      built(
        new Service({
          metadata: { name: executionName, namespace, labels: execution },
          spec: { clusterIP: 'None', selector: execution, ports: [{ name: 'engine', port: ENGINE_PORT }] },
        }),
      ),
      built(
        new StatefulSet({
          metadata: { name: executionName, namespace, labels: execution },
          spec: {
            serviceName: executionName,
            replicas: 1,
            selector: { matchLabels: execution },
            template: {
              metadata: { labels: execution },
              spec: {
                securityContext: nonRootPod(),
                affinity: {
                  ...placement(context, [chainTier]),
                  podAntiAffinity: spreadAcrossNodes(execution, 'required'),
                },
                containers: [
                  {
                    name: 'geth',
                    image: app.image,
                    args: [
                      '--datadir=/chain',
                      '--syncmode=snap',
                      `--port=${P2P_PORT}`,
                      '--authrpc.addr=0.0.0.0',
                      `--authrpc.port=${ENGINE_PORT}`,
                      '--authrpc.vhosts=*',
                      '--authrpc.jwtsecret=/jwt/jwt.hex',
                    ],
                    ports: [{ name: 'engine', containerPort: ENGINE_PORT }, ...p2pPorts(config)],
                    resources: sized('2', '8Gi'),
                    securityContext: NO_PRIVILEGES,
                    readinessProbe: { tcpSocket: { port: 'engine' }, periodSeconds: 20 },
                    volumeMounts: [{ name: 'chain', mountPath: '/chain' }, jwtMount],
                  },
                ],
                volumes: [jwtVolume],
              },
            },
            volumeClaimTemplates: [
              {
                metadata: { name: 'chain' },
                spec: {
                  accessModes: ['ReadWriteOnce'],
                  storageClassName: tierClass(context, chainTier),
                  resources: { requests: { storage: `${app.storage.sizeGb}Gi` } },
                },
              },
            ],
          },
        }),
      ),
      built(
        new StatefulSet({
          metadata: { name: consensusName, namespace, labels: consensus },
          spec: {
            serviceName: consensusName,
            replicas: 1,
            selector: { matchLabels: consensus },
            template: {
              metadata: { labels: consensus },
              spec: {
                securityContext: nonRootPod(),
                affinity: {
                  ...placement(context, ['warm']),
                  podAntiAffinity: spreadAcrossNodes(consensus, 'required'),
                },
                containers: [
                  {
                    name: 'lighthouse',
                    image: CONSENSUS_IMAGE,
                    command: ['lighthouse'],
                    args: [
                      'beacon_node',
                      '--network=mainnet',
                      '--datadir=/beacon',
                      '--network-dir=/keys/network',
                      '--checkpoint-sync-url=https://mainnet.checkpoint.sigp.io',
                      `--execution-endpoint=http://${executionName}.${namespace}.svc:${ENGINE_PORT}`,
                      '--execution-jwt=/jwt/jwt.hex',
                      '--http',
                      '--http-address=0.0.0.0',
                    ],
                    ports: [{ name: 'http', containerPort: 5052 }],
                    resources: sized('1500m', '6Gi'),
                    securityContext: NO_PRIVILEGES,
                    readinessProbe: { httpGet: { path: '/eth/v1/node/health', port: 'http' }, periodSeconds: 20 },
                    volumeMounts: [
                      { name: 'beacon', mountPath: '/beacon' },
                      { name: 'keys', mountPath: '/keys' },
                      jwtMount,
                    ],
                  },
                ],
                volumes: [{ name: 'keys', persistentVolumeClaim: { claimName: keys.metadata.name } }, jwtVolume],
              },
            },
            volumeClaimTemplates: [
              {
                metadata: { name: 'beacon' },
                spec: {
                  accessModes: ['ReadWriteOnce'],
                  storageClassName: tierClass(context, 'warm'),
                  resources: { requests: { storage: `${BEACON_GB}Gi` } },
                },
              },
            ],
          },
        }),
      ),
    ],
    secrets: [{ namespace, name: jwtSecret, keys: { 'jwt.hex': { token: 'ETH_ENGINE_JWT' } } }],
  };
};
export default ethNode;
