/**
 * `/version` as Kubernetes serves it (`k8s.io/apimachinery/pkg/version.Info`). major/minor name the
 * Kubernetes API level cemesh's API follows (discovery, Status, watch), so kubectl's version-skew check is
 * quiet; gitVersion carries cemesh's own version after the `+`.
 */
import { packageVersion } from '../cli/version.js';

export const KUBERNETES_API_LEVEL = { major: '1', minor: '32' } as const;

export function versionInfo(): Record<string, string> {
  return {
    ...KUBERNETES_API_LEVEL,
    gitVersion: `v${KUBERNETES_API_LEVEL.major}.${KUBERNETES_API_LEVEL.minor}.0+cemesh-${packageVersion()}`,
    gitCommit: '',
    gitTreeState: '',
    buildDate: '',
    goVersion: '',
    compiler: 'cemesh',
    platform: `${process.platform}/${process.arch}`,
  };
}
