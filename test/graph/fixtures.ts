// Test tenants for the Graph client and tenant tests (the synthetic tenant of src/emulator, under the
// names these tests use), request bodies, and a started emulator with a client wired to it the way
// production code wires it.
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { createGraphClient, emulatorCredential, type GraphClient, type GraphClientOptions } from "../../src/graph";
import { WSL, choiceSetting } from "../../src/emulator/synthetic-tenant";
import { ODATA, VIRTUAL_GROUP_IDS, type TenantSnapshot } from "../../src/model";

export {
  WSL,
  WSL_CHOICES,
  choiceSetting,
  groupId,
  policyId,
  syntheticPolicy as seededPolicy,
  syntheticTenant as seedTenant,
} from "../../src/emulator/synthetic-tenant";

/** A compiled-style configuration policy body for POST (valid against the pinned catalog). */
export function policyBody(name: string, description: string) {
  return {
    name,
    description,
    platforms: "windows10",
    technologies: "mdm",
    roleScopeTagIds: ["0"],
    templateReference: { templateId: "" },
    settings: [
      { "@odata.type": ODATA.setting, ...choiceSetting(`${WSL}allowwsl1`, `${WSL}allowwsl1_0`) },
      { "@odata.type": ODATA.setting, ...choiceSetting(`${WSL}allowdebugshell`, `${WSL}allowdebugshell_0`) },
    ],
  };
}

export const allDevices = { target: { "@odata.type": ODATA.allDevicesTarget } };
export { VIRTUAL_GROUP_IDS };

/** Test time scale: a 20 s throttling window lasts 100 ms. */
export const TIME_SCALE = 0.005;

export interface Harness {
  emulator: RunningEmulator;
  graph: GraphClient;
  client(opts?: Partial<GraphClientOptions> & { roles?: string[] }): GraphClient;
  stop(): Promise<void>;
}

export async function startHarness(
  seed?: TenantSnapshot,
  emulatorOpts: Parameters<typeof startEmulator>[0] = {},
): Promise<Harness> {
  const emulator = await startEmulator({ seed, timeScale: TIME_SCALE, throttling: { enabled: true }, ...emulatorOpts });
  const clients: GraphClient[] = [];
  const client = (opts: Partial<GraphClientOptions> & { roles?: string[] } = {}) => {
    const { roles, ...rest } = opts;
    const c = createGraphClient({
      endpoint: emulator.baseUrl,
      credential: emulatorCredential(emulator, roles),
      ca: emulator.caCertPem,
      timeScale: emulatorOpts.timeScale ?? TIME_SCALE,
      ...rest,
    });
    clients.push(c);
    return c;
  };
  const graph = client();
  return {
    emulator,
    graph,
    client,
    stop: async () => {
      for (const c of clients) await c.close();
      await emulator.stop();
    },
  };
}
