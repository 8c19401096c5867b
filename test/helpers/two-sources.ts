// The config of the small workspaces the end-to-end fault suites build: status files under
// agents/{agent}/status.json and a registry holding agents.{agent}.status / .fsm, UTC, stale
// after a day, the registry as the target. Tests quote line:column positions in it.
export function twoSourceConfig(registryPath = 'registry.json'): string {
  return `version: 1
timezone: UTC
stale: 1d
sources:
  file:
    kind: status-files
    path: "agents/{agent}/status.json"
    fields:
      status: [status]
      fsm: [fsm_state]
    updated_at: [last_updated]
  display:
    kind: registry
    path: ${registryPath}
    fields:
      status: ["agents.{agent}.status"]
      fsm: ["agents.{agent}.fsm"]
policy:
  target: display
`;
}
