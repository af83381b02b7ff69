// Connecting an organization: the Azure DevOps tile (OAuth sign-in in a popup), and advanced mode
// (organization or collection URL with a personal access token, auto-add and schedule).
import { ApiError, api, authorizeUrl, deployGuideUrl } from './api.js';
import { announce, clearErrors, field, h, replaceChildren, showErrors, showForChoice, uid } from './dom.js';
import { policyFields } from './policy.js';

/** The sign-in popup in flight, if any: only its messages are taken while it is open. */
let signIn = null;

// The OAuth callback page posts {type: "bunker-oauth", status, organizationId?, message?} to its
// opener, addressed to this app's origin. Anything from another origin, of another shape, or
// from a window that is not our popup is ignored.
window.addEventListener('message', (event) => {
  if (event.origin !== window.location.origin) return;
  const data = event.data;
  if (!data || typeof data !== 'object' || data.type !== 'bunker-oauth') return;
  if (!signIn || (signIn.popup && event.source && event.source !== signIn.popup)) return;
  const current = signIn;
  signIn = null;
  clearInterval(current.watch);
  current.onResult(data);
});

export async function renderConnect(main, { signal }) {
  // Unknown (the status could not be read) counts as on: the sign-in window then says what is wrong.
  const oauthOn = await api.oauthStatus({ signal }).then((status) => status?.configured !== false, (error) => {
    if (error.name === 'AbortError') throw error;
    return true;
  });
  const status = h('div', { class: 'oauth-status', role: 'status', 'aria-live': 'polite' });
  const urlInput = h('input', {
    type: 'url', name: 'organizationUrl', autocomplete: 'url', spellcheck: 'false', required: true,
    placeholder: 'https://dev.azure.com/your-organization',
  });
  const adminConsent = h('input', { type: 'checkbox', name: 'adminConsent' });
  const form = h('form', { class: 'stack', novalidate: true, on: { submit: (event) => {
    event.preventDefault();
    connect(form, urlInput.value.trim(), adminConsent.checked, status);
  } } },
  field({ name: 'organizationUrl', label: 'Organization URL', control: urlInput,
    hint: 'For example https://dev.azure.com/contoso or https://contoso.visualstudio.com.' }),
  h('div', { class: 'field checkbox' },
    h('label', {}, adminConsent, ' Consent on behalf of your organization'),
    h('p', { class: 'hint' }, 'Needs a Microsoft Entra administrator; then nobody else in your tenant is asked again.')),
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Connect')));

  replaceChildren(main,
    h('h1', { tabindex: '-1' }, 'Connect an organization'),
    h('p', { class: 'lead' }, 'Bunker backs up the git repositories and wikis of Azure DevOps into your own Azure storage. '
      + 'Choose where your organization lives.'),
    h('div', { class: 'tiles' },
      h('section', { class: 'tile', 'aria-labelledby': 'tile-cloud', 'data-tile': 'cloud' },
        h('h2', { id: 'tile-cloud' }, 'Azure DevOps'),
        h('p', {}, 'Organizations at dev.azure.com. Sign in with your work account in a pop-up window and grant Bunker read access.'),
        oauthOn ? [form, status] : oauthOffNotice(),
        h('p', { class: 'more' }, h('a', { href: '#/connect/advanced/cloud' }, 'Advanced mode: use a personal access token'))),
      h('section', { class: 'tile', 'aria-labelledby': 'tile-server', 'data-tile': 'server' },
        h('h2', { id: 'tile-server' }, 'Azure DevOps Server'),
        h('p', {}, 'An on-premises collection, such as https://ado.contoso.local/tfs/DefaultCollection. '
          + 'Connects with a personal access token.'),
        h('p', { class: 'actions' }, h('a', { class: 'button', href: '#/connect/advanced/server' }, 'Set up Azure DevOps Server')))));
}

/** The Azure DevOps tile when this deployment has no Entra ID app registration to sign in with. */
function oauthOffNotice() {
  return h('div', { class: 'notice warning', 'data-oauth-off': '' },
    h('p', {}, h('strong', {}, 'Signing in with Microsoft Entra ID is not set up in this Bunker. '),
      'Connect with a personal access token in ', h('a', { href: '#/connect/advanced/cloud' }, 'advanced mode'),
      ' instead, or ask whoever deployed Bunker to set it up, as the deploy guide\'s section ',
      h('a', { href: deployGuideUrl('connect-an-azure-devops-organization').href, 'data-deploy-guide': '' },
        'Connect an Azure DevOps organization'),
      ' describes.'));
}

function connect(form, organizationUrl, adminConsent, status) {
  clearErrors(form);
  if (!organizationUrl) {
    showErrors(form, [{ field: 'organizationUrl', message: 'Enter the URL of your organization.' }]);
    return;
  }
  const url = authorizeUrl(organizationUrl, adminConsent);
  // No "noopener": the callback page needs its opener to post the result back.
  const popup = window.open(url, 'bunker-sign-in', 'popup=yes,width=540,height=720');
  if (!popup) {
    replaceChildren(status, h('div', { class: 'notice warning', role: 'alert', 'data-popup-blocked': '' },
      h('p', {}, h('strong', {}, 'Your browser blocked the sign-in window. '),
        'Allow pop-ups for this site (most browsers show a blocked pop-up icon at the end of the address bar), '
        + 'then choose Connect again.'),
      h('p', {}, 'Or ', h('a', { href: url.href, 'data-same-tab-sign-in': '' }, 'sign in in this tab'),
        ' instead; you come back here when you are done.')));
    return;
  }
  popup.focus();
  replaceChildren(status, h('p', { class: 'notice' }, 'Waiting for you to sign in in the pop-up window…'));
  if (signIn) clearInterval(signIn.watch);
  signIn = {
    popup,
    onResult: (result) => onSignInResult(result, status),
    // The popup may be closed before it reports; the organization may still have been added. Its
    // result may also arrive just after it closed itself (the message is delivered after the close
    // is seen): it is still taken, until another sign-in starts.
    watch: setInterval(() => {
      if (!popup.closed || !signIn || signIn.popup !== popup) return;
      clearInterval(signIn.watch);
      replaceChildren(status, h('p', { class: 'notice' }, 'The sign-in window was closed. If you finished signing in, '
        + 'your organization is listed under ', h('a', { href: '#/organizations' }, 'Organizations'), '.'));
    }, 1000),
  };
}

function onSignInResult(result, status) {
  if (result.status === 'connected') {
    announce('Organization connected.');
    window.location.hash = connectedOrganizationView(result);
    return;
  }
  replaceChildren(status, h('div', { class: 'notice error', role: 'alert' },
    h('p', {}, h('strong', {}, 'Sign-in did not connect the organization. '),
      typeof result.message === 'string' && result.message ? result.message : 'Try again.')));
}

/** Where to show a newly connected organization: its own page when the callback names it. */
function connectedOrganizationView(result) {
  return typeof result.organizationId === 'string' && result.organizationId
    ? `#/organizations/${encodeURIComponent(result.organizationId)}?connected=1`
    : '#/organizations';
}

/** Advanced mode: `kind` is `cloud` (Azure DevOps) or `server` (Azure DevOps Server). */
export async function renderAdvanced(main, kind, { signal }) {
  let credentials = [];
  let credentialsProblem = null;
  try {
    credentials = await api.credentials({ signal });
  } catch (error) {
    if (error.name === 'AbortError') return;
    credentialsProblem = error.message;
  }

  const kindGroup = uid('kind');
  const cloud = h('input', { type: 'radio', name: kindGroup, value: 'cloud', checked: kind !== 'server' });
  const server = h('input', { type: 'radio', name: kindGroup, value: 'server', checked: kind === 'server' });
  const url = h('input', { type: 'url', name: 'url', autocomplete: 'url', spellcheck: 'false', required: true });
  const urlField = field({ name: 'url', label: 'Organization URL', control: url, hint: 'For example https://dev.azure.com/contoso.' });
  const describeKind = () => {
    const isServer = server.checked;
    urlField.querySelector('label').textContent = isServer ? 'Collection URL' : 'Organization URL';
    urlField.querySelector('.hint').textContent = isServer
      ? 'For example https://ado.contoso.local/tfs/DefaultCollection. The server must be reachable from Bunker.'
      : 'For example https://dev.azure.com/contoso.';
    url.placeholder = isServer ? 'https://ado.contoso.local/tfs/DefaultCollection' : 'https://dev.azure.com/your-organization';
  };
  cloud.addEventListener('change', describeKind);
  server.addEventListener('change', describeKind);
  describeKind();
  // Bunker decides the kind by the host (OrganizationAddress): say so before Proceed when the choice differs.
  const kindNote = h('div', { class: 'notice warning', 'data-kind-note': '', 'aria-live': 'polite' });
  const noteKind = () => {
    const isCloud = isCloudUrl(url.value.trim());
    const differs = isCloud !== null && isCloud !== cloud.checked;
    kindNote.hidden = !differs;
    replaceChildren(kindNote, differs ? h('p', {}, isCloud
      ? 'This is an Azure DevOps (cloud) address: Bunker connects it as Azure DevOps (cloud).'
      : 'This is not an Azure DevOps (cloud) address (those are at dev.azure.com or *.visualstudio.com): '
        + 'Bunker connects it as Azure DevOps Server.') : null);
  };
  for (const control of [url, cloud, server]) control.addEventListener(control === url ? 'input' : 'change', noteKind);
  noteKind();

  const credentialGroup = uid('credential');
  const useNew = h('input', { type: 'radio', name: credentialGroup, value: 'new', checked: true });
  const useSaved = h('input', {
    type: 'radio', name: credentialGroup, value: 'saved', disabled: credentials.length === 0,
  });
  const username = h('input', { type: 'text', name: 'username', autocomplete: 'off', spellcheck: 'false' });
  const token = h('input', { type: 'password', name: 'pat', autocomplete: 'off', spellcheck: 'false' });
  const saved = h('select', { name: 'credentialId' },
    h('option', { value: '' }, 'Choose a credential'),
    credentials.map((credential) => h('option', { value: credential.id }, credential.name)));
  const newBox = h('div', { class: 'stack' },
    field({ name: 'username', label: 'Username (optional)', control: username,
      hint: 'Azure DevOps ignores it for tokens; some servers want it.' }),
    field({ name: 'pat', label: 'Personal access token', control: token,
      hint: 'Needs Code (Read) to back up, Code (Read & write) to restore. Bunker adds it to the credentials list '
        + '(kept in Key Vault, never shown again) once the organization accepts it.' }));
  const savedBox = h('div', { class: 'stack' },
    field({ name: 'credentialId', label: 'Saved credential', control: saved }));
  showForChoice([[useNew, newBox], [useSaved, savedBox]]);

  const policy = policyFields(null, { prefix: 'policy.' });
  const proceed = h('button', { type: 'submit', class: 'primary' }, 'Proceed');
  const form = h('form', { class: 'stack wide', novalidate: true, 'aria-labelledby': 'advanced-title' },
    field({ name: 'kind', label: 'Where your organization lives', kind: 'fieldset', control: h('div', { class: 'choices' },
      h('label', {}, cloud, ' Azure DevOps (cloud)'), h('label', {}, server, ' Azure DevOps Server')) }),
    urlField,
    kindNote,
    field({ name: 'credential', label: 'Sign in with', kind: 'fieldset', control: h('div', {},
      h('div', { class: 'choices' },
        h('label', {}, useNew, ' Username and personal access token'),
        h('label', {}, useSaved, ' A saved credential')),
      credentialsProblem ? h('p', { class: 'hint' }, `Saved credentials could not be listed: ${credentialsProblem}`) : null,
      newBox, savedBox) }),
    h('h2', {}, 'Backups'),
    policy.element,
    h('div', { class: 'actions' }, proceed, h('a', { href: '#/connect', class: 'button secondary' }, 'Cancel')));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await register({ form, proceed, url, useNew, username, token, saved, policy });
  });

  replaceChildren(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/connect' }, 'Connect'), ' / Advanced mode'),
    h('h1', { id: 'advanced-title', tabindex: '-1' }, 'Connect with a personal access token'),
    form);
}

