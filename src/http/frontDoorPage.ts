import type { FrontDoor, FrontDoorTenant } from './frontDoorInfo.js';

/** Text and attribute values alike: profile names and hospital names are user input. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.muted{color:#5b6472}code,pre{font:13px/1.4 ui-monospace,monospace}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e3e6ea;vertical-align:top}
th{font-size:12px;text-transform:uppercase;color:#5b6472}
.curl{position:relative;margin:6px 0}
td code{white-space:nowrap}
pre{background:#10151d;color:#e7edf5;padding:10px 90px 10px 12px;margin:0;border-radius:6px;white-space:pre-wrap;word-break:break-all}
button{position:absolute;top:6px;right:6px;font-size:12px;padding:3px 8px;cursor:pointer}
.badge{display:inline-block;font-size:12px;padding:1px 6px;border-radius:4px;background:#e6eefc;color:#1b4fb3}
.seeding{background:#fff3d6;color:#8a5a00}
a{color:#1b4fb3}`;

// Copies the <pre> beside the button; selecting the text is the fallback where the clipboard is not allowed.
const SCRIPT = `
document.querySelectorAll('button[data-copy]').forEach(function (button) {
  button.addEventListener('click', function () {
    var text = button.previousElementSibling.textContent;
    var done = function () { button.textContent = 'copied'; setTimeout(function () { button.textContent = 'copy'; }, 1500); };
    if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, function () { select(button); });
    else select(button);
  });
});
function select(button) { var range = document.createRange(); range.selectNodeContents(button.previousElementSibling); var s = getSelection(); s.removeAllRanges(); s.addRange(range); }`;

const link = (url: string, text: string = url): string => `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>`;
const curlBlock = (line: string): string => `<div class="curl"><pre>${escapeHtml(line)}</pre><button type="button" data-copy>copy</button></div>`;

/** The front page: one self-contained HTML document (inline style and script, nothing fetched). */
export function frontDoorPage(door: FrontDoor): string {
  const client = door.demoClient;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>patients-sandbox · ${escapeHtml(door.profile)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>patients-sandbox <span class="muted">${escapeHtml(door.version)}</span></h1>
<div class="muted">An OAuth 2.0 interop partner with tenant-routed FHIR servers · profile <strong>${escapeHtml(door.profile)}</strong> · this page as JSON: <code>curl -H 'Accept: application/json' ${escapeHtml(door.tokenUrl.replace(/\/oauth2\/token$/, '/'))}</code></div>

<h2>Endpoints</h2>
<table>
<tr><th>what</th><th>URL</th></tr>
<tr><td>Token endpoint (client credentials, <code>scope=&lt;tenant id&gt;</code>)</td><td>${link(door.tokenUrl)}</td></tr>
${door.gateways.map((gateway) => `<tr><td>${escapeHtml(gateway.fhirVersion.toUpperCase())} gateway · metadata</td><td><code>${escapeHtml(gateway.baseUrl)}</code> · ${link(gateway.metadataUrl, 'metadata')}</td></tr>`).join('\n')}
<tr><td>Signing keys (JWKS)</td><td>${link(door.jwksUrl)}</td></tr>
</table>

<h2>Demo client</h2>
${client === null ? '<p class="muted">The profile has no client.</p>' : `<table><tr><th>client_id</th><th>client_secret</th></tr><tr><td><code>${escapeHtml(client.id)}</code></td><td>${client.secret === null ? '<span class="muted">as set in the profile (hidden: this sandbox has an admin key)</span>' : `<code>${escapeHtml(client.secret)}</code>`}</td></tr></table>`}

<h2>Tenants</h2>
<table>
<tr><th>tenant</th><th>id (token scope)</th><th>FHIR</th><th>patients</th><th>search for</th><th>records</th></tr>
${door.tenants.map(tenantRow).join('\n')}
</table>

<h2>Try it</h2>
<p class="muted">Each tenant: get a token, then search its first example patient (needs <code>jq</code>).</p>
${door.tenants.map((tenant) => `<h3 style="font-size:14px;margin:14px 0 4px">${escapeHtml(tenant.name)}</h3>${tenant.curl.map(curlBlock).join('')}`).join('\n')}

<h2>Admin API (JSON)</h2>
<p>${door.admin.links.map((entry) => link(entry.url, entry.title)).join(' · ')}${door.admin.keyRequired ? ' <span class="muted">(send the admin key: <code>Authorization: Bearer &lt;key&gt;</code>)</span>' : ''}</p>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function tenantRow(tenant: FrontDoorTenant): string {
  const names = tenant.examplePatients.map((patient) => `${escapeHtml(patient.given)} ${escapeHtml(patient.family)} <span class="muted">(${escapeHtml(patient.id)})</span>`);
  const count = tenant.ready ? escapeHtml(tenant.patientCount) : `${escapeHtml(tenant.patientCount)} <span class="badge seeding">seeding</span>`;
  return `<tr><td><strong>${escapeHtml(tenant.name)}</strong><br><span class="muted">${escapeHtml(tenant.hospital)}</span></td><td><code>${escapeHtml(tenant.id)}</code></td><td><span class="badge">${escapeHtml(tenant.fhirVersion.toUpperCase())}</span></td><td>${count}</td><td>${names.join('<br>') || '<span class="muted">–</span>'}</td><td>${link(tenant.recordsUrl, 'raw records')}</td></tr>`;
}
