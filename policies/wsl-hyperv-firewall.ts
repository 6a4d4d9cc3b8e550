// The Hyper-V firewall in front of the WSL VM: inbound blocked on every profile, outbound allowed, local
// rules ignored; two holes for SSH from the corporate network and dev servers on the private profile.
import { hyperVFirewall } from "wslpolicy";
import { wslRings } from "./rings";

const blockInbound = {
  enabled: true,
  defaultInbound: "block",
  defaultOutbound: "allow",
  allowLocalPolicyMerge: false,
} as const;

export const wslHyperVFirewall = hyperVFirewall({
  id: "wsl-hyperv-firewall",
  displayName: "Win - WSL - Hyper-V firewall",
  description:
    "Hyper-V firewall for the WSL VM: blocks inbound traffic on every profile except SSH from the corporate network and dev servers on the private profile; no local rule merge.",
  profiles: { domain: blockInbound, private: blockInbound, public: blockInbound },
  loopback: false,
  hostPolicyMerge: true,
  rules: [
    {
      name: "WSL SSH from corporate network",
      direction: "in",
      action: "allow",
      protocol: "tcp",
      localPorts: ["22"],
      remoteAddresses: ["10.0.0.0/8"],
    },
    {
      name: "WSL dev servers on private networks",
      direction: "in",
      action: "allow",
      protocol: "tcp",
      localPorts: ["3000-3100"],
      profiles: ["private"],
    },
  ],
  assignments: { include: wslRings },
});