async function register({ form, proceed, url, useNew, username, token, saved, policy }) {
  clearErrors(form);
  const organizationUrl = url.value.trim();
  const settings = policy.read();
  const missing = [];
  if (!organizationUrl) missing.push({ field: 'url', message: 'Enter the organization or collection URL.' });
  if (useNew.checked && !token.value) missing.push({ field: 'pat', message: 'Enter a personal access token.' });
  if (!useNew.checked && !saved.value) missing.push({ field: 'credentialId', message: 'Choose a saved credential.' });
  missing.push(...policy.check());
  if (missing.length) {
    // Nothing was sent: the token is still in its field, for when the form passes.
    showErrors(form, missing, null, useNew.checked && token.value
      ? 'Your token is still in the form; it is sent only once the form passes these checks.' : null);
    return;
  }

  // A new token goes inline: the API keeps it as a credential only if the organization accepts it,
  // so a failed attempt leaves nothing behind.
  const registration = { url: organizationUrl, policy: settings };
  if (useNew.checked) {
    registration.pat = token.value;
    if (username.value.trim()) registration.username = username.value.trim();
  } else {
    registration.credentialId = saved.value;
  }
  token.value = ''; // the token leaves the page in this one request and is never kept
  proceed.disabled = true;
  form.setAttribute('aria-busy', 'true');
  proceed.textContent = 'Checking the organization…';
  try {
    const organization = await api.addOrganization(registration);
    announce('Organization connected.');
    window.location.hash = `#/organizations/${encodeURIComponent(organization.id)}?connected=1`;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    let errors = error.fieldErrors;
    // Problems about the organization or the token as a whole come without field errors: place
    // them by their type (the URL is off the allow-list, unknown, already registered; the token
    // is not accepted or lacks a permission).
    const concerns = fieldOfProblem(error, useNew.checked ? 'pat' : 'credentialId');
    if (errors.length === 0 && concerns) errors = [{ field: concerns, message: error.detail }];
    const existing = error.status === 409 ? await registeredAs(organizationUrl, error) : null;
    if (existing) errors = [{ field: 'url', message: 'This organization is already connected.' }];
    showErrors(form, errors, error.detail, useNew.checked ? 'Enter the token again: the console does not keep it.' : null);
    if (existing) {
      form.querySelector('.error-summary').append(h('p', { 'data-existing-organization': '' },
        'Open ', h('a', { href: `#/organizations/${encodeURIComponent(existing.id)}` }, existing.url),
        ' to back it up or change its policy; to give it another token, remove it there first (its backups are kept).'));
    }
  } finally {
    proceed.disabled = false;
    form.removeAttribute('aria-busy');
    proceed.textContent = 'Proceed';
  }
}

