// The credentials list ("password manager"): tokens kept in Key Vault by Bunker, shown by name only.
import { ApiError, api } from './api.js';
import {
  announce, clearErrors, field, formatTime, h, norm, replaceChildren, showErrors, showForChoice, table, uid,
} from './dom.js';

const KINDS = { pat: 'Personal access token', keyvaultsecret: 'Key Vault secret', oauth: 'Microsoft Entra ID (OAuth)' };

export async function renderCredentials(main, { signal }) {
  const listBox = h('div', { 'data-credentials': '' });
  const status = h('div', { role: 'status' });
  const refresh = async () => {
    const [credentials, organizations] = await Promise.all([
      api.credentials({ signal }), api.organizations({ signal }).catch(() => null)]);
    replaceChildren(listBox, credentialsTable(credentials, organizations, status, refresh));
  };
  await refresh();
  replaceChildren(main,
    h('h1', { tabindex: '-1' }, 'Credentials'),
    h('p', { class: 'lead' }, 'Personal access tokens Bunker signs in with. They are kept in Key Vault; '
      + 'this page never shows them, and one can serve several organizations.'),
    listBox, status,
    h('section', { 'aria-labelledby': 'add-credential' },
      h('h2', { id: 'add-credential' }, 'Add a credential'),
      addForm(refresh)));
}

/**
 * The organizations that sign in with `credential`, as links, or a mark that none does (it may be
 * removed); nothing when the organizations could not be listed.
 */
function usersOf(credential, organizations) {
  if (!organizations) return '';
  const users = organizations.filter((organization) => organization.credentialId === credential.id);
  if (users.length === 0) return h('span', { class: 'badge badge-unused', 'data-unused': '' }, 'Not used');
  return users.map((organization, index) => [index ? ', ' : '',
    h('a', { href: `#/organizations/${encodeURIComponent(organization.id)}` }, organization.url)]);
}

function credentialsTable(credentials, organizations, status, refresh) {
  if (credentials.length === 0) return h('p', { class: 'muted' }, 'No credential saved yet.');
  return table('Saved credentials', ['Name', 'Kind', 'Used by', 'Added', 'Last checked', 'Actions'],
    credentials.map((credential) => {
      const remove = h('button', { type: 'button', class: 'danger small' }, 'Remove');
      remove.setAttribute('aria-label', `Remove ${credential.name}`);
      remove.addEventListener('click', async () => {
        if (!window.confirm(`Remove the credential ${credential.name}?`)) return;
        try {
          await api.deleteCredential(credential.id);
          announce('Credential removed.');
          replaceChildren(status);
          await refresh();
        } catch (error) {
          replaceChildren(status, h('div', { class: 'notice error', role: 'alert', 'data-remove-failed': '' },
            h('p', {}, await removalProblem(credential, error))));
        }
      });
      return [credential.name, KINDS[norm(credential.kind)] || credential.kind || '', usersOf(credential, organizations),
        formatTime(credential.createdAt) || '', formatTime(credential.lastValidatedAt) || 'Not yet', remove];
    }));
}

/**
 * Why a credential could not be removed. A 409 means organizations still sign in with it; the API
 * names them by id, the admin knows them by URL.
 */
async function removalProblem(credential, error) {
  if (!(error instanceof ApiError) || error.status !== 409) return error.message;
  let users = [];
  try {
    users = (await api.organizations()).filter((organization) => organization.credentialId === credential.id);
  } catch {
    // the API's own words below still say why
  }
  if (users.length === 0) return `${credential.name} is still in use: ${error.message}`;
  return [h('strong', {}, `${credential.name} is still in use. `),
    `${users.length === 1 ? 'This organization signs' : 'These organizations sign'} in with it: `,
    users.map((organization, index) => [index ? ', ' : '',
      h('a', { href: `#/organizations/${encodeURIComponent(organization.id)}` }, organization.url)]),
    '. Delete ', users.length === 1 ? 'that organization' : 'those organizations',
    ' first (its backups are kept), then remove the credential.'];
}

function addForm(refresh) {
  const group = uid('source');
  const byToken = h('input', { type: 'radio', name: group, value: 'token', checked: true });
  const byVault = h('input', { type: 'radio', name: group, value: 'vault' });
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'off' });
  const username = h('input', { type: 'text', name: 'username', autocomplete: 'off', spellcheck: 'false' });
  const token = h('input', { type: 'password', name: 'token', autocomplete: 'off', spellcheck: 'false' });
  const secretName = h('input', { type: 'text', name: 'keyVaultSecretName', autocomplete: 'off', spellcheck: 'false' });
  const tokenBox = h('div', { class: 'stack' },
    field({ name: 'username', label: 'Username (optional)', control: username }),
    field({ name: 'token', label: 'Personal access token', control: token }));
  const vaultBox = h('div', { class: 'stack' },
    field({ name: 'keyVaultSecretName', label: 'Key Vault secret name', control: secretName,
      hint: 'A secret that already exists in Bunker\'s Key Vault.' }));
  const sync = showForChoice([[byToken, tokenBox], [byVault, vaultBox]]);
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save credential');
  const form = h('form', { class: 'stack', novalidate: true, 'aria-labelledby': 'add-credential' },
    field({ name: 'name', label: 'Name', control: name }),
    field({ name: 'source', label: 'The token', kind: 'fieldset', control: h('div', {},
      h('div', { class: 'choices' },
        h('label', {}, byToken, ' Enter it now'),
        h('label', {}, byVault, ' It is already in Key Vault')),
      tokenBox, vaultBox) }),
    h('div', { class: 'actions' }, save));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const body = { name: name.value.trim() };
    if (byToken.checked) {
      body.token = token.value;
      if (username.value.trim()) body.username = username.value.trim();
    } else {
      body.keyVaultSecretName = secretName.value.trim();
    }
    token.value = ''; // sent once, never kept in the page
    save.disabled = true;
    try {
      await api.addCredential(body);
      announce('Credential saved.');
      form.reset();
      byToken.checked = true; // reset() clears radios checked by script, not by markup
      sync();
      await refresh();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      showErrors(form, error.fieldErrors, error.detail, byToken.checked ? 'Enter the token again.' : null);
    } finally {
      save.disabled = false;
    }
  });
  return form;
}
