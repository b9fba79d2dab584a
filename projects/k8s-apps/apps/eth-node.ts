// eth-node: an execution client (geth, the config's image) and a consensus client (Lighthouse) as
// StatefulSets, sized together for one CCX23 (4 vCPU, 16 GB). The chain (100–500 GB) is on the
// config's tier and is resynced after a loss; the consensus client's keys and checkpoint are a
// separate small claim, the only one the config backs up.
import { StatefulSet } from 'kubernetes-models/apps/v1';
import type { IContainer, IContainerPort, IVolume } from 'kubernetes-models/v1';
import { Service } from 'kubernetes-models/v1';
import { CloudError, type LayerConfig } from '@personal-cloud/cluster';
import { built, type Manifest } from '../src/manifest/manifest';
import type { AppContext, AppModule } from '../src/render/app-context';
import {
  appLabels,
  appNamespace,
  claim,
  claimSpec,
  NO_PRIVILEGES,
  nonRootPod,
  placement,
  sized,
  spreadAcrossNodes,
  type Tier,
} from '../src/render/app-objects';

/** Pinned here: the config names the execution client's image; the consensus client goes with it. */
export const CONSENSUS_IMAGE = 'sigp/lighthouse:v5.3.0';
const P2P_PORT = 30303;
const ENGINE_PORT = 8551;
/** The beacon database after a checkpoint sync, with room to grow. */
const BEACON_GB = 100;
const KEYS_GB = 1;

/** The P2P ports the firewall opens to the workers: only those are exposed on the node. */
function p2pPorts(config: LayerConfig<'k8s-apps'>): IContainerPort[] {
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

interface Client {
  name: string;
  labels: Record<string, string>;
  /** The tiers of the claims its pods use: hot ones pin it to the nodes that have hot storage. */
  tiers: Tier[];
  container: IContainer;
  volumes: IVolume[];
  /** Its data, one claim per pod. */
  data: { name: string; tier: Tier; sizeGb: number };
}

/** One client: a single-pod StatefulSet, never two on a node, and its headless Service. */
function client(context: AppContext, c: Client): Manifest[] {
  const namespace = context.app.name;
  const metadata = { name: c.name, namespace, labels: c.labels };
  const servicePorts = (c.container.ports ?? [])
    .filter((p) => !p.hostPort)
    .map((p) => ({ name: p.name, port: p.containerPort }));
  return [
    built(new Service({ metadata, spec: { clusterIP: 'None', selector: c.labels, ports: servicePorts } })),
    built(
      new StatefulSet({
        metadata,
        spec: {
          serviceName: c.name,
          replicas: 1,
          selector: { matchLabels: c.labels },
          template: {
            metadata: { labels: c.labels },
            spec: {
              securityContext: nonRootPod(),
              affinity: { ...placement(context, c.tiers), podAntiAffinity: spreadAcrossNodes(c.labels, 'required') },
              containers: [{ ...c.container, securityContext: NO_PRIVILEGES }],
              volumes: c.volumes,
            },
          },
          volumeClaimTemplates: [
            { metadata: { name: c.data.name }, spec: claimSpec(context, c.data.tier, c.data.sizeGb) },
          ],
        },
      }),
    ),
  ];
}

const ethNode: AppModule = (context) => {
  const { app, config } = context;
  if (!app.storage || app.storage.tier === 'cold')
    throw new CloudError(`apps: ${app.name} needs storage on the hot or warm tier for the chain`);
  const chainTier = app.storage.tier;
  const executionName = `${app.name}-execution`;
  const jwtSecret = `${app.name}-jwt`;
  const jwtVolume: IVolume = { name: 'jwt', secret: { secretName: jwtSecret, defaultMode: 0o440 } };
  const jwtMount = { name: 'jwt', mountPath: '/jwt', readOnly: true };
  const keys = claim(context, 'keys', 'warm', KEYS_GB);

  const execution = client(context, {
    name: executionName,
    labels: appLabels(context, 'execution'),
    tiers: [chainTier],
    container: {
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
      readinessProbe: { tcpSocket: { port: 'engine' }, periodSeconds: 20 },
      volumeMounts: [{ name: 'chain', mountPath: '/chain' }, jwtMount],
    },
    volumes: [jwtVolume],
    data: { name: 'chain', tier: chainTier, sizeGb: app.storage.sizeGb },
  });
  const consensus = client(context, {
    name: `${app.name}-consensus`,
    labels: appLabels(context, 'consensus'),
    tiers: ['warm'],
    container: {
      name: 'lighthouse',
      image: CONSENSUS_IMAGE,
      command: ['lighthouse'],
      args: [
        'beacon_node',
        '--network=mainnet',
        '--datadir=/beacon',
        '--network-dir=/keys/network',
        '--checkpoint-sync-url=https://mainnet.checkpoint.sigp.io',
        `--execution-endpoint=http://${executionName}.${app.name}.svc:${ENGINE_PORT}`,
        '--execution-jwt=/jwt/jwt.hex',
        '--http',
        '--http-address=0.0.0.0',
      ],
      ports: [{ name: 'http', containerPort: 5052 }],
      resources: sized('1500m', '6Gi'),
      readinessProbe: { httpGet: { path: '/eth/v1/node/health', port: 'http' }, periodSeconds: 20 },
      volumeMounts: [{ name: 'beacon', mountPath: '/beacon' }, { name: 'keys', mountPath: '/keys' }, jwtMount],
    },
    volumes: [{ name: 'keys', persistentVolumeClaim: { claimName: keys.metadata.name } }, jwtVolume],
    data: { name: 'beacon', tier: 'warm', sizeGb: BEACON_GB },
  });

  return {
    objects: [appNamespace(context), keys, ...execution, ...consensus],
    secrets: [{ namespace: app.name, name: jwtSecret, keys: { 'jwt.hex': { token: 'ETH_ENGINE_JWT' } } }],
  };
};
export default ethNode;
