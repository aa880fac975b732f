/// `/static/sign.js`: the signing page's only script, embedded in the binary (no CDN, no external asset).
///
/// Create a passkey: `navigator.credentials.create` (ES256, discoverable, user verification), its SPKI to
/// `/enroll`, then `navigator.credentials.get` over the server's challenge (the commit's SSHSIG signed data) with
/// that credential, to `/complete`. Approve or decline: `/decide`, then `get` with any discoverable credential, to
/// `/complete`. Then the page reloads and shows the new state; `#message` keeps the outcome across the reload.
enum SignScript {
    /// The script's text.
    static let text = #"""
'use strict';
(function () {
  var body = document.body;
  var csrfMeta = document.querySelector('meta[name="sigit-csrf"]');
  var message = document.getElementById('message');
  if (!body || !csrfMeta || !message) { return; }
  var csrf = csrfMeta.getAttribute('content') || '';
  var rpId = body.dataset.rpId || '';
  var origin = body.dataset.origin || '';
  var digest = body.dataset.digest || '';
  var email = body.dataset.email || '';
  var displayName = body.dataset.name || email;
  var base = window.location.pathname.replace(/\/+$/, '');
  var buttons = ['create-passkey', 'approve', 'decline'].map(function (id) { return document.getElementById(id); })
    .filter(function (button) { return button !== null; });

  function say(text, isError) {
    message.textContent = text;
    message.className = isError ? 'error' : 'progress';
  }

  var kept = null;
  try { kept = window.sessionStorage.getItem('sigit-message'); window.sessionStorage.removeItem('sigit-message'); } catch (e) { kept = null; }
  if (kept) { say(kept, false); }

  if (window.location.origin !== origin) {
    say('Open this page at ' + origin + base + ' to sign: passkeys work only on the address the server was started for.', true);
  } else if (!window.PublicKeyCredential || !navigator.credentials) {
    say('This browser does not support passkeys (WebAuthn); open the link in a current browser.', true);
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var text = '';
    for (var i = 0; i < bytes.length; i++) { text += String.fromCharCode(bytes[i]); }
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function fromBase64url(text) {
    var base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4 !== 0) { base64 += '='; }
    var raw = atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function post(action, payload) {
    return fetch(base + '/' + action, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(payload),
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'error'
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (!response.ok) { throw new Error(answer.error || ('the server answered ' + response.status)); }
        return answer;
      });
    });
  }

  function signAndComplete(prepared, allowCredentials) {
    return navigator.credentials.get({
      publicKey: {
        challenge: fromBase64url(prepared.challenge),
        rpId: rpId,
        allowCredentials: allowCredentials,
        userVerification: 'required',
        timeout: 120000
      }
    }).then(function (credential) {
      if (!credential) { throw new Error('no passkey was chosen'); }
      var response = credential.response;
      return post('complete', {
        id: prepared.id,
        authenticatorData: toBase64url(response.authenticatorData),
        clientDataJSON: toBase64url(response.clientDataJSON),
        signature: toBase64url(response.signature)
      });
    });
  }

  function finish(text) {
    say(text, false);
    try { window.sessionStorage.setItem('sigit-message', text); } catch (e) { /* the message shows until the reload */ }
    window.setTimeout(function () { window.location.reload(); }, 300);
  }

  function run(task) {
    buttons.forEach(function (button) { button.disabled = true; });
    task().catch(function (error) {
      var text = (error && error.name === 'NotAllowedError') ? 'The passkey prompt was cancelled or timed out.' : String(error && error.message ? error.message : error);
      say('Not signed: ' + text, true);
      buttons.forEach(function (button) { button.disabled = false; });
    });
  }

  var create = document.getElementById('create-passkey');
  if (create) {
    create.addEventListener('click', function () {
      run(function () {
        say('Creating a passkey...', false);
        return navigator.credentials.create({
          publicKey: {
            rp: { id: rpId, name: 'sigit' },
            user: { id: window.crypto.getRandomValues(new Uint8Array(16)), name: email, displayName: displayName },
            challenge: window.crypto.getRandomValues(new Uint8Array(32)),
            pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
            authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
            attestation: 'none',
            timeout: 120000
          }
        }).then(function (credential) {
          if (!credential) { throw new Error('no passkey was created'); }
          var spki = credential.response.getPublicKey ? credential.response.getPublicKey() : null;
          if (!spki) { throw new Error('this browser does not give the passkey\'s public key (getPublicKey)'); }
          say('Passkey created; confirm it once more to enroll it...', false);
          return post('enroll', { spki: toBase64url(spki) }).then(function (prepared) {
            return signAndComplete(prepared, [{ type: 'public-key', id: credential.rawId }]);
          });
        }).then(function (done) {
          finish('Enrolled: ' + done.commit);
        });
      });
    });
  }

  function decide(approve) {
    var reasonField = document.getElementById('decline-reason');
    var reason = reasonField ? reasonField.value : '';
    if (!approve && reason.trim() === '') {
      say('Write a reason for declining first.', true);
      return;
    }
    run(function () {
      say(approve ? 'Approving: confirm with your passkey...' : 'Declining: confirm with your passkey...', false);
      var payload = { approve: approve, digest: digest };
      if (!approve) { payload.reason = reason; }
      return post('decide', payload).then(function (prepared) {
        return signAndComplete(prepared, []);
      }).then(function (done) {
        finish('Signed: ' + done.commit);
      });
    });
  }

  var approveButton = document.getElementById('approve');
  if (approveButton) { approveButton.addEventListener('click', function () { decide(true); }); }
  var declineButton = document.getElementById('decline');
  if (declineButton) { declineButton.addEventListener('click', function () { decide(false); }); }
})();
"""#
}
