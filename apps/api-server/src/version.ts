/**
 * /version. kubectl's dispatcher on this kind of machine picks its client binary from `major` and
 * `minor`, and `kubectl version` needs `gitVersion` to parse as semver: kubeling reports the
 * Kubernetes API version it implements, with itself as build metadata.
 */
export const kubernetesMinor = '32';

export function versionInfo() {
  return {
    major: '1',
    minor: kubernetesMinor,
    gitVersion: `v1.${kubernetesMinor}.0+kubeling`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-11-27T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
