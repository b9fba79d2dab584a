// nix-cache: attic's server (atticd). Its database is SQLite on a small warm claim. Its chunks go to
// the cold tier's S3 bucket once cold exists; before that they stay on a warm claim of the config's
// size, and moving them is a planned step. The server's token secret, its signing key and the S3
// keys are Secrets made from the vault at deploy time: git holds only their names. Garbage
// collection runs inside atticd on the config's interval, with the config's retention.
import { Deployment } from 'kubernetes-models/apps/v1';
import { ConfigMap, type IEnvVar } from 'kubernetes-models/v1';
import { CloudError } from '@personal-cloud/cluster';
import { built } from '../src/manifest/manifest';
import type { AppModule } from '../src/render/app-context';
import { httpsService } from '../src/render/https-service';
import {
  appLabels,
  appNamespace,
  claim,
  NO_PRIVILEGES,
  nonRootPod,
  placement,
  sized,
  type Tier,
} from '../src/render/app-objects';
import type { RuntimeSecret } from '../src/render/runtime-secrets';
import { toToml, type TomlDocument } from '../src/render/toml-document';

const DB_GB = 5;
const DATA = '/var/lib/atticd';

const nixCache: AppModule = (context) => {
  const { app, tiers } = context;
  if (!app.port || !app.host) throw new CloudError(`apps: ${app.name} is served over HTTPS and needs port and host`);
  if (!app.gc) throw new CloudError(`apps: ${app.name} keeps a cache and needs gc: { intervalHours, retentionDays }`);
  if (!app.storage || app.storage.tier === 'cold')
    throw new CloudError(`apps: ${app.name} needs storage on the hot or warm tier`);
  const namespace = app.name;
  const labels = appLabels(context, 'server');
  const serverSecret = `${app.name}-server`;
  const s3Secret = `${app.name}-s3`;
  const db = claim(context, 'db', 'warm', DB_GB);
  const chunks = tiers.cold ? undefined : claim(context, 'chunks', app.storage.tier, app.storage.sizeGb);
  const claimTiers: Tier[] = chunks ? ['warm', app.storage.tier] : ['warm'];

  const server: TomlDocument = {
    listen: `[::]:${app.port}`,
    'allowed-hosts': [app.host],
    'api-endpoint': `https://${app.host}/`,
    database: { url: `sqlite://${DATA}/db/server.db?mode=rwc` },
    storage: tiers.cold
      ? { type: 's3', region: tiers.cold.region, bucket: tiers.cold.cacheBucket, endpoint: tiers.cold.endpoint }
      : { type: 'local', path: `${DATA}/chunks` },
    chunking: { 'nar-size-threshold': 65536, 'min-size': 16384, 'avg-size': 65536, 'max-size': 262144 },
    compression: { type: 'zstd' },
    'garbage-collection': {
      interval: `${app.gc.intervalHours} hours`,
      'default-retention-period': `${app.gc.retentionDays} days`,
    },
  };
  const fromSecret = (name: string, secret: string, key: string): IEnvVar => ({
    name,
    valueFrom: { secretKeyRef: { name: secret, key } },
  });
  const env = [
    fromSecret('ATTIC_SERVER_TOKEN_HS256_SECRET_BASE64', serverSecret, 'token-hs256-secret'),
    ...(tiers.cold
      ? [
          fromSecret('AWS_ACCESS_KEY_ID', s3Secret, 'access-key-id'),
          fromSecret('AWS_SECRET_ACCESS_KEY', s3Secret, 'secret-access-key'),
        ]
      : []),
  ];
  const secrets: RuntimeSecret[] = [
    // The signing key is not mounted: provision hands it to attic through its API (KeypairConfig::Keypair).
    {
      namespace,
      name: serverSecret,
      keys: {
        'token-hs256-secret': { token: 'ATTIC_TOKEN_HS256_SECRET' },
        'signing-key': { token: 'ATTIC_SIGNING_KEY' },
      },
    },
    ...(tiers.cold
      ? [
          {
            namespace,
            name: s3Secret,
            keys: {
              'access-key-id': { token: 'S3_ACCESS_KEY_ID' },
              'secret-access-key': { token: 'S3_SECRET_ACCESS_KEY' },
            },
          },
        ]
      : []),
  ];

  return {
    objects: [
      appNamespace(context),
      db,
      ...(chunks ? [chunks] : []),
      built(
        new ConfigMap({ metadata: { name: app.name, namespace, labels }, data: { 'server.toml': toToml(server) } }),
      ),
      built(
        new Deployment({
          metadata: { name: app.name, namespace, labels },
          spec: {
            // SQLite on a node-bound claim: one server, and the old one stops before the new one starts.
            replicas: 1,
            strategy: { type: 'Recreate' },
            selector: { matchLabels: labels },
            template: {
              metadata: { labels },
              spec: {
                securityContext: nonRootPod(),
                affinity: placement(context, claimTiers),
                containers: [
                  {
                    name: 'atticd',
                    image: app.image,
                    args: ['--config', '/etc/attic/server.toml', '--mode', 'monolithic'],
                    env,
                    ports: [{ name: 'http', containerPort: app.port }],
                    resources: sized('500m', '1Gi'),
                    securityContext: NO_PRIVILEGES,
                    readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 10 },
                    livenessProbe: { tcpSocket: { port: 'http' }, initialDelaySeconds: 15, periodSeconds: 20 },
                    volumeMounts: [
                      { name: 'config', mountPath: '/etc/attic', readOnly: true },
                      { name: 'db', mountPath: `${DATA}/db` },
                      ...(chunks ? [{ name: 'chunks', mountPath: `${DATA}/chunks` }] : []),
                      { name: 'tmp', mountPath: '/tmp' },
                    ],
                  },
                ],
                volumes: [
                  { name: 'config', configMap: { name: app.name } },
                  { name: 'db', persistentVolumeClaim: { claimName: db.metadata.name } },
                  ...(chunks ? [{ name: 'chunks', persistentVolumeClaim: { claimName: chunks.metadata.name } }] : []),
                  { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
                ],
              },
            },
          },
        }),
      ),
      ...httpsService(context, labels),
    ],
    secrets,
  };
};
export default nixCache;
