// Names of the vault's tokens that more than one layer reads: one place for each, since a layer
// cannot import the layer above it.

/**
 * The cluster's kubeconfig: hosts:provision records it once the first server is up (its server a
 * control-plane node's Tailscale name); the builder and k8s-apps read it.
 */
export const KUBECONFIG_TOKEN = 'KUBECONFIG';

/** The k3s cluster token: the key step makes it (hosts' key specs); hosts' servers and Oxygen's agent join with it. */
export const K3S_TOKEN = 'K3S_TOKEN';

/** The operator's SSH private key: the sandbox world makes one; hosts and the builder log in with it. */
export const OPERATOR_KEY_TOKEN = 'OPERATOR_SSH_PRIVATE_KEY';