/**
 * The registered organization a 409 is about: the one the problem names by id, or the one at the
 * same URL (compared as the server does, ignoring case and trailing slashes).
 */
async function registeredAs(organizationUrl, error) {
  const same = (a) => String(a).toLowerCase().replace(/\/+$/, '');
  try {
    const organizations = await api.organizations();
    return organizations.find((organization) => error.detail.includes(`'${organization.id}'`))
      || organizations.find((organization) => same(organization.url) === same(organizationUrl)) || null;
  } catch {
    return null;
  }
}

/** Whether `text` is an Azure DevOps (cloud) URL, by its host as the server decides it; null when it is no URL yet. */
function isCloudUrl(text) {
  let parsed;
  try {
    parsed = new URL(text);
  } catch {
    return null;
  }
  if (!/^https?:$/.test(parsed.protocol) || !parsed.hostname) return null;
  const host = parsed.hostname.toLowerCase();
  return host === 'dev.azure.com' || host.endsWith('.visualstudio.com');
}

function fieldOfProblem(error, credentialField) {
  const kind = error.type.split(':').pop();
  if (['url-not-allowed', 'not-found-at-source', 'conflict'].includes(kind)) return 'url';
  if (['credential-not-accepted', 'access-denied'].includes(kind)) return credentialField;
  return null;
}
