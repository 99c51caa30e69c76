// Custom policy rules in CEL (via @bufbuild/cel): compiled once when the policy loads, run per model.
import { celEnv, isCelError, parse, plan, type CelInput } from '@bufbuild/cel';
import { fail } from '../core/errors.js';

/** The variables a rule may use. */
export const RULE_VARIABLES = ['model', 'image', 'sbom'] as const;

/** A rule ready to run. */
export interface CompiledRule {
  name: string;
  expr: string;
  message: string;
  run(bindings: Record<string, unknown>): { ok: true; value: boolean } | { ok: false; error: string };
}

const env = celEnv();

/** Compiles a rule; BAD_POLICY naming `where` (file:line) when the expression does not parse. */
export function compileRule(rule: { name: string; expr: string; message?: string }, where: string): CompiledRule {
  let evaluate: (ctx: Record<string, CelInput>) => unknown;
  try {
    evaluate = plan(env, parse(rule.expr)) as (ctx: Record<string, CelInput>) => unknown;
  } catch (e) {
    fail('BAD_POLICY', `${where}: rule ${rule.name}: CEL syntax error: ${firstLine(e)}`, { cause: e });
  }
  return {
    name: rule.name,
    expr: rule.expr,
    message: rule.message ?? `rule ${rule.name} failed`,
    run(bindings) {
      let value: unknown;
      try {
        value = evaluate(toCel(bindings) as Record<string, CelInput>);
      } catch (e) {
        return { ok: false, error: firstLine(e) };
      }
      if (isCelError(value)) return { ok: false, error: firstLine(value) };
      if (typeof value !== 'boolean') return { ok: false, error: `result is ${typeof value}, want bool` };
      return { ok: true, value };
    },
  };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

/** Plain JSON-like values as CEL input: undefined dropped from objects, null kept, numbers as doubles. */
function toCel(v: unknown): unknown {
  if (v === undefined) return null;
  if (Array.isArray(v)) return v.map(toCel);
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toCel(x);
    return out;
  }
  return v;
}
