import type { registryChannels } from '../../../shared/contracts/registry';
import type { AppContext } from '../app-context';
import { actorOf } from '../registry/actor';
import { auditToCsv } from '../registry/audit-csv';
import { buildModelCard } from '../registry/model-card';
import { registryEnv } from '../registry/registry-env';
import * as registry from '../registry/registry-service';
import type { HandlersFor } from './handler-types';

/** Handlers of the model registry: models, versions, stages, aliases, tags, approvals and the audit log. */
export function createRegistryHandlers(ctx: AppContext): HandlersFor<keyof typeof registryChannels> {
  const { store } = ctx;
  const env = registryEnv(ctx);
  const who = () => actorOf(ctx);
  return {
    'registry:models': ({ query }) => store.registry.listModels(query ?? ''),
    'registry:model': ({ name }) => ({
      model: store.registry.getModel(name),
      versions: store.registry.listVersions(name),
      pendingApprovals: store.registry.listRequests({ name, status: 'pending' }),
    }),
    'registry:version': ({ name, version }) => store.registry.getVersion(name, version),
    'registry:card': ({ name, version }) => buildModelCard(store, name, version),
    'registry:versionsOfRun': ({ runId }) => store.registry.versionsOfRun(runId),
    'registry:checkGates': ({ runId, name, gates }) => registry.checkGates(env, runId, name, gates),
    'registry:register': (req) => registry.registerModel(env, who(), req),
    'registry:transition': (req) => registry.transitionVersion(env, who(), req),
    'registry:rollback': (req) => registry.rollback(env, who(), req),
    'registry:setAlias': ({ name, alias, version }) => registry.setAlias(env, who(), name, alias, version),
    'registry:deleteAlias': ({ name, alias }) => registry.deleteAlias(env, who(), name, alias),
    'registry:setVersionTag': ({ name, version, key, value }) =>
      registry.audited(env, () => store.registry.setVersionTag(name, version, key, value), {
        ...who(),
        action: 'tag-set',
        model: name,
        version,
        to: `${key}=${value}`,
      }),
    'registry:deleteVersionTag': ({ name, version, key }) =>
      registry.audited(env, () => store.registry.deleteVersionTag(name, version, key), {
        ...who(),
        action: 'tag-delete',
        model: name,
        version,
        from: key,
      }),
    'registry:setModelTag': ({ name, key, value }) =>
      registry.audited(env, () => store.registry.setModelTag(name, key, value), {
        ...who(),
        action: 'tag-set',
        model: name,
        to: `${key}=${value}`,
      }),
    'registry:deleteModelTag': ({ name, key }) =>
      registry.audited(env, () => store.registry.deleteModelTag(name, key), { ...who(), action: 'tag-delete', model: name, from: key }),
    'registry:updateVersion': ({ name, version, ...changes }) =>
      registry.audited(env, () => store.registry.updateVersion(name, version, changes), {
        ...who(),
        action: 'update',
        model: name,
        version,
        to: Object.keys(changes).join(', '),
      }),
    'registry:updateModel': ({ name, ...changes }) =>
      registry.audited(env, () => store.registry.updateModel(name, changes), {
        ...who(),
        action: 'update',
        model: name,
        to: Object.entries(changes)
          .map(([k, v]) => (k === 'requireApproval' ? `requireApproval=${v}` : k))
          .join(', '),
      }),
    'registry:renameModel': ({ name, newName }) =>
      registry.audited(env, () => store.registry.renameModel(name, newName), {
        ...who(),
        action: 'rename',
        model: newName,
        from: name,
        to: newName,
      }),
    'registry:deleteVersion': ({ name, version }) => {
      registry.deleteVersion(env, who(), name, version);
      return { deleted: true as const };
    },
    'registry:deleteModel': ({ name }) => {
      registry.deleteModel(env, who(), name);
      return { deleted: true as const };
    },
    'registry:approvals': (filter) => store.registry.listRequests(filter),
    'registry:decide': (req) => registry.decideRequest(env, who(), req),
    'registry:cancelRequest': ({ requestId }) => registry.cancelRequest(env, who(), requestId),
    'registry:audit': (filter) => store.registry.listAudit(filter),
    'registry:auditCsv': (filter) => auditToCsv(store.registry.listAudit(filter)),
  };
}
