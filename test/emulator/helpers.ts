// Test helpers: a started emulator and a plain `fetch` that trusts its CA (undici dispatcher), so these
// fidelity tests see exactly the bytes Graph would send, without the Graph client in between.
import { Agent } from "undici";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src/emulator";

export interface CallOptions {
  token?: string | null;
  headers?: Record<string, string>;
  /** send this string as the body instead of JSON */
  rawBody?: string;
}

export interface CallResult {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
  body: any;
  text: string;
}

export interface TestEmulator extends RunningEmulator {
  call(method: string, path: string, body?: unknown, opts?: CallOptions): Promise<CallResult>;
  dispatcher: Agent;
}

export async function start(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emu = await startEmulator(options);
  const dispatcher = new Agent({ connect: { ca: emu.caCertPem } });
  const defaultToken = emu.issueToken();
  const call = async (method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<CallResult> => {
    const url = /^https:/.test(path) ? path : `${emu.baseUrl}${path.replace(/^\//, "")}`;
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    const token = opts.token === undefined ? defaultToken : opts.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let payload: string | undefined = opts.rawBody;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetch(url, { method, headers, body: payload, dispatcher } as unknown as RequestInit);
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
  const stop = emu.stop;
  return {
    ...emu,
    call,
    dispatcher,
    stop: async () => {
      await stop();
      await dispatcher.close();
    },
  };
}

const G = "#microsoft.graph.";
export const WSL = "device_vendor_msft_policy_config_wslv1~policy~wsl_";

export function choiceSetting(id: string, value: string, children: unknown[] = []) {
  return {
    "@odata.type": `${G}deviceManagementConfigurationSetting`,
    settingInstance: {
      "@odata.type": `${G}deviceManagementConfigurationChoiceSettingInstance`,
      settingDefinitionId: id,
      choiceSettingValue: { "@odata.type": `${G}deviceManagementConfigurationChoiceSettingValue`, value, children },
    },
  };
}

/** A WSL flag setting: `<id>_0` Disabled, `<id>_1` Enabled. */
export const wslFlag = (name: string, on: boolean) => choiceSetting(`${WSL}${name}`, `${WSL}${name}_${on ? 1 : 0}`);

export function policyBody(name: string, settings: unknown[] = [wslFlag("allowwsl1", false)]) {
  return {
    name,
    description: "",
    platforms: "windows10",
    technologies: "mdm",
    roleScopeTagIds: ["0"],
    templateReference: { templateId: "" },
    settings,
  };
}

export const POLICIES = "beta/deviceManagement/configurationPolicies";

/** The `Message` inside an Intune `_version: 3` error message (https://learn.microsoft.com/graph/errors). */
export function intuneText(body: { error: { message: string } }): string {
  const parsed = JSON.parse(body.error.message) as { _version: number; Message: string };
  return parsed.Message;
}
