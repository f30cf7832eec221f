import type { CliIO } from '../cli.js';
import { EXIT } from '../cli.js';
import { UsageError } from '../errors.js';
import { planWorkflow } from '../engine/plan.js';
import { runWorkflow } from '../engine/run.js';
import { createPaxosClient, openTarget, resolveCredentials } from '../paxos/index.js';
import { createConsoleReporter } from '../report/console.js';
import { useColour } from '../report/style.js';
import { parseCommandArgs } from './_args.js';
import { collectVars, loadValidWorkflow } from './_workflow.js';

/** `paxflow run FILE`: validate, plan, run against the target, report; exit 0, 1, 2 or 130. */
export const command = async (args: string[], io: CliIO): Promise<number> => {
  const { values, positionals } = parseCommandArgs('run', args, {
    target: { type: 'string' },
    'api-url': { type: 'string' },
    'oauth-url': { type: 'string' },
    'allow-production': { type: 'boolean' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'env-file': { type: 'string' },
    var: { type: 'string', multiple: true },
    'vars-file': { type: 'string' },
  });
  const flags = {
    ...(values['client-id'] === undefined ? {} : { clientId: values['client-id'] }),
    ...(values['client-secret'] === undefined ? {} : { clientSecret: values['client-secret'] }),
  };
  if (positionals.length !== 1) throw new UsageError('BAD_ARGUMENTS', 'paxflow run takes exactly one workflow FILE');
  const file = positionals[0]!;

  const workflow = await loadValidWorkflow(file, io.cwd);
  const vars = await collectVars(values['vars-file'], values.var ?? [], io.cwd);
  const plan = planWorkflow(workflow, { vars });
  const targetName = values['api-url'] === undefined ? (values.target ?? 'local') : 'custom';
  if (targetName === 'production' && plan.sandboxOnlySteps.length > 0) {
    throw new UsageError(
      'SANDBOX_ONLY_STEP',
      `steps ${plan.sandboxOnlySteps.join(', ')} exist only in the sandbox and cannot run against production`,
    );
  }

  const target = await openTarget({
    ...(values.target === undefined ? {} : { target: values.target }),
    ...(values['api-url'] === undefined ? {} : { apiUrl: values['api-url'] }),
    ...(values['oauth-url'] === undefined ? {} : { oauthUrl: values['oauth-url'] }),
    allowProduction: values['allow-production'] ?? false,
    ...(flags.clientId !== undefined && flags.clientSecret !== undefined
      ? { localCredentials: { clientId: flags.clientId, clientSecret: flags.clientSecret } }
      : {}),
  });
  try {
    const credentials = await resolveCredentials({
      targetName: target.info.name,
      hasOAuth: target.info.oauthUrl !== undefined,
      flags,
      env: io.env,
      ...(values['env-file'] === undefined ? {} : { envFile: values['env-file'] }),
      cwd: io.cwd,
      ...(target.defaultCredentials ? { localDefaults: target.defaultCredentials } : {}),
    });
    const paxos = createPaxosClient({ target: target.info, ...(credentials ? { credentials } : {}), scopes: plan.scopes });
    // A missing scope or a rejected credential fails here, before the first request of the first step.
    if (plan.scopes.length > 0) await paxos.authorize(io.signal);
    const reporter = createConsoleReporter({
      write: (text) => io.stdout.write(text),
      colour: useColour(io.stdout.isTTY ?? false, io.env),
    });
    const result = await runWorkflow(plan, {
      target: target.info,
      paxos,
      env: io.env,
      onEvent: reporter,
      ...(io.signal ? { signal: io.signal } : {}),
    });
    return { passed: EXIT.ok, failed: EXIT.failed, interrupted: EXIT.interrupted }[result.status];
  } finally {
    await target.close();
  }
};
