// The one way the page talks to the backend: the commands as generated from their Rust
// signatures (bindings.ts), whose rejections are always `ApiError` with a stable code and a
// sentence (never "[object Object]"); `call` only for the few that take a file as raw bytes.
import { invoke } from "@tauri-apps/api/core";
import { commands as generated } from "./bindings";
import type { ErrorCode, FieldError } from "./bindings";

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
}

function toApiError(raw: unknown): ApiError {
  if (raw && typeof raw === "object" && "message" in raw && "code" in raw) {
    const e = raw as { code: ErrorCode; message: string; field?: string; fields?: FieldError[] };
    return new ApiError(e.code, String(e.message), e.field, e.fields ?? []);
  }
  const text = typeof raw === "string" ? raw : raw instanceof Error ? raw.message : "";
  return new ApiError("internal", text ? `VarDesk could not do that: ${text}` : "VarDesk could not do that.");
}

/** Every command with typed arguments, typed from its Rust signature. */
export const commands: typeof generated = Object.fromEntries(
  Object.entries(generated).map(([name, command]) => [
    name,
    async (...args: unknown[]) => {
      try {
        return await (command as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (raw) {
        throw toApiError(raw);
      }
    },
  ]),
) as typeof generated;

/** A command that takes a file as its raw request body (its reply type is generated). */
export async function call<T>(command: string, args?: Record<string, unknown> | Uint8Array, headers?: Record<string, string>): Promise<T> {
  try {
    return await invoke<T>(command, args, headers ? { headers } : undefined);
  } catch (raw) {
    throw toApiError(raw);
  }
}

/** A value as JSON in a request header: ASCII only (other characters as \u escapes). */
export function headerJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The sentence to show for any error caught in the UI. */
export function messageOf(e: unknown): string {
  return e instanceof ApiError ? e.message : toApiError(e).message;
}
