/**
 * The cluster's kubeconfig in the vault's tokens: hosts:provision records it once the first
 * server is up (its server a control-plane node's Tailscale name); the builder and k8s-apps read it.
 */
export const KUBECONFIG_TOKEN = 'KUBECONFIG';
